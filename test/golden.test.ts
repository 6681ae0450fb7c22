/**
 * Golden cases: fixtures/render/<case>/ holds compose.yml, an optional voldriver.yml, args.json
 * ({ "args": [...], "exit": 0 }) and the expected stdout, stderr and explain JSON.
 * UPDATE_GOLDEN=1 rewrites the expected files.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden, readCaseArgs } from './helpers/golden.js';
import { LineCounter, parseDocument, isMap, type Node } from 'yaml';
import { main } from '../src/cli/program.js';
import { testIO } from './helpers/io.js';
import { dockerStackConfig } from './helpers/docker.js';

const root = 'fixtures/render';
const cases = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'args.json'))).sort() : [];


/** The CLI run as from a shell in `cwd` (default: the repository), reading relative paths from there. */
async function run(args: string[], env: Record<string, string> = {}, stdin?: string, cwd?: string) {
  const io = testIO({ env, stdin, cwd });
  if (cwd) {
    const at = (path: string) => (isAbsolute(path) ? path : join(cwd, path));
    const { readFile, exists, isDirectory } = io;
    Object.assign(io, { readFile: (path: string) => readFile(at(path)), exists: (path: string) => exists(at(path)), isDirectory: (path: string) => isDirectory(at(path)) });
  }
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('golden render cases', () => {
  it('has a corpus', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  for (const name of cases) {
    describe(name, () => {
      const dir = join(root, name);
      const spec = readCaseArgs(dir);
      const file = join(dir, 'compose.yml');
      // A case with a cwd runs there without -f: the CLI finds compose.yml itself.
      const cwd = spec.cwd === undefined ? undefined : resolve(dir, spec.cwd);
      const args = cwd ? spec.args : ['-f', file, ...spec.args];
      const runCase = (command: string[]) => run([...command, ...args], spec.env, undefined, cwd);

      it('renders as expected', async () => {
        const input = readFileSync(file, 'utf8');
        const result = await runCase(['render']);
        expect(result.code, result.err).toBe(spec.exit);
        golden(join(dir, 'expected.stderr'), result.err);
        if (spec.exit === 0) {
          golden(join(dir, 'expected.yml'), result.out);
          if (input.endsWith('\n')) expect(result.out.endsWith('\n'), 'the final line break is kept').toBe(true);
          if (input.includes('\r\n')) expect(result.out.replace(/\r\n/g, '')).not.toContain('\n');
        } else expect(result.out).toBe('');
        expect(readFileSync(file, 'utf8')).toBe(input);
      });

      it('explains as expected', async () => {
        const result = await runCase(['explain', '--format', 'json']);
        if (spec.exit === 2) {
          expect(result.code).toBe(2);
          return;
        }
        golden(join(dir, 'expected.explain.json'), result.out);
      });

      if (spec.exit === 0) {
        it('is idempotent: rendering the output again changes nothing', async () => {
          const first = await runCase(['render']);
          // Standard input has no directory to find voldriver.yml and .env in: name them.
          const beside = existsSync(join(dir, 'voldriver.yml')) && !args.includes('--policy') ? ['--policy', join(dir, 'voldriver.yml')] : [];
          if (existsSync(join(dir, '.env')) && !args.includes('--env-file')) beside.push('--env-file', join(dir, '.env'));
          const again = await run(['render', '-f', '-', ...withoutFiles(args), ...beside], spec.env, first.out);
          expect(again.code, again.err).toBe(0);
          expect(again.out).toBe(first.out);
        });

        // Resolved output, and the swarm target's conversions, rewrite lines anywhere in the file.
        const resolved = args.filter((a) => a === '-f').length > 1 || args.includes('--resolve') || args.includes('swarm');
        if (!resolved) it('keeps every line outside the volumes it maps', async () => {
          const text = readFileSync(file, 'utf8');
          const input = text.split('\n');
          const output = (await runCase(['render'])).out.split('\n');
          const editable = editableLines(text);
          // Render only inserts lines or rewrites volume definitions and placement: every other line survives, in order.
          let at = 0;
          input.forEach((line, index) => {
            const found = output.indexOf(line, at);
            if (found !== -1) at = found + 1;
            else expect(editable.has(index + 1), `line ${index + 1} changed: ${line}`).toBe(true);
          });
        });

        if (spec.stackConfig) {
          it('is accepted by docker stack config', async () => {
            const output = (await runCase(['render'])).out;
            const tmp = mkdtempSync(join(tmpdir(), 'cv-golden-'));
            writeFileSync(join(tmp, 'out.yml'), output);
            if (spec.stackConfig === true) {
              const before = dockerStackConfig([file], spec.env);
              if (before === undefined) return;
              expect(before.code, before.stderr).toBe(0);
            }
            const after = dockerStackConfig([join(tmp, 'out.yml')], spec.env);
            if (after === undefined) return;
            expect(after.code, after.stderr).toBe(0);
          });
        }
      }
    });
  }
});

/** The arguments without the -f FILE pairs. */
function withoutFiles(args: string[]): string[] {
  return args.filter((arg, i) => arg !== '-f' && args[i - 1] !== '-f');
}

/** 1-based line numbers of the top-level volume definitions and of every service's deploy section. */
function editableLines(text: string): Set<number> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const out = new Set<number>();
  const mark = (node: Node | null | undefined) => {
    if (!node?.range) return;
    const from = lines.linePos(node.range[0]).line;
    const to = lines.linePos(Math.max(node.range[0], node.range[1] - 1)).line;
    for (let line = from; line <= to; line++) out.add(line);
  };
  const volumes = doc.get('volumes', true);
  if (isMap(volumes)) for (const pair of volumes.items) mark(pair.value as Node);
  const services = doc.get('services', true);
  // A service written in flow style is written anew as a block when placement is added.
  if (isMap(services)) for (const pair of services.items) if (isMap(pair.value)) mark(pair.value.flow ? (pair.value as Node) : (pair.value.get('deploy', true) as Node));
  return out;
}
