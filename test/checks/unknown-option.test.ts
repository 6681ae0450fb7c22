import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'unknown-option';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml');

  it('is an error for drivers that reject unknown keys and a warning for the others, in compose and policy', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'error', at: at('trigger.yml', 15, 7), volume: 'cache' },
      { severity: 'warning', at: at('trigger.yml', 20, 7), volume: 'data' },
      { severity: 'error', at: at('voldriver.yml', 14, 7), volume: 'files' },
      { severity: 'warning', at: at('voldriver.yml', 19, 7), volume: 'blk' },
    ]);
  });

  it('suggests the closest option and says what happens at runtime', () => {
    const [cache, data, files] = messages(result, code);
    expect(cache).toContain('(did you mean "size"?)');
    expect(cache).toContain('creating the volume fails');
    expect(data).toContain('(did you mean "encrypted"?)');
    expect(data).toContain('silently has no effect');
    expect(files).toContain('"nfs_opts"');
    expect(files).toContain('local options: type, device, o, size');
  });

  it('points at the environment override for options it adds, and at the base mapping for inherited ones', () => {
    expect(seen(run(code, 'trigger.yml', { env: 'dev' }), code).filter((f) => f.volume === 'blk')).toEqual([
      { severity: 'warning', at: at('voldriver.yml', 19, 7), volume: 'blk' },
      { severity: 'warning', at: at('voldriver.yml', 23, 11), volume: 'blk' },
    ]);
  });

  it('accepts case-insensitive aliases, mount options, the NFS plugin that takes device, and undescribed drivers', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });
});
