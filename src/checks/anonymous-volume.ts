/**
 * An anonymous volume (`- /var/lib/data`, or a long mount of type volume with no source) in a service Swarm runs.
 * docker compose keeps a container's anonymous volumes when it recreates it; Swarm does not: every new task (an
 * update, a restart on another node, a reschedule) starts with a new, empty one, and the old task's data is left
 * behind in a volume nothing mounts.
 */
import { asObject } from '../compose/mounts.js';
import type { Finding } from '../findings.js';
import { forSwarm, serviceFacts } from './common.js';
import type { Check } from './types.js';

/** The target of an anonymous volume mount, or undefined for any other mount. */
function anonymousTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') {
    // A lone container path: no source, no mode. A Windows drive path (C:\data) has a colon of its own.
    return entry !== '' && !/:/.test(entry.replace(/^[A-Za-z]:[\\/]/, '')) ? entry : undefined;
  }
  const mount = asObject(entry);
  if ((mount.type ?? 'volume') !== 'volume' || (typeof mount.source === 'string' && mount.source !== '')) return undefined;
  return typeof mount.target === 'string' ? mount.target : undefined;
}

export const anonymousVolume: Check = {
  code: 'anonymous-volume',
  severity: 'warning',
  summary: 'an anonymous volume in a Swarm service: every new task starts with a new, empty one',
  docs: 'docs/checks.md#anonymous-volume',
  run(ctx) {
    const findings: Finding[] = [];
    for (const [service, definition] of Object.entries(asObject(ctx.model.services))) {
      const volumes = asObject(definition).volumes;
      if (!Array.isArray(volumes)) continue;
      let facts: ReturnType<typeof serviceFacts> | undefined;
      volumes.forEach((entry, index) => {
        const target = anonymousTarget(entry);
        if (target === undefined) return;
        facts ??= serviceFacts(ctx, service);
        if (!forSwarm(ctx, facts)) return;
        findings.push({
          code: 'anonymous-volume',
          severity: 'warning',
          message:
            `service "${service}" mounts an anonymous volume at ${target}: Swarm gives every new task (each update, restart or ` +
            `reschedule) a new, empty volume there, and the data of the task before stays behind in a volume nothing mounts`,
          hint: `mount a named volume there (declared under volumes:, with a class), or a tmpfs for scratch data; silence it in the policy with checks: { anonymous-volume: off }`,
          path: ['services', service, 'volumes', index],
        });
      });
    }
    return findings;
  },
};
