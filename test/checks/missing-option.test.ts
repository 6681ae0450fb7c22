import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'missing-option';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml');

  it('reports options needed by another option, always, or in this configuration', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'error', at: at('trigger.yml', 14, 10), volume: 'opts' },
      { severity: 'error', at: at('trigger.yml', 18, 13), volume: 'nfs' },
      { severity: 'error', at: at('trigger.yml', 22, 7), volume: 'ebs' },
      { severity: 'error', at: at('trigger.yml', 26, 7), volume: 'io' },
      { severity: 'error', at: at('voldriver.yml', 6, 7), volume: 'files' },
    ]);
  });

  it('names what is missing', () => {
    const [o, type, size, iops, share] = messages(result, code);
    expect(o).toContain('option "o" of local only works together with "type" and "device"');
    expect(type).toContain('"device"');
    expect(size).toContain('needs option "size" in this configuration');
    expect(iops).toContain('needs option "iops" in this configuration');
    expect(share).toContain('driver azurefile needs option "share";');
  });

  it('is quiet when every needed option is there', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });
});
