/**
 * A class that promises an access mode (`access: multi`) must map, in every environment, to a driver that can
 * give it. Checked when the policy loads: a wrong mapping would otherwise only show when a second node mounts.
 */
import { own } from '../own.js';
import type { DocPath, Finding, Severity } from '../findings.js';
import { attachModeOf, findDriver, optionValue } from './catalog/index.js';
import type { AttachMode } from './catalog/types.js';
import { resolveMapping } from './mapping.js';
import { placeholdersIn } from './placeholders.js';
import type { ClassSpec, Policy, Scalar } from './types.js';

export const ACCESS_CODE = 'access-mismatch';

const SATISFIES: Record<'single' | 'multi', AttachMode[]> = {
  single: ['single', 'multi', 'node-local'],
  multi: ['multi'],
};

const WHAT: Record<AttachMode, string> = {
  single: 'attaches to one node at a time',
  multi: 'can be mounted by many nodes at once',
  'node-local': 'keeps separate data on each node',
};

interface Mapping {
  env?: string;
  driver: string;
  opts: Record<string, string>;
  path: DocPath;
}

const strings = (opts: Record<string, Scalar> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(opts ?? {}).map(([key, value]) => [key, String(value)]));

/** The base mapping and each environment that changes the driver or its options. */
function mappingsOf(policy: Policy, className: string, spec: ClassSpec): Mapping[] {
  const base: DocPath = ['classes', className];
  const out: Mapping[] = [{ driver: spec.driver, opts: strings(spec.driver_opts), path: [...base, 'driver'] }];
  for (const [env, override] of Object.entries(spec.environments ?? {})) {
    if (override.driver === undefined && override.driver_opts === undefined) continue;
    const { mapping } = resolveMapping(policy, className, env);
    out.push({
      env,
      driver: mapping.driver,
      opts: strings(mapping.driver_opts),
      path: [...base, 'environments', env, override.driver !== undefined ? 'driver' : 'driver_opts'],
    });
  }
  return out;
}

function levelFor(policy: Policy, className: string): Severity | 'off' {
  return own(policy.data.classes, className)?.checks?.[ACCESS_CODE] ?? policy.data.checks?.[ACCESS_CODE] ?? 'error';
}

export function checkPolicyAccess(policy: Policy): Finding[] {
  const findings: Finding[] = [];
  for (const [className, spec] of Object.entries(policy.data.classes)) {
    const access = spec.access;
    if (access === undefined) continue;
    const level = levelFor(policy, className);
    if (level === 'off') continue;
    for (const mapping of mappingsOf(policy, className, spec)) {
      const driver = findDriver(mapping.driver, policy.data.drivers);
      if (!driver) continue;
      // An option that decides the attach mode but is still a {placeholder} cannot be judged before render.
      const undecided = (driver.attachRules ?? []).some((rule) => placeholdersIn(optionValue(driver, mapping.opts, rule.option) ?? '').length > 0);
      if (undecided) continue;
      const attach = attachModeOf(driver, mapping.opts);
      if (SATISFIES[access].includes(attach)) continue;
      const where = mapping.env !== undefined ? `in environment "${mapping.env}"` : 'in its base mapping';
      findings.push({
        code: ACCESS_CODE,
        severity: level,
        message:
          `class "${className}" promises access: ${access}, but ${where} it maps to ${mapping.driver}, which ${WHAT[attach]}: ` +
          `services on different nodes cannot share its data`,
        hint:
          `map class "${className}" to a multi-attach driver there (local with type nfs, rexray/efs, pxd with shared: "true"...), or change its access to single; ` +
          `where one node is all there is (a laptop), silence it for the class: checks: { access-mismatch: off }`,
        source: 'policy',
        path: mapping.path,
        ...policy.locate(mapping.path),
      });
    }
  }
  return findings;
}
