/**
 * Every render fixture and policy, damaged the way hands and tools damage files (characters inserted, deleted,
 * copied from elsewhere in the file): no run may crash or print an internal message, every exit code is one the
 * tool documents, and what render writes with exit 0 renders again to itself. MUTATION_RUNS sets the number of
 * cases (default 300 per kind).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTERNAL, runIn, scratch } from './run.js';

const RUNS = Number(process.env.MUTATION_RUNS ?? 300);

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name) && !name.startsWith('expected')) out.push(path);
  }
  return out;
}

const stacks = yamlFiles('fixtures/render').filter((file) => !file.endsWith('voldriver.yml'));

/** Golden cases that render one file with exit 0: damaged, then run with their own arguments beside their own files. */
const cases = readdirSync('fixtures/render')
  .sort()
  .map((name) => join('fixtures/render', name))
  .filter((dir) => {
    try {
      const spec = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as { args: string[]; exit: number };
      return spec.exit === 0 && !spec.args.includes('-f') && !spec.args.includes('--resolve') && statSync(join(dir, 'compose.yml')).isFile();
    } catch {
      return false;
    }
  });

/** A golden case's folder copied, its args and variables, and its compose file damaged. */
function damagedCase(dir: string, edits: Edit[]): { dir: string; args: string[]; env: Record<string, string>; text: string } {
  const spec = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as { args: string[]; env?: Record<string, string> };
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) if (statSync(join(dir, name)).isFile() && !name.startsWith('expected')) files[name] = readFileSync(join(dir, name), 'utf8');
  files['compose.yml'] = damaged(files['compose.yml'], edits);
  return { dir: scratch(files), args: spec.args, env: spec.env ?? {}, text: files['compose.yml'] };
}
const policies = [...yamlFiles('fixtures/policies'), ...yamlFiles('fixtures/render').filter((file) => file.endsWith('voldriver.yml'))];

/** Pieces of YAML, Compose and policy syntax, and characters readers disagree on. */
const PIECES = [':', ': ', '- ', '{', '}', '[', ']', ',', '"', "'", '&a ', '*a', '<<: *a', '!!str ', '!reset ', '!override ', '${', '${X:-', '${X:?gone}', '$$', '\n', '\n  ', '  ', '# ', '? ', '|', '>', '~', 'null', '\t', '\r', '\r\n', '%', '@', '`', '\\', '\u2028', '\ufeff', '\u00e9', '0x1', '1e3', '.inf', 'yes', 'x-voldriver: ', 'driver_opts:', 'name: ', 'external: true', 'volumes:', 'services:', 'classes:', 'environments:', '{volume}', '{nope}'];

type Edit =
  | { kind: 'insert'; at: number; piece: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'copy'; at: number; from: number; length: number }
  | { kind: 'line'; at: number; from: number; keep: boolean };

/** One edit: insert a piece, delete a few characters, or copy a stretch of the text to another place. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), piece: fc.constantFrom(...PIECES) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('copy' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), from: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 60 }) }),
  // A whole line moved or copied to another place, as a merge or a paste leaves it.
  fc.record({ kind: fc.constant('line' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), from: fc.double({ min: 0, max: 1, noNaN: true }), keep: fc.boolean() }),
);

function damaged(text: string, edits: Edit[]): string {
  let out = text;
  for (const change of edits) {
    const at = Math.floor(change.at * out.length);
    if (change.kind === 'line') {
      const lines = out.split('\n');
      const from = Math.floor(change.from * lines.length);
      const [line] = change.keep ? [lines[from]] : lines.splice(from, 1);
      lines.splice(Math.floor(change.at * lines.length), 0, line);
      out = lines.join('\n');
    } else if (change.kind === 'insert') out = out.slice(0, at) + change.piece + out.slice(at);
    else if (change.kind === 'delete') out = out.slice(0, at) + out.slice(at + change.length);
    else {
      const from = Math.floor(change.from * out.length);
      out = out.slice(0, at) + out.slice(from, from + change.length) + out.slice(at);
    }
  }
  return out;
}

/** The invariants of one run: a documented exit code, nothing internal printed. */
function clean(result: { code: number; out: string; err: string }, what: string): void {
  expect([0, 1, 2], what).toContain(result.code);
  expect(result.err + result.out, what).not.toMatch(INTERNAL);
}

describe('damaged fixtures', () => {
  it('compose files: render (both targets), explain and validate exit 0, 1 or 2, print nothing internal, and a render written with exit 0 renders to itself', async () => {
    expect(cases.length).toBeGreaterThan(20);
    let rendered = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), fc.array(edit, { minLength: 1, maxLength: 2 }), fc.constantFrom('compose', 'swarm'), async (fixture, edits, target) => {
        const { dir, args, env, text } = damagedCase(fixture, edits);
        const what = `${fixture} damaged: ${JSON.stringify(text)}`;
        const options = args.filter((arg, i) => arg !== '--target' && args[i - 1] !== '--target');
        const render = await runIn(dir, ['render', '-f', 'compose.yml', ...options, '--target', target, '-o', 'out.yml'], env);
        clean(render, what);
        if (render.code === 0 && target === 'compose') {
          rendered++;
          // The output renders to itself: written beside the input, so its relative paths mean the same.
          writeFileSync(join(dir, 'compose.yml'), readFileSync(join(dir, 'out.yml')));
          const again = await runIn(dir, ['render', '-f', 'compose.yml', ...options, '--check'], env);
          expect(again.code, `${what}\n${again.err}`).toBe(0);
        }
        clean(await runIn(dir, ['explain', '-f', 'compose.yml', ...options], env), what);
        clean(await runIn(dir, ['validate', '-f', 'compose.yml', ...options, '--format', 'json'], env), what);
      }),
      { numRuns: RUNS },
    );
    // Much damage still reads as a stack: the round trip above is checked on a share of the cases.
    expect(rendered).toBeGreaterThan(RUNS * 0.04);
  }, 300_000);

  it('policies: render, validate for every environment and explain exit 0, 1 or 2 and print nothing internal', async () => {
    expect(policies.length).toBeGreaterThan(5);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...policies), fc.constantFrom(...stacks), fc.array(edit, { minLength: 1, maxLength: 3 }), async (policy, stack, edits) => {
        const text = damaged(readFileSync(policy, 'utf8'), edits);
        const dir = scratch({ 'compose.yml': readFileSync(stack, 'utf8'), 'p.yml': text });
        const what = `${policy} damaged: ${JSON.stringify(text)}`;
        const sets = ['--set', 'zone=eu-west-1a', '--set', 'size=1G'];
        clean(await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'p.yml', ...sets]), what);
        clean(await runIn(dir, ['validate', '-f', 'compose.yml', '--policy', 'p.yml', '--all-environments', ...sets]), what);
        clean(await runIn(dir, ['explain', '-f', 'compose.yml', '--policy', 'p.yml', '--format', 'json', ...sets]), what);
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
