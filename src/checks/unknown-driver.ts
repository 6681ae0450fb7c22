/** Drivers the catalog does not describe: fine for custom plugins, but the other checks cannot judge them. */
import { builtinDrivers } from '../policies/catalog/index.js';
import type { Finding } from '../findings.js';
import { didYouMean, suggestionBudget } from '../suggest.js';
import { checkedPlans, driverWhere } from './common.js';
import type { Check } from './types.js';

export const unknownDriver: Check = {
  code: 'unknown-driver',
  severity: 'info',
  summary: 'a driver neither the catalog nor the policy describes, so its options and attach mode go unchecked',
  docs: 'docs/checks.md#unknown-driver',
  run(ctx) {
    const findings: Finding[] = [];
    const names = [...builtinDrivers, ...(ctx.policy.data.drivers ?? [])].flatMap((d) => [d.name, ...(d.aliases ?? [])]);
    const suggestions = suggestionBudget();
    for (const plan of checkedPlans(ctx)) {
      if (plan.driverSpec || plan.driver === undefined) continue;
      findings.push({
        code: 'unknown-driver',
        severity: 'info',
        message:
          `volume "${plan.volume}" uses driver "${plan.driver}", which the driver catalog does not know${didYouMean(plan.driver, names, suggestions)}: ` +
          `its options, attach mode and zone are not checked; if no plugin of that name is installed on a node, tasks there fail to create the volume`,
        hint: `describe it under drivers: in the policy (options, attach, scope) so the checks know it; see compose-voldriver drivers for examples`,
        volume: plan.volume,
        ...driverWhere(ctx, plan),
      });
    }
    return findings;
  },
};
