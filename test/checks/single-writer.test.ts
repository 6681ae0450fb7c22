import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'single-writer';
const at = locator(code);

describe(code, () => {
  for (const env of ['laptop', 'onprem', 'aws']) {
    it(`holds access: single to one writer on every driver (${env})`, () => {
      const result = run(code, 'trigger.yml', { target: 'swarm', env });
      expect(seen(result, code)).toEqual([
        { severity: 'error', at: at('trigger.yml', 5, 17), volume: 'pgdata' },
        { severity: 'error', at: at('trigger.yml', 11, 13), volume: 'state' },
        { severity: 'error', at: at('trigger.yml', 21, 9), volume: 'jobs' },
      ]);
    });
  }

  it('says why and how to give each task its own volume', () => {
    const [replicas, global, services] = messages(run(code, 'trigger.yml', { env: 'onprem' }), code);
    expect(replicas).toContain('service "db" has 3 replicas');
    expect(replicas).toContain('name: "{volume}-{{.Task.Slot}}"');
    expect(global).toContain('runs in mode global');
    expect(services).toContain('services "writer" and "other-writer" both mount volume "jobs" read-write');
  });

  it('is the one finding on a block driver: single-attach-replicated does not repeat it', () => {
    const result = run(code, 'trigger.yml', { target: 'swarm', env: 'aws' });
    expect(seen(result, 'single-attach-replicated')).toEqual([]);
  });

  it('leaves alone readers, multi-access classes and per-task names', () => {
    for (const env of ['laptop', 'onprem', 'aws']) expect(seen(run(code, 'clean.yml', { target: 'swarm', env }), code)).toEqual([]);
  });
});

describe(`${code}: Compose's scale`, () => {
  it('counts scale as replicas, in docker compose and once --target swarm writes it as deploy.replicas', () => {
    for (const target of ['compose', 'swarm'] as const) {
      const result = run(code, 'scale.yml', { target, env: 'onprem' });
      expect(seen(result, code), target).toEqual([{ severity: 'error', at: at('scale.yml', 5, 12), volume: 'cachedata' }]);
      expect(messages(result, code)[0]).toContain('service "cache" has 3 replicas that all write volume "cachedata"');
    }
  });
});
