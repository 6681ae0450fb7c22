/**
 * `access: single` is a promise: one writer at a time. Several tasks writing one database directory corrupt it
 * on any driver, shared storage (NFS, EFS) included, where nothing else stops them.
 */
import type { Finding } from '../findings.js';
import { own } from '../own.js';
import { isGlobal, perTaskName, serviceFacts, volumeName } from './common.js';
import type { Check } from './types.js';

export const SINGLE_WRITER_HINT =
  'give each task its own volume with name: "{volume}-{{.Task.Slot}}" in the class, mount it read-only (:ro) in all but one service, or use a class with access: multi';

export const singleWriter: Check = {
  code: 'single-writer',
  severity: 'error',
  summary: 'a class with access: single mounted read-write by more than one task (replicas > 1, global, several services)',
  docs: 'docs/checks.md#single-writer',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of ctx.plans) {
      if (!plan.managed || plan.class === undefined || own(ctx.policy.data.classes, plan.class)?.access !== 'single') continue;
      if (perTaskName(volumeName(plan))) continue;
      const writers = plan.mounts.filter((mount) => !mount.readOnly);
      const services = [...new Set(writers.map((mount) => mount.service))];
      for (const service of services) {
        const facts = serviceFacts(ctx, service);
        const deploy = ['services', service, 'deploy'];
        const many = isGlobal(facts)
          ? { why: `runs in mode ${facts.mode} (one task on every node)`, path: [...deploy, 'mode'] }
          : facts.replicas !== undefined && facts.replicas > 1
            ? { why: `has ${facts.replicas} replicas`, path: facts.replicasAt }
            : undefined;
        if (!many) continue;
        findings.push({
          code: 'single-writer',
          severity: 'error',
          message: `service "${service}" ${many.why} that all write volume "${plan.volume}", whose class "${plan.class}" promises access: single (one writer): several writers corrupt data such as a database directory, on any driver`,
          hint: SINGLE_WRITER_HINT,
          volume: plan.volume,
          path: many.path,
        });
      }
      if (services.length > 1) {
        const [first, ...others] = services;
        for (const other of others) {
          const mount = writers.find((m) => m.service === other)!;
          findings.push({
            code: 'single-writer',
            severity: 'error',
            message: `services "${first}" and "${other}" both mount volume "${plan.volume}" read-write, but its class "${plan.class}" promises access: single (one writer)`,
            hint: SINGLE_WRITER_HINT,
            volume: plan.volume,
            path: mount.path,
          });
        }
      }
    }
    return findings;
  },
};
