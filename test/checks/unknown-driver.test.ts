import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'unknown-driver';
const at = locator(code);

describe(code, () => {
  it('notes drivers nobody described, with a suggestion', () => {
    const result = run(code, 'trigger.yml');
    expect(seen(result, code)).toEqual([
      { severity: 'info', at: at('trigger.yml', 10, 13), volume: 'a' },
      { severity: 'info', at: at('trigger.yml', 12, 13), volume: 'b' },
      { severity: 'info', at: at('voldriver.yml', 4, 13), volume: 'c' },
    ]);
    const text = messages(result, code);
    expect(text[1]).toContain('(did you mean "rexray/ebs"?)');
    expect(text[0]).toContain('describe it under drivers: in the policy');
  });

  it('knows custom drivers from the policy and checks them like built-in ones', () => {
    const result = run(code, 'clean.yml');
    expect(seen(result, code)).toEqual([]);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
