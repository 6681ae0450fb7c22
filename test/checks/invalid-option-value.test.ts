import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'invalid-option-value';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml');

  it('reports wrong units, types, ranges and sizes below the minimum as errors, values the catalog does not list as warnings', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'error', at: at('trigger.yml', 13, 13), volume: 'ebs' },
      { severity: 'warning', at: at('trigger.yml', 14, 19), volume: 'ebs' },
      { severity: 'error', at: at('trigger.yml', 15, 13), volume: 'ebs' },
      { severity: 'error', at: at('trigger.yml', 16, 18), volume: 'ebs' },
      { severity: 'error', at: at('trigger.yml', 21, 13), volume: 'gce' },
      { severity: 'error', at: at('trigger.yml', 25, 13), volume: 'px' },
      { severity: 'warning', at: at('voldriver.yml', 7, 20), volume: 'scratch' },
    ]);
  });

  it('explains each problem', () => {
    const [size, type, iops, bool, min, repl, priority] = messages(result, code);
    expect(size).toContain('"10G" has a unit: this driver wants a whole number of GiB');
    expect(type).toContain('"gp9" is not among the values the catalog lists for volumeType (gp2, io1, st1, sc1, standard)');
    expect(type).toContain('the backend may take it (a newer type, say), but that is unverified');
    expect(iops).toContain('expected a whole number');
    expect(bool).toContain('expected "true" or "false"');
    expect(min).toContain("below the driver's minimum of 10GB");
    expect(repl).toContain('above the maximum 3');
    expect(priority).toContain('"urgent" is not among the values the catalog lists for io_priority');
  });

  it('accepts values in the driver format, including sizes converted from parameters', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });

  it('does not judge a value still holding a placeholder', () => {
    const result = run(code, 'unresolved.yml');
    expect(result.findings.map((f) => f.code)).toContain('missing-parameter');
    expect(seen(result, code)).toEqual([]);
  });
});
