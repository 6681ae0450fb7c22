/** The import rules of src/ (scripts/check-imports.mjs): the real tree passes, and a broken one is caught. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const check = (root?: string) => spawnSync(process.execPath, ['scripts/check-imports.mjs', ...(root ? [root] : [])], { encoding: 'utf8' });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cv-imports-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import rules', () => {
  it('hold for src/', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('catch a cycle between files, between folders, an import of cli/, and fs in the core', () => {
    const root = tree({
      'a/one.ts': "import { two } from './two.js';\nexport const one = 1;\n",
      'a/two.ts': "import type { one } from './one.js';\nimport { b } from '../b/b.js';\nexport const two = 2;\n",
      'b/b.ts': "import { one } from '../a/one.js';\nexport const b = 3;\n",
      'cli/main.ts': 'export const main = 1;\n',
      'index.ts': "export { main } from './cli/main.js';\n",
      'transform/pure.ts': "import { readFileSync } from 'node:fs';\nexport const x = process.env.X;\n",
    });
    const result = check(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('import cycle between files: a/one.ts, a/two.ts');
    expect(result.stderr).toContain('import cycle between folders: a, b');
    expect(result.stderr).toContain('index.ts imports cli/main.ts: nothing outside cli/ imports cli/');
    expect(result.stderr).toContain('transform/pure.ts imports node:fs');
    expect(result.stderr).toContain('transform/pure.ts reads process state');
  });
});
