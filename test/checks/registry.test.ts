import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';

const docs = readFileSync('docs/checks.md', 'utf8');

describe('check registry', () => {
  it('has unique kebab-case codes, each in a module named after it', () => {
    const codes = checks.map((check) => check.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(existsSync(`src/checks/${code}.ts`), code).toBe(true);
    }
  });

  it('documents every check in its own section of docs/checks.md, with an example', () => {
    for (const check of checks) {
      expect(check.docs).toBe(`docs/checks.md#${check.code}`);
      const start = docs.indexOf(`\n## ${check.code}\n`);
      expect(start, check.code).toBeGreaterThan(0);
      const section = docs.slice(start + 1).split('\n## ')[0];
      for (const part of ['**Catches:**', '**At runtime:**', '**Fix:**', '**Silence:**', '```yaml']) expect(section, `${check.code}: ${part}`).toContain(part);
    }
  });

  it('includes the safety checks', () => {
    expect(checks.map((check) => check.code)).toEqual(
      expect.arrayContaining([
        'unknown-option',
        'invalid-option-value',
        'missing-option',
        'single-attach-replicated',
        'node-local-storage',
        'zone-unpinned',
        'engine-name',
        'yaml-ambiguous-value',
        'secret-in-options',
        'plugin-setting-option',
        'unknown-driver',
        'legacy-driver',
        'driver-changed',
        'access-mismatch',
      ]),
    );
  });
});
