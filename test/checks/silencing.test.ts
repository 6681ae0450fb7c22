import { describe, expect, it } from 'vitest';
import { run, seen } from './helpers.js';

const at = (line: number, col: number) => `fixtures/checks/silencing/compose.yml:${line}:${col}`;

describe('silencing and levels', () => {
  const result = run('silencing', 'compose.yml', { target: 'swarm' });

  it('drops a code silenced for the class or the volume, and keeps it for the others', () => {
    // cache: class fast turns node-local-storage off; raw: x-voldriver ignore; data: reported.
    expect(seen(result, 'node-local-storage')).toEqual([{ severity: 'warning', at: at(8, 9), volume: 'data' }]);
  });

  it('applies the policy level, and a class level over it', () => {
    expect(seen(result, 'zone-unpinned')).toEqual([
      { severity: 'info', at: at(10, 9), volume: 'ebs' },
      { severity: 'error', at: at(11, 9), volume: 'blk' },
    ]);
  });

  it('turns a code off for the whole policy', () => {
    expect(seen(result, 'legacy-driver')).toEqual([]);
    expect(seen(run('legacy-driver', 'trigger.yml'), 'legacy-driver')).toHaveLength(2);
  });
});
