/** Options that cannot be combined (gluster `servers` and `glusteropts`). */
import { findOption } from '../policies/catalog/index.js';
import type { Finding } from '../findings.js';
import { knownPlans, optionSpecOf, optionWhere } from './common.js';
import type { Check } from './types.js';

export const conflictingOptions: Check = {
  code: 'conflicting-options',
  severity: 'error',
  summary: 'two options that the driver does not accept together',
  docs: 'docs/checks.md#conflicting-options',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      const spec = optionSpecOf(plan, ctx);
      const keys = Object.keys(plan.driver_opts).filter((key) => plan.driver_opts[key] !== '');
      const reported = new Set<string>();
      for (const key of keys) {
        const option = findOption(spec, key);
        for (const other of keys) {
          const otherOption = findOption(spec, other);
          if (!option || !otherOption || option === otherOption || !(option.conflicts ?? []).includes(otherOption.name)) continue;
          const pair = [option.name, otherOption.name].sort().join('+');
          if (reported.has(pair)) continue;
          reported.add(pair);
          findings.push({
            code: 'conflicting-options',
            severity: 'error',
            message: `volume "${plan.volume}": options "${key}" and "${other}" of ${spec.name} cannot be used together; the driver refuses to create the volume`,
            hint: `keep one of ${key} and ${other}`,
            volume: plan.volume,
            ...optionWhere(plan, other),
          });
        }
      }
    }
    return findings;
  },
};
