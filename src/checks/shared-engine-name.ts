/**
 * Several volume keys that end up with one engine name are one volume in the engine: it is created once, with the
 * driver and options of whichever definition is used first, so different definitions cannot all hold; and keys
 * that had their own volumes before render would now share one's data.
 */
import type { Finding } from '../findings.js';
import type { VolumePlan } from '../plan/volume-plan.js';
import { nameWhere, volumeName } from './common.js';
import type { Check } from './types.js';

/** What the engine creates the volume with. */
const config = (plan: VolumePlan) => JSON.stringify([plan.driver ?? 'local', Object.entries(plan.driver_opts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);

export const sharedEngineName: Check = {
  code: 'shared-engine-name',
  severity: 'error',
  summary: 'volume keys render gives one engine name with different drivers or options, or that had their own volumes before',
  docs: 'docs/checks.md#shared-engine-name',
  run(ctx) {
    const findings: Finding[] = [];
    const byName = new Map<string, VolumePlan[]>();
    for (const plan of ctx.plans) {
      const name = plan.engineName ?? volumeName(plan);
      if (plan.external || name === undefined) continue;
      const group = byName.get(name);
      if (group) group.push(plan);
      else byName.set(name, [plan]);
    }
    for (const [name, group] of byName) {
      if (group.length < 2 || !group.some((plan) => plan.managed)) continue;
      const [first, ...others] = group;
      for (const plan of others) {
        if (!plan.managed && !first.managed) continue;
        const differs = config(plan) !== config(first);
        const before = (p: VolumePlan) => p.provenance.previous.engineName ?? p.provenance.previous.name ?? `<stack>_${p.volume}`;
        const joined = before(plan) !== before(first);
        if (!differs && !joined) continue;
        findings.push({
          code: 'shared-engine-name',
          severity: 'error',
          message: differs
            ? `volumes "${first.volume}" and "${plan.volume}" are both created as "${name}", with different drivers or options (${first.driver ?? 'local'} ` +
              `${JSON.stringify(first.driver_opts)}, ${plan.driver ?? 'local'} ${JSON.stringify(plan.driver_opts)}): the engine creates the volume once, ` +
              `from the definition used first, and silently ignores the other (or refuses it when the driver differs)`
            : `volumes "${first.volume}" and "${plan.volume}" had their own volumes ("${before(first)}", "${before(plan)}") and are now both created as ` +
              `"${name}": their services would share one volume, and the data of the other stays behind`,
          hint: differs
            ? 'give the volumes the same class, or different names (a class name: with {volume} in it)'
            : 'use a name: with {volume} in it in the class, so each volume keeps a name of its own',
          volume: plan.volume,
          ...nameWhere(ctx, plan),
        });
      }
    }
    return findings;
  },
};
