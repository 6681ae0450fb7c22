/** Drivers whose development stopped: they still work, but nothing fixes them for newer Docker or cloud APIs. */
import type { Finding } from '../findings.js';
import { driverWhere, knownPlans } from './common.js';
import type { Check } from './types.js';

const STATUS: Record<string, string> = {
  legacy: 'no longer maintained',
  deprecated: 'deprecated by its vendor',
  discontinued: 'discontinued by its vendor',
};

export const legacyDriver: Check = {
  code: 'legacy-driver',
  severity: 'info',
  summary: 'a driver that is no longer maintained, deprecated or discontinued',
  docs: 'docs/checks.md#legacy-driver',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      const spec = plan.driverSpec;
      const status = STATUS[spec.status];
      if (!status) continue;
      const last = spec.lastRelease ? ` (last release: ${spec.lastRelease})` : '';
      findings.push({
        code: 'legacy-driver',
        severity: 'info',
        message:
          `volume "${plan.volume}": driver ${spec.name} is ${status}${last}; it gets no fixes for newer Docker engines, ` +
          `kernels or cloud APIs, so a node upgrade can break mounting`,
        hint: 'plan a move to a maintained driver; silence this for the class or policy with checks: { legacy-driver: off } once accepted',
        volume: plan.volume,
        ...driverWhere(ctx, plan),
      });
    }
    return findings;
  },
};
