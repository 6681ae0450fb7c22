import { describe, expect, it } from 'vitest';
import { messages, run, seen } from './helpers.js';

const code = 'conflicting-options';

describe(code, () => {
  it('reports one finding per conflicting pair', () => {
    const result = run(code, 'trigger.yml');
    expect(seen(result, code)).toEqual([{ severity: 'error', at: `fixtures/checks/${code}/trigger.yml:12:20`, volume: 'data' }]);
    expect(messages(result, code)[0]).toContain('"servers" and "glusteropts" of glusterfs cannot be used together');
  });

  it('accepts either option alone', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });
});
