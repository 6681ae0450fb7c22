/** What `explain` prints: per volume, the class, why, the driver and options, who mounts it, and the findings. */
import { printableLine } from './printable.js';
import type { Finding } from '../findings.js';
import type { VolumePlan } from '../plan/volume-plan.js';
import { findingJson, formatFinding, type Style } from './findings.js';
import { planSecrets, redactor, shownOptions } from './redact.js';

export interface ExplainOptions {
  showSecrets?: boolean;
  env?: string;
  policy: string;
}

function reasonText(plan: VolumePlan): string {
  switch (plan.reason) {
    case 'x-voldriver':
      return 'x-voldriver';
    case 'label':
      return 'class label of an earlier render';
    case 'rule':
      return `rule ${plan.rule}${plan.because ? `: ${plan.because}` : ''}`;
    case 'default':
      return 'default_class';
    case 'explicit':
      return 'explicit: the volume sets its own driver, left as written';
    case 'external':
      return 'external: created outside the stack, left as written';
    default:
      return 'none: no x-voldriver, rule or default_class; left as written (compose-voldriver init writes classes)';
  }
}

/** Findings grouped by the volume they are about, so each volume finds its own without a scan of them all. */
function findingsByVolume(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const finding of findings) {
    for (const volume of finding.volumes ?? (finding.volume === undefined ? [] : [finding.volume])) {
      const list = out.get(volume);
      if (list) list.push(finding);
      else out.set(volume, [finding]);
    }
  }
  return out;
}

export function explainJson(plans: readonly VolumePlan[], findings: readonly Finding[], options: ExplainOptions) {
  const secrets = redactor(options.showSecrets ? [] : planSecrets(plans));
  const byVolume = findingsByVolume(findings);
  return {
    policy: options.policy,
    environment: options.env ?? null,
    volumes: plans.map((plan) => ({
      volume: plan.volume,
      engine_name: plan.engineName ?? null,
      class: plan.class ?? null,
      reason: plan.reason,
      ...(plan.rule !== undefined ? { rule: plan.rule, because: plan.because ?? null } : {}),
      managed: plan.managed,
      driver: plan.driver ?? 'local',
      driver_opts: options.showSecrets ? plan.driver_opts : shownOptions(plan, secrets),
      labels: plan.labels,
      placement: plan.placement,
      services: plan.services,
      attach: plan.attach ?? null,
      scope: plan.scope ?? null,
      findings: (byVolume.get(plan.volume) ?? []).map(findingJson),
    })),
    findings: findings.filter((f) => f.volume === undefined && f.volumes === undefined).map(findingJson),
  };
}

export function explainText(plans: readonly VolumePlan[], findings: readonly Finding[], options: ExplainOptions, style: Style): string {
  const secrets = redactor(options.showSecrets ? [] : planSecrets(plans));
  const out: string[] = [];
  // Names and values come from the input: printed with their control characters escaped.
  const p = printableLine;
  out.push(style.dim(`policy ${p(options.policy)}${options.env ? `, environment ${p(options.env)}` : ''}`));
  const byVolume = findingsByVolume(findings);
  for (const plan of plans) {
    out.push('');
    out.push(`${style.bold(p(plan.volume))}${plan.engineName ? style.dim(` (engine name ${p(plan.engineName)})`) : ''}`);
    const row = (label: string, value: string) => out.push(`  ${label.padEnd(10)} ${value}`);
    row('class', plan.class ? `${p(plan.class)} ${style.dim(`(${p(reasonText(plan))})`)}` : style.dim(p(reasonText(plan))));
    const attach = [plan.attach && `attach ${plan.attach}`, plan.scope && `scope ${plan.scope}`].filter(Boolean).join(', ');
    row('driver', `${p(plan.driver ?? 'local')}${attach ? style.dim(`  ${attach}`) : ''}`);
    const opts = options.showSecrets ? plan.driver_opts : shownOptions(plan, secrets);
    if (Object.keys(opts).length) row('options', Object.entries(opts).map(([k, v]) => `${p(k)}=${p(JSON.stringify(v))}`).join(' '));
    if (Object.keys(plan.labels).length) row('labels', Object.entries(plan.labels).map(([k, v]) => `${p(k)}=${p(v)}`).join(' '));
    if (plan.placement.length) row('placement', p(plan.placement.join('; ')));
    row('services', plan.services.length ? p(plan.services.join(', ')) : style.dim('(none)'));
    for (const finding of byVolume.get(plan.volume) ?? []) out.push(`  ${formatFinding(finding, style).replace(/\n/g, '\n  ')}`);
  }
  const general = findings.filter((f) => f.volume === undefined && f.volumes === undefined);
  if (general.length) {
    out.push('');
    for (const finding of general) out.push(formatFinding(finding, style));
  }
  return out.join('\n') + '\n';
}

