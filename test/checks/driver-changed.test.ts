import { describe, expect, it } from 'vitest';
import { messages, run, seen } from './helpers.js';

const code = 'driver-changed';
const at = (line: number, col: number) => `fixtures/checks/${code}/trigger.yml:${line}:${col}`;

describe(code, () => {
  const result = run(code, 'trigger.yml');

  it('warns when a rewrite changes the driver, the name or the options of a volume the input tied down', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: at(13, 13), volume: 'pgdata' },
      { severity: 'warning', at: at(16, 11), volume: 'uploads' },
      { severity: 'warning', at: at(21, 7), volume: 'cache' },
      { severity: 'warning', at: at(23, 3), volume: 'logs' },
      { severity: 'warning', at: at(27, 13), volume: 'media' },
      { severity: 'warning', at: at(30, 3), volume: 'scratch' },
    ]);
  });

  it('says that Docker migrates nothing', () => {
    const [driver, name, options, implicit, relabelled, derived] = messages(result, code);
    expect(driver).toContain('changes it to "rexray/ebs": Docker does not migrate data');
    expect(name).toContain('a new, EMPTY volume "uploads-v2"; the data stays in "uploads-prod"');
    expect(options).toContain('keeps the options it was created with');
    expect(implicit).toContain('written with driver "local"');
    expect(relabelled).toContain('"rexray/ebs" and class "replicated" changes it to "pxd"');
    expect(derived).toContain('"scratch-v2" instead of "driver-changed_scratch"');
  });

  it('stays quiet when nothing changes or the input never named a driver or name', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });
});
