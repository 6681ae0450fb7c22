import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'node-local-storage';
const at = locator(code);

describe(code, () => {
  it('warns for unpinned services of a swarm stack, at the mount', () => {
    const result = run(code, 'trigger.yml', { target: 'swarm' });
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: at('trigger.yml', 5, 9), volume: 'pgdata' },
      { severity: 'warning', at: at('trigger.yml', 6, 9), volume: 'uploads' },
      { severity: 'warning', at: at('trigger.yml', 15, 9), volume: 'cachedata' },
    ]);
    const text = messages(result, code);
    expect(text[0]).toContain('the data stays behind on the old node');
    expect(text[2]).toContain('its 2 replicas each get their own copy');
  });

  it('treats a deploy section as a sign of Swarm when the target is compose', () => {
    expect(seen(run(code, 'with-deploy.yml', { target: 'compose' }), code)).toEqual([
      { severity: 'warning', at: at('with-deploy.yml', 9, 9), volume: 'pgdata' },
    ]);
  });

  it('never warns for services of a compose stack that have no deploy section', () => {
    // db has no deploy section; cache has one, so it is still meant for Swarm.
    expect(seen(run(code, 'trigger.yml', { target: 'compose' }), code)).toEqual([
      { severity: 'warning', at: at('trigger.yml', 15, 9), volume: 'cachedata' },
    ]);
  });

  it('accepts pinned (by hostname, node label or class placement), global, tmpfs, NFS and silenced volumes', () => {
    expect(seen(run(code, 'clean.yml', { target: 'swarm' }), code)).toEqual([]);
  });
});
