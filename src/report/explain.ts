/** What `explain` prints: per volume, the class, why, the driver and options, who mounts it, and the findings. */
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

export function explainJson(plans: readonly VolumePlan[], findings: readonly Finding[], options: ExplainOptions) {
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
      findings: findings.filter((f) => f.volume === plan.volume).map(findingJson),
    })),
    findings: findings.filter((f) => f.volume === undefined).map(findingJson),
  };
}

export function explainText(plans: readonly VolumePlan[], findings: readonly Finding[], options: ExplainOptions, style: Style): string {
  const out: string[] = [];
  out.push(style.dim(`policy ${options.policy}${options.env ? `, environment ${options.env}` : ''}`));
  for (const plan of plans) {
    out.push('');
    out.push(`${style.bold(plan.volume)}${plan.engineName ? style.dim(` (engine name ${plan.engineName})`) : ''}`);
    const row = (label: string, value: string) => out.push(`  ${label.padEnd(10)} ${value}`);
    row('class', plan.class ? `${plan.class} ${style.dim(`(${reasonText(plan)})`)}` : style.dim(reasonText(plan)));
    const attach = [plan.attach && `attach ${plan.attach}`, plan.scope && `scope ${plan.scope}`].filter(Boolean).join(', ');
    row('driver', `${plan.driver ?? 'local'}${attach ? style.dim(`  ${attach}`) : ''}`);
    const opts = options.showSecrets ? plan.driver_opts : redactOptions(plan.driver_opts, plan.secretOptions);
    if (Object.keys(opts).length) row('options', Object.entries(opts).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '));
    if (Object.keys(plan.labels).length) row('labels', Object.entries(plan.labels).map(([k, v]) => `${k}=${v}`).join(' '));
    if (plan.placement.length) row('placement', plan.placement.join('; '));
    row('services', plan.services.length ? plan.services.join(', ') : style.dim('(none)'));
    for (const finding of findings.filter((f) => f.volume === plan.volume)) out.push(`  ${formatFinding(finding, style).replace(/\n/g, '\n  ')}`);
  }
  const general = findings.filter((f) => f.volume === undefined);
  if (general.length) {
    out.push('');
    for (const finding of general) out.push(formatFinding(finding, style));
  }
  return out.join('\n') + '\n';
}
