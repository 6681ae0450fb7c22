/** A volume only one node can attach, used by tasks that Swarm runs on several nodes at once. */
import type { DocPath, Finding } from '../findings.js';
import { forSwarm, isGlobal, knownPlans, mountPath, perTaskName, serviceFacts, volumeName, type ServiceFacts } from './common.js';
import type { Check } from './types.js';
import { own } from '../own.js';
import type { VolumePlan } from '../plan/volume-plan.js';

const writes = (plan: VolumePlan, service: string) => plan.mounts.some((mount) => mount.service === service && !mount.readOnly);

function spread(facts: ServiceFacts): { why: string; path: DocPath } | undefined {
  const deploy = ['services', facts.name, 'deploy'];
  if (isGlobal(facts)) return { why: `runs in mode ${facts.mode} (one task on every node)`, path: [...deploy, 'mode'] };
  if (facts.replicas !== undefined && facts.replicas > 1) return { why: `has ${facts.replicas} replicas`, path: facts.replicasAt };
  return undefined;
}

const ONE_NODE = /^\s*(?:node\.hostname|node\.id)\s*==\s*\S/;

function onOneNode(facts: ServiceFacts): boolean {
  return facts.constraints.some((constraint) => ONE_NODE.test(constraint));
}

const HINT_PER_TASK = 'use a multi-attach class (NFS, EFS, shared Portworx...) or give each task its own volume: name: "<name>-{{.Task.Slot}}"';

export const singleAttachReplicated: Check = {
  code: 'single-attach-replicated',
  severity: 'error',
  summary: 'a single-attach volume (EBS, GCE PD, RBD...) mounted by several replicas, a global service or several services',
  docs: 'docs/checks.md#single-attach-replicated',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      if (plan.attach !== 'single' || perTaskName(volumeName(plan))) continue;
      // A class that promises one writer is held to it by single-writer, which reports the same services.
      const promised = plan.managed && plan.class !== undefined && own(ctx.policy.data.classes, plan.class)?.access === 'single';
      const driver = plan.driverSpec.name;
      const facts = plan.services.map((service) => serviceFacts(ctx, service));
      for (const service of facts) {
        const found = spread(service);
        if (!found || (promised && writes(plan, service.name))) continue;
        findings.push({
          code: 'single-attach-replicated',
          severity: 'error',
          message:
            `service "${service.name}" ${found.why} and mounts volume "${plan.volume}" (${driver}), which only one node can attach at a time: ` +
            `tasks on other nodes fail to mount it and stay rejected, or take the disk away from the running task`,
          hint: HINT_PER_TASK,
          volume: plan.volume,
          path: found.path,
        });
      }
      // Several services: Swarm places each on its own, so they may end up on different nodes unless every one is
      // pinned to one node. A label (a zone, a rack) names a group of nodes and does not keep them together.
      if (facts.length > 1 && facts.some((f) => forSwarm(ctx, f)) && !facts.every(onOneNode)) {
        const [first, ...others] = facts;
        for (const other of others) {
          if (promised && writes(plan, first.name) && writes(plan, other.name)) continue;
          findings.push({
            code: 'single-attach-replicated',
            severity: 'warning',
            message:
              `volume "${plan.volume}" (${driver}) attaches to one node at a time but is mounted by services "${first.name}" and "${other.name}": ` +
              `when Swarm places them on different nodes, the second one fails to mount it`,
            hint: 'pin the services to the same node (placement constraint node.hostname == ...), or use a multi-attach class',
            volume: plan.volume,
            path: mountPath(plan, other.name),
          });
        }
      }
    }
    return findings;
  },
};
