import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'plugin-setting-option';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml', { set: { kms_key: 'arn:aws:kms:key' } });

  it('reports catalog traps (any case) and keys spelled like plugin settings', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: at('trigger.yml', 14, 16), volume: 'nfsdata' },
      { severity: 'warning', at: at('trigger.yml', 18, 15), volume: 'ebs' },
      { severity: 'warning', at: at('trigger.yml', 23, 16), volume: 'gluster' },
      { severity: 'warning', at: at('voldriver.yml', 7, 17), volume: 'enc' },
    ]);
    const [nfs, fstype, servers, kms] = messages(result, code);
    expect(nfs).toContain('netshare picks the NFS version when its daemon starts');
    expect(fstype).toContain('docker plugin set <plugin> REXRAY_FSTYPE=...');
    expect(servers).toContain('the volume option is "servers"');
    expect(kms).toContain('EBS_KMSKEYID');
  });

  it('leaves those keys to this check instead of unknown-option', () => {
    expect(seen(result, 'unknown-option')).toEqual([]);
  });

  it('accepts real volume options; an upper-case key on a rejecting driver stays an unknown-option error', () => {
    const clean = run(code, 'clean.yml');
    expect(seen(clean, code)).toEqual([]);
    expect(seen(clean, 'unknown-option')).toEqual([{ severity: 'error', at: at('clean.yml', 28, 7), volume: 'local' }]);
  });
});
