import { describe, expect, it } from 'vitest';
import { locator, messages, run, seen } from './helpers.js';

const code = 'secret-in-options';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml', { set: { px_key: 'hunter7' } });

  it('reports secret options, credentials inside mount options and secret-looking keys', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'warning', at: at('trigger.yml', 16, 17), volume: 'cifs' },
      { severity: 'warning', at: at('trigger.yml', 22, 10), volume: 'smb' },
      { severity: 'warning', at: at('trigger.yml', 26, 17), volume: 'ceph' },
      { severity: 'warning', at: at('trigger.yml', 30, 18), volume: 'custom' },
      { severity: 'warning', at: at('trigger.yml', 38, 10), volume: 'userpass' },
      { severity: 'warning', at: at('voldriver.yml', 7, 19), volume: 'px' },
    ]);
  });

  it('explains where the secret ends up and never prints it', () => {
    const text = messages(result, code);
    expect(text[1]).toContain('the mount options in "o" carry a credential (password=)');
    expect(text[4]).toContain('user=<user>%<password>');
    for (const message of text) {
      expect(message).toContain('docker volume inspect');
      expect(message).not.toMatch(/hunter|AQB/);
    }
  });

  it('accepts credential files, user names and keys that only look alike', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });
});
