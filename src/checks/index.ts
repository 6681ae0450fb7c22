/** The registry of checks and the severity rules: policy-wide levels, per-class levels, per-volume ignores. */
import type { Finding } from '../findings.js';
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
