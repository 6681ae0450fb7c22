import { describe, expect, it } from 'vitest';
import { messages, run, seen } from './helpers.js';

const code = 'legacy-driver';

describe(code, () => {
  it('notes unmaintained and deprecated drivers with their last release', () => {
    const result = run(code, 'trigger.yml');
    expect(seen(result, code)).toEqual([
      { severity: 'info', at: `fixtures/checks/${code}/trigger.yml:9:13`, volume: 'ebs' },
      { severity: 'info', at: `fixtures/checks/${code}/voldriver.yml:4:13`, volume: 'files' },
    ]);
    const [ebs, files] = messages(result, code);
    expect(ebs).toContain('rexray/ebs is no longer maintained (last release: v0.11.4 (2019))');
    expect(files).toContain('azurefile is deprecated by its vendor');
  });

  it('is quiet for maintained drivers', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });
});
