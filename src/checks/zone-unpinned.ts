/** Block storage bound to one availability zone, mounted by a service Swarm may start in another zone. */
import type { Finding } from '../findings.js';
import { forSwarm, isPinned, knownPlans, mountPath, serviceFacts } from './common.js';
import type { Check } from './types.js';

export const zoneUnpinned: Check = {
  code: 'zone-unpinned',
  severity: 'warning',
  summary: 'zone-bound block storage (EBS, GCE PD, DO, Cinder) mounted by a service without a placement constraint',
  docs: 'docs/checks.md#zone-unpinned',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      if (!plan.driverSpec.zoneBound) continue;
      for (const service of plan.services) {
        const facts = serviceFacts(ctx, service);
        if (!forSwarm(ctx, facts) || isPinned(facts)) continue;
        findings.push({
          code: 'zone-unpinned',
          severity: 'warning',
          message:
            `volume "${plan.volume}" (${plan.driverSpec.name}) lives in one availability zone, and service "${service}" has no placement ` +
            `constraint: when Swarm starts the task on a node in another zone, the volume cannot be attached there and the task fails`,
          hint: 'add a placement constraint that keeps the service in the zone, e.g. node.labels.zone == eu-west-1a (a class can add it with placement:)',
          volume: plan.volume,
          path: mountPath(plan, service),
        });
      }
    }
    return findings;
  },
};
