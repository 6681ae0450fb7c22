/** The registry of checks and the severity rules: policy-wide levels, per-class levels, per-volume ignores. */
import type { Finding } from '../findings.js';
import { didYouMean } from '../suggest.js';
import { accessMismatch } from './access-mismatch.js';
import { conflictingOptions } from './conflicting-options.js';
import { driverChanged } from './driver-changed.js';
import { engineName } from './engine-name.js';
import { invalidOptionValue } from './invalid-option-value.js';
import { legacyDriver } from './legacy-driver.js';
import { missingOption } from './missing-option.js';
import { nodeLocalStorage } from './node-local-storage.js';
import { pluginSettingOption } from './plugin-setting-option.js';
import { secretInOptions } from './secret-in-options.js';
import { singleAttachReplicated } from './single-attach-replicated.js';
import { unknownDriver } from './unknown-driver.js';
import { unknownOption } from './unknown-option.js';
import { yamlAmbiguousValue } from './yaml-ambiguous-value.js';
import { zoneUnpinned } from './zone-unpinned.js';
import type { Check, CheckContext } from './types.js';

export const checks: readonly Check[] = [
  unknownDriver,
  legacyDriver,
  unknownOption,
  pluginSettingOption,
  invalidOptionValue,
  missingOption,
  conflictingOptions,
  yamlAmbiguousValue,
  secretInOptions,
  singleAttachReplicated,
  nodeLocalStorage,
  zoneUnpinned,
  engineName,
  driverChanged,
  accessMismatch,
];

/** Codes of findings the core reports outside the checks (loading, planning, editing, targets). */
const CORE_CODES = [
  'schema',
  'unknown-class',
  'invalid-x-voldriver',
  'class-on-external',
  'undefined-volume',
  'missing-parameter',
  'missing-variable',
  'unset-variable',
  'invalid-size',
  'size-rounded',
  'shared-yaml-node',
  'flow-style-section',
  'ignored-by-stack-deploy',
  'removed-for-stack-deploy',
  'converted-for-stack-deploy',
  'driver-options-dropped',
  'unknown-check',
];

export const knownCodes: ReadonlySet<string> = new Set([...checks.map((check) => check.code), ...CORE_CODES]);

/** Check codes named in the policy's `checks:` and the volumes' `ignore:` must exist: a typo silences nothing. */
export function unknownCodes(ctx: Pick<CheckContext, 'plans' | 'policy'>): Finding[] {
  const findings: Finding[] = [];
  const report = (name: string, source: 'policy' | 'compose', path: (string | number)[], volume?: string) =>
    findings.push({
      code: 'unknown-check',
      severity: 'error',
      message: `"${name}" is not a check code${didYouMean(name, knownCodes)}, so it silences nothing`,
      hint: 'docs/checks.md lists the codes',
      volume,
      source,
      path,
    });
  for (const name of Object.keys(ctx.policy.data.checks ?? {})) if (!knownCodes.has(name)) report(name, 'policy', ['checks', name]);
  for (const [className, spec] of Object.entries(ctx.policy.data.classes)) {
    for (const name of Object.keys(spec.checks ?? {})) if (!knownCodes.has(name)) report(name, 'policy', ['classes', className, 'checks', name]);
  }
  for (const plan of ctx.plans) {
    plan.ignore.forEach((name, index) => {
      if (!knownCodes.has(name)) report(name, 'compose', ['volumes', plan.volume, 'x-voldriver', 'ignore', index], plan.volume);
    });
  }
  return findings;
}

export function runChecks(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    for (const found of check.run(ctx)) findings.push({ code: check.code, severity: check.severity, ...found });
  }
  return findings;
}

/** Apply `checks:` levels from the policy and class, and `x-voldriver.ignore` from the volume. */
export function applyLevels(findings: Finding[], ctx: Pick<CheckContext, 'plans' | 'policy'>): Finding[] {
  const byVolume = new Map(ctx.plans.map((plan) => [plan.volume, plan]));
  const out: Finding[] = [];
  for (const finding of findings) {
    const plan = finding.volume !== undefined ? byVolume.get(finding.volume) : undefined;
    if (plan?.ignore.includes(finding.code)) continue;
    const classLevel = plan?.class !== undefined ? ctx.policy.data.classes[plan.class]?.checks?.[finding.code] : undefined;
    const level = classLevel ?? ctx.policy.data.checks?.[finding.code];
    if (level === 'off') continue;
    out.push(level ? { ...finding, severity: level } : finding);
  }
  return out;
}
