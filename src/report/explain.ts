/** What `explain` prints: per volume, the class, why, the driver and options, who mounts it, and the findings. */
import { printableLine } from './printable.js';
import type { Finding } from '../findings.js';
import type { VolumePlan } from '../transform/plan.js';
import { findingJson, formatFinding, type Style } from './findings.js';
import { redactOptions } from './redact.js';

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
    if (finding.volume === undefined) continue;
    const list = out.get(finding.volume);
    if (list) list.push(finding);
    else out.set(finding.volume, [finding]);
  }
  return out;
}

export function explainJson(plans: readonly VolumePlan[], findings: readonly Finding[], options: ExplainOptions) {
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
      driver_opts: options.showSecrets ? plan.driver_opts : redactOptions(plan.driver_opts, plan.secretOptions),
      labels: plan.labels,
      placement: plan.placement,
      services: plan.services,
      attach: plan.attach ?? null,
      scope: plan.scope ?? null,
      findings: (byVolume.get(plan.volume) ?? []).map(findingJson),
    })),
    findings: findings.filter((f) => f.volume === undefined).map(findingJson),
  };
}

export function explainText(plans: readonly VolumePlan[], findings: readonly Finding[], options: ExplainOptions, style: Style): string {
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
    const opts = options.showSecrets ? plan.driver_opts : redactOptions(plan.driver_opts, plan.secretOptions);
    if (Object.keys(opts).length) row('options', Object.entries(opts).map(([k, v]) => `${p(k)}=${p(JSON.stringify(v))}`).join(' '));
    if (Object.keys(plan.labels).length) row('labels', Object.entries(plan.labels).map(([k, v]) => `${p(k)}=${p(v)}`).join(' '));
    if (plan.placement.length) row('placement', p(plan.placement.join('; ')));
    row('services', plan.services.length ? p(plan.services.join(', ')) : style.dim('(none)'));
    for (const finding of byVolume.get(plan.volume) ?? []) out.push(`  ${formatFinding(finding, style).replace(/\n/g, '\n  ')}`);
  }
  const general = findings.filter((f) => f.volume === undefined);
  if (general.length) {
    out.push('');
    for (const finding of general) out.push(formatFinding(finding, style));
  }
  return out.join('\n') + '\n';
}
