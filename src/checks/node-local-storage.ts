/** Data that lives on one node (local driver without a network type), for a service Swarm may move elsewhere. */
import { optionValue } from '../policies/catalog/index.js';
import type { Finding } from '../findings.js';
import { forSwarm, isGlobal, isPinned, knownPlans, mountPath, serviceFacts } from './common.js';
import type { Check } from './types.js';

export const nodeLocalStorage: Check = {
  code: 'node-local-storage',
  severity: 'warning',
  summary: 'node-local storage (local driver, no network type) for a Swarm service that is not pinned to a node',
  docs: 'docs/checks.md#node-local-storage',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      if (plan.attach !== 'node-local') continue;
      // tmpfs data does not outlive the container anyway: a move loses nothing a restart would not.
      if (optionValue(plan.driverSpec, plan.driver_opts, 'type')?.toLowerCase() === 'tmpfs') continue;
      for (const service of plan.services) {
        const facts = serviceFacts(ctx, service);
        // A global task never moves: each node runs its own, next to its own data.
        if (!forSwarm(ctx, facts) || isGlobal(facts) || isPinned(facts)) continue;
        const replicas = facts.replicas !== undefined && facts.replicas > 1 ? `its ${facts.replicas} replicas each get their own copy, and ` : '';
        findings.push({
          code: 'node-local-storage',
          severity: 'warning',
          message:
            `volume "${plan.volume}" (${plan.driverSpec.name}${plan.driver_opts.type ? `, type ${plan.driver_opts.type}` : ''}) keeps its data on the node ` +
            `where service "${service}" runs: ${replicas}when Swarm reschedules the task on another node, it starts with a new, empty volume ` +
            `there and the data stays behind on the old node`,
          hint:
            'use a class on shared storage (NFS, a volume plugin), or pin the service with a placement constraint ' +
            '(node.hostname == <node> or node.labels.<label> == <value>); for scratch data, silence it in the class: checks: { node-local-storage: off }',
          volume: plan.volume,
          path: mountPath(plan, service),
        });
      }
    }
    return findings;
  },
};
