import { describe, expect, it } from 'vitest';
import { messages, run, seen } from './helpers.js';
import { renderStack } from '../../src/index.js';

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

describe(`${code}: a class on a volume no service mounts, a typo away from one that is mounted`, () => {
  const policy = { version: 1 as const, classes: { fast: { driver: 'local' }, shared: { driver: 'local', labels: { s: '1' } } } };
  const base = 'services:\n  app:\n    image: x\n    volumes: [data:/d]\n  dbg:\n    image: x\n    profiles: [debug]\n    volumes: [trace:/t]\nvolumes:\n  data:\n    x-voldriver: fast\n  trace: {}\n';
  const warned = (...texts: string[]) =>
    renderStack({ sources: texts.map((text, i) => ({ name: `f${i}.yml`, text })), policy })
      .findings.filter((f) => f.code === code)
      .map((f) => [f.severity, `${f.file}:${f.line}:${f.col}`, f.message]);

  it('warns at the x-voldriver of an override that names the volume wrong', () => {
    expect(warned(base, 'volumes:\n  dta:\n    x-voldriver: shared\n')).toEqual([
      ['warning', 'f1.yml:3:5', 'x-voldriver on volume "dta" reaches no service: no service mounts "dta" (did you mean "data"?), and "data" keeps the class it has without it'],
    ]);
    expect(warned(base, 'volumes:\n  Data1:\n    x-voldriver: shared\n')).toHaveLength(1);
  });

  it('says nothing for a volume mounted only by a disabled service, a name far from any, or one without a class', () => {
    expect(warned(base, 'volumes:\n  trace:\n    x-voldriver: shared\n')).toEqual([]);
    expect(warned(base, 'volumes:\n  backups:\n    x-voldriver: shared\n')).toEqual([]);
    expect(warned(base, 'volumes:\n  dta: {}\n')).toEqual([]);
  });
});
