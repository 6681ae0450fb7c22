/** The unified diff `render --diff` prints: a correct patch on any texts, and time linear in their size. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../src/index.js';
import { diffLineRuns, splitLines, unifiedPatch } from '../../src/report/line-diff.js';

/** The diff library's own patch, from its "---" line on. */
const libraryPatch = (before: string, after: string) => {
  const patch = createTwoFilesPatch('a/x', 'b/x', before, after, '', '', { context: 3 });
  return patch.slice(patch.indexOf('--- '));
};

/** Texts made of few distinct lines, so that lines repeat, with or without a last line break. */
const text = (lines: string[]) =>
  fc.tuple(fc.array(fc.constantFrom(...lines), { maxLength: 40 }), fc.boolean()).map(([picked, end]) => picked.join('\n') + (end && picked.length > 0 ? '\n' : ''));

describe('unified diff', () => {
  it('turns the old text into the new one when applied, on any pair of texts', () => {
    const lines = ['a', 'b', 'c', '', '  x: 1', 'unique-1', 'unique-2', 'c\r', '\\'];
    fc.assert(
      fc.property(text(lines), text(lines), (before, after) => {
        const patch = unifiedPatch('a/x', 'b/x', before, after)!;
        expect(applyPatch(before, patch)).toBe(after);
      }),
      { numRuns: 1000 },
    );
  });

  it('turns the old text into the new one for edits of a text of mostly unique lines, and says each line changed once', () => {
    const base = fc.array(fc.oneof(fc.constantFrom('  driver: "local"', '    x-voldriver: fast', ''), fc.nat(60).map((n) => `  v${n}:`)), { maxLength: 80 });
    const edit = fc.array(fc.tuple(fc.nat(80), fc.nat(3), fc.array(fc.constantFrom('    driver: "local"', '    labels:', '  new:'), { maxLength: 3 })), { maxLength: 12 });
    fc.assert(
      fc.property(base, edit, (lines, edits) => {
        const after = [...lines];
        for (const [at, removed, added] of edits) after.splice(Math.min(at, after.length), removed, ...added);
        const before = lines.join('\n') + '\n';
        const changed = after.join('\n') + '\n';
        const patch = unifiedPatch('a/x', 'b/x', before, changed)!;
        expect(applyPatch(before, patch)).toBe(changed);
        // No line is both kept and changed: the runs cover each side exactly once.
        const runs = diffLineRuns(splitLines(before), splitLines(changed));
        expect(runs.filter((r) => r.kind !== '+').flatMap((r) => r.lines).join('')).toBe(before);
        expect(runs.filter((r) => r.kind !== '-').flatMap((r) => r.lines).join('')).toBe(changed);
      }),
      { numRuns: 1000 },
    );
  });

  it('is the shortest patch the diff library writes, for every render fixture', () => {
    let compared = 0;
    const root = 'fixtures/render';
    for (const name of readdirSync(root)) {
      const file = join(root, name, 'compose.yml');
      if (!statSync(join(root, name)).isDirectory()) continue;
      let result;
      try {
        result = renderStack({ files: [file] });
      } catch {
        continue;
      }
      if (result.output === result.input) continue;
      expect(unifiedPatch('a/x', 'b/x', result.input, result.output), file).toBe(libraryPatch(result.input, result.output));
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('writes the markers and counts of diff -u: a missing last line break, an empty side, a quoted name', () => {
    expect(unifiedPatch('a/x', 'b/x', 'a\nb', 'a\nc')).toBe(libraryPatch('a\nb', 'a\nc'));
    expect(unifiedPatch('a/x', 'b/x', '', 'a\n')).toBe('--- a/x\n+++ b/x\n@@ -0,0 +1,1 @@\n+a\n');
    expect(unifiedPatch('a/x', 'b/x', 'a\nb\n', '')).toBe('--- a/x\n+++ b/x\n@@ -1,2 +0,0 @@\n-a\n-b\n');
    expect(unifiedPatch('a/é "x"', 'b/é "x"', 'a\n', 'b\n')!.split('\n')[0]).toBe('--- "a/\\303\\251 \\"x\\""');
  });

  it('takes time linear in the size of the texts: 20,000 volumes given a driver each', () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`  v${i}:`, '    x-voldriver: fast');
    const before = lines.join('\n') + '\n';
    const after = before.replace(/x-voldriver: fast\n/g, 'x-voldriver: fast\n    driver: "local"\n');
    // The diff library's shortest-script search takes minutes on this pair: the test's time limit fails it.
    const patch = unifiedPatch('a/x', 'b/x', before, after)!;
    expect(patch.split('\n').filter((line) => line.startsWith('+    driver')).length).toBe(20_000);
    expect(applyPatch(before, patch)).toBe(after);
  });

  it('says when more lines change than a bound', () => {
    expect(unifiedPatch('a/x', 'b/x', 'a\n', 'b\nc\n', 3, 2)).toBeUndefined();
    expect(unifiedPatch('a/x', 'b/x', 'a\n', 'b\nc\n', 3, 3)).toBeDefined();
    // Kept lines do not count.
    expect(unifiedPatch('a/x', 'b/x', 'k\nl\na\n', 'k\nl\nb\nc\n', 3, 3)).toBeDefined();
  });
});
