/** Which stacks a run checks: each match of a `stacks` pattern, a compose file or a folder holding one. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlob, findStacks } from '../../src/action/stacks.js';

function tree(paths: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'cv-stacks-'));
  for (const path of paths) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), 'services: {}\n');
  }
  return root;
}

describe('stacks', () => {
  const root = tree([
    'stacks/web/compose.yml',
    'stacks/db/docker-compose.yml',
    'stacks/notes/README.md',
    'deep/a/b/compose.yml',
    'node_modules/pkg/compose.yml',
    '.hidden/compose.yml',
    'two/compose.yml',
    'two/compose.prod.yml',
  ]);

  it('expands *, ? and ** against the tree, leaving node_modules, .git and hidden folders alone', () => {
    expect(expandGlob(root, 'stacks/*/compose.yml')).toEqual(['stacks/web/compose.yml']);
    expect(expandGlob(root, 'stacks/?b/*.yml')).toEqual(['stacks/db/docker-compose.yml']);
    expect(expandGlob(root, '**/compose.yml')).toEqual(['deep/a/b/compose.yml', 'stacks/web/compose.yml', 'two/compose.yml']);
    expect(expandGlob(root, './two/compose*.yml')).toEqual(['two/compose.prod.yml', 'two/compose.yml']);
    expect(expandGlob(root, '**/**/compose.yml')).toEqual(expandGlob(root, '**/compose.yml'));
    expect(expandGlob(root, 'deep/**/**/b')).toEqual(['deep/a/b']);
  });

  it('takes a folder as the stack of its default compose file and skips folders without one', () => {
    expect(findStacks(root, [], ['stacks/*'])).toEqual([
      { name: 'stacks/db', files: ['stacks/db/docker-compose.yml'], dir: 'stacks/db' },
      { name: 'stacks/web', files: ['stacks/web/compose.yml'], dir: 'stacks/web' },
    ]);
  });

  it('names two stacks of one folder by their files', () => {
    expect(findStacks(root, [], ['two/*.yml']).map((s) => s.name)).toEqual(['two/compose.prod.yml', 'two/compose.yml']);
  });

  it('refuses a pattern that matches nothing, in one message', () => {
    expect(() => findStacks(root, [], ['nowhere/*/compose.yml'])).toThrow(/input stacks: the pattern "nowhere\/\*\/compose.yml" matches nothing/);
  });

  it('names the stack of a run without files after the folder its compose file is found in, here or above', () => {
    expect(findStacks(join(root, 'stacks/web'), [], [])).toEqual([{ name: 'web', files: [], dir: '.', found: 'compose.yml' }]);
    mkdirSync(join(root, 'stacks/web/src/api'), { recursive: true });
    expect(findStacks(join(root, 'stacks/web/src/api'), [], [])).toEqual([{ name: 'web', files: [], dir: '.', found: join(root, 'stacks/web/compose.yml') }]);
    expect(() => findStacks(join(root, 'stacks/notes'), [], [])).toThrow(/^inputs files and stacks are empty, and none of compose.yaml, .* is in .*stacks\/notes or a folder above it/);
  });

  it('treats files as one stack named after its folder', () => {
    const root = tree(['stacks/web/compose.yml', 'stacks/web/compose.override.yml']);
    expect(findStacks(root, ['stacks/web/compose.yml', 'stacks/web/compose.override.yml'], [])).toEqual([
      { name: 'stacks/web', files: ['stacks/web/compose.yml', 'stacks/web/compose.override.yml'], dir: 'stacks/web' },
    ]);
  });
});

describe('stacks: the files a folder or wildcard stands for', () => {
  const root = tree(['web/compose.yml', 'web/compose.override.yml', 'web/voldriver.yml', 'db/docker-compose.yml', 'db/voldriver.yaml', 'db/docker-compose.prod.yml']);

  it('a wildcard passes over policy and override files: they belong to the stack beside them', () => {
    expect(findStacks(root, [], ['**/*.yml', '*/*.yaml']).map((s) => s.files)).toEqual([['db/docker-compose.prod.yml'], ['db/docker-compose.yml'], ['web/compose.yml', 'web/compose.override.yml']]);
  });

  it('a folder is the stack docker compose finds there, its override merged; a compose file named in full is that file alone', () => {
    expect(findStacks(root, [], ['*'])).toEqual([
      { name: 'db', files: ['db/docker-compose.yml'], dir: 'db' },
      { name: 'web', files: ['web/compose.yml', 'web/compose.override.yml'], dir: 'web' },
    ]);
    expect(findStacks(root, [], ['*/compose.yml'])).toEqual([{ name: 'web', files: ['web/compose.yml'], dir: 'web' }]);
  });
});
