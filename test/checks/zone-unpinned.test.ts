import { describe, expect, it } from 'vitest';
import { messages, run, seen } from './helpers.js';

const code = 'zone-unpinned';
const at = (line: number, col: number) => `fixtures/checks/${code}/trigger.yml:${line}:${col}`;

describe(code, () => {
  it('warns at the mount of each service without a pinning constraint', () => {
    const result = run(code, 'trigger.yml', { target: 'swarm' });
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: at(7, 9), volume: 'pgdata' },
      { severity: 'warning', at: at(11, 9), volume: 'index' },
    ]);
    expect(messages(result, code)[1]).toContain('(rexray/gcepd) lives in one availability zone');
  });

  it('accepts a constraint on the service or one the class adds', () => {
    expect(seen(run(code, 'clean.yml', { target: 'swarm', set: { zone: 'eu-west-1a' } }), code)).toEqual([]);
  });

  it('stays quiet for a compose stack on one host', () => {
    expect(seen(run(code, 'compose-only.yml', { target: 'compose' }), code)).toEqual([]);
  });
});
