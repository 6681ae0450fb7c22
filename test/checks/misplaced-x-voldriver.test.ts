import { describe, expect, it } from 'vitest';
import { messages, run, seen } from './helpers.js';

const code = 'misplaced-x-voldriver';
const at = (line: number, col: number) => `fixtures/checks/${code}/trigger.yml:${line}:${col}`;

describe(code, () => {
  it('warns at every x-voldriver render never reads, and at keys spelt almost so', () => {
    const result = run(code, 'trigger.yml');
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: at(1, 1), volume: undefined },
      { severity: 'warning', at: at(5, 5), volume: undefined },
      { severity: 'warning', at: at(10, 9), volume: undefined },
      { severity: 'warning', at: at(12, 11), volume: undefined },
      { severity: 'warning', at: at(14, 7), volume: undefined },
      { severity: 'warning', at: at(17, 5), volume: undefined },
      { severity: 'warning', at: at(20, 5), volume: undefined },
      { severity: 'warning', at: at(22, 5), volume: undefined },
      { severity: 'warning', at: at(24, 5), volume: undefined },
    ]);
    const said = messages(result, code).map((text) => text.split('\n')[0]);
    expect(said[0]).toBe('x-voldriver at the top level gives no class: render reads it only on a volume of the top-level volumes section');
    expect(said[2]).toBe('x-voldriver in a mount of service "db" gives no class: render reads it only on a volume of the top-level volumes section');
    expect(said[6]).toBe('"x-voldrivr" on volume "pgdata" is not x-voldriver, so render does not read it as a class');
    const hints = result.findings.filter((finding) => finding.code === code).map((finding) => finding.hint);
    expect(hints[2]).toContain('move it to volume "pgdata"');
    // None of them classed a volume: every one is left as written.
    expect(result.plans.filter((plan) => plan.class !== undefined)).toEqual([]);
  });

  it('stays quiet for x-voldriver on volumes (merged in from an anchor too) and for other x- keys', () => {
    const result = run(code, 'clean.yml');
    expect(seen(result, code)).toEqual([]);
    expect(result.plans.find((plan) => plan.volume === 'pgdata')?.class).toBe('durable');
  });
});