export interface EnvironmentExplain {
  env?: string;
  plans: readonly VolumePlan[];
  findings: readonly Finding[];
}

/**
 * Several environments side by side: a volume x environment table (class, then per environment the driver and
 * options, with the worst finding's severity), then each environment's findings.
 */
export function explainTable(runs: readonly EnvironmentExplain[], options: Omit<ExplainOptions, 'env'>, style: Style): string {
  const p = printableLine;
  const names = runs.map((run) => run.env ?? '(none)');
  const volumes = [...new Set(runs.flatMap((run) => run.plans.map((plan) => plan.volume)))];
  const marks = { error: ' ✗', warning: ' !', info: '' } as const;
  // Each run's plans and findings by volume, looked up per cell: cost in proportion to volumes and findings.
  const indexed = runs.map((run) => ({ plans: new Map(run.plans.map((plan) => [plan.volume, plan])), findings: findingsByVolume(run.findings), secrets: redactor(planSecrets(run.plans)) }));
  const cell = (at: number, volume: string): string => {
    const plan = indexed[at].plans.get(volume);
    if (!plan) return '-';
    const opts = options.showSecrets ? plan.driver_opts : shownOptions(plan, indexed[at].secrets);
    const text = [plan.driver ?? 'local', ...Object.entries(opts).map(([k, v]) => `${k}=${v}`)].join(' ');
    const own = indexed[at].findings.get(volume) ?? [];
    const worst = own.some((f) => f.severity === 'error') ? 'error' : own.some((f) => f.severity === 'warning') ? 'warning' : 'info';
    return p(text) + marks[worst];
  };
  const classOf = (volume: string) => {
    const found = indexed.map((run) => run.plans.get(volume)?.class).find((c) => c !== undefined);
    return found === undefined ? '-' : p(found);
  };
  const rows = [['volume', 'class', ...names.map(p)], ...volumes.map((volume) => [p(volume), classOf(volume), ...runs.map((_, at) => cell(at, volume))])];
  // A loop, not Math.max(...): spreading one argument per volume overflows the stack past about 150,000 volumes.
  const widths = rows[0].map((_, column) => rows.reduce((widest, row) => Math.max(widest, row[column].length), 0));
  const line = (row: string[]) => row.map((text, column) => (column === row.length - 1 ? text : text.padEnd(widths[column]))).join('  ');
  const out = [style.dim(`policy ${p(options.policy)}, environments ${names.map(p).join(', ')}`), '', style.bold(line(rows[0])), ...rows.slice(1).map(line)];
  out.push('', style.dim(`${marks.error.trim()} error, ${marks.warning.trim()} warning; findings per environment below`));
  for (const run of runs) {
    if (run.findings.length === 0) continue;
    out.push('', style.bold(`environment ${p(run.env ?? '(none)')}`));
    for (const finding of run.findings) out.push(formatFinding(finding, style));
  }
  return out.join('\n') + '\n';
}
