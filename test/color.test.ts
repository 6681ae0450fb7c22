/**
 * Colour: each standard stream is coloured when it is itself a terminal and NO_COLOR is not set. Findings and
 * errors go to stderr, rendered files, explain and diffs to stdout: `validate 2> log` on a terminal must write no
 * escape codes into the log, and `render > out.yml` still colours its findings on the terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/program.js';
import { testIO } from './helpers/io.js';

const ESC = '\u001b[';
const STACK = 'services:\n  app:\n    image: nginx\n    deploy: { replicas: 2 }\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: durable\n';
const POLICY = 'version: 1\nclasses:\n  durable: { driver: local, driver_opts: { type: none, device: /srv, o: bind } }\n';

function stack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-color-'));
  writeFileSync(join(dir, 'compose.yml'), STACK);
  writeFileSync(join(dir, 'voldriver.yml'), POLICY);
  return join(dir, 'compose.yml');
}

describe('each stream is coloured by its own terminal', () => {
  async function run(args: string[], color: boolean, colorErr: boolean) {
    const io = testIO();
    io.color = color;
    io.colorErr = colorErr;
    const code = await main(args, io);
    return { code, out: io.out, err: io.err };
  }

  it('findings, summaries and errors (stderr) by stderr; explain, diffs and lists (stdout) by stdout', async () => {
    const file = stack();
    for (const [color, colorErr] of [[true, false], [false, true]]) {
      const tag = `stdout ${color ? 'terminal' : 'file'}, stderr ${colorErr ? 'terminal' : 'file'}`;
      const validate = await run(['validate', '-f', file], color, colorErr);
      expect(validate.err.includes(ESC), `validate findings, ${tag}`).toBe(colorErr);
      const render = await run(['render', '-f', file, '--diff'], color, colorErr);
      expect(render.err.includes(ESC), `render findings, ${tag}`).toBe(colorErr);
      expect(render.out.includes(ESC), `render --diff, ${tag}`).toBe(color);
      const explain = await run(['explain', '-f', file], color, colorErr);
      expect(explain.out.includes(ESC), `explain, ${tag}`).toBe(color);
      expect((await run(['checks', 'zone-unpinned'], color, colorErr)).out.includes(ESC), `checks, ${tag}`).toBe(color);
      const broken = await run(['validate', '-f', join(file, 'nope.yml')], color, colorErr);
      expect(broken.code).toBe(2);
      expect(broken.err.includes(ESC), `an error, ${tag}`).toBe(colorErr);
      const usage = await run(['validate', '--nope'], color, colorErr);
      expect(usage.err.includes(ESC), `a usage error, ${tag}`).toBe(colorErr);
    }
  });
});

/** `script` (util-linux) runs a command on a pseudo-terminal: the real launcher, as on a user's terminal. */
const haveScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

describe.skipIf(!haveScript && !process.env.CI)('on a real terminal', () => {
  const bin = resolve('bin/compose-voldriver.cjs');
  /** Runs `shell` (a command line) on a terminal; what the terminal showed. */
  function onTerminal(shell: string, env: Record<string, string> = {}): string {
    const result = spawnSync('script', ['-qc', shell, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env } });
    expect(result.error).toBeUndefined();
    return result.stdout;
  }

  it('stderr redirected to a file gets no escape codes; stdout redirected, stderr on the terminal is coloured', () => {
    const file = stack();
    const log = join(file, '..', 'log.txt');
    const shown = onTerminal(`'${bin}' validate -f '${file}' 2> '${log}'`);
    expect(shown).toBe('');
    expect(readFileSync(log, 'utf8')).toMatch(/^.*compose\.yml:5:15: warning node-local-storage: /);
    expect(readFileSync(log, 'utf8')).not.toContain(ESC);
    const out = join(file, '..', 'out.yml');
    expect(onTerminal(`'${bin}' render -f '${file}' --strict > '${out}'`)).toContain(`${ESC}33mwarning${ESC}0m`);
    // NO_COLOR: none on either.
    expect(onTerminal(`'${bin}' validate -f '${file}'`, { NO_COLOR: '1' })).not.toContain(ESC);
  });
});
