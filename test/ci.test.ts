/** What CI relies on: --check against a committed -o file, every error in the machine formats, exit codes. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, requestedFormat } from '../src/cli/program.js';
import { testIO } from './helpers/io.js';

async function run(args: string[]) {
  const io = testIO();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-ci-'));
  copyFileSync('fixtures/bad/ok.yml', join(dir, 'compose.yml'));
  return dir;
}

describe('--check with -o compares with the output file', () => {
  it('passes when the committed render is current, though the input differs from it', async () => {
    const dir = scratch();
    const out = join(dir, 'stack.rendered.yml');
    expect((await run(['render', '-f', join(dir, 'compose.yml'), '-o', out])).code).toBe(0);
    const result = await run(['render', '-f', join(dir, 'compose.yml'), '-o', out, '--check']);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toBe('');
  });

  it('exits 1 on a stale committed render and leaves it as it was', async () => {
    const dir = scratch();
    const out = join(dir, 'stack.rendered.yml');
    expect((await run(['render', '-f', join(dir, 'compose.yml'), '-o', out])).code).toBe(0);
    const stale = readFileSync(out, 'utf8').replace('"durable"', '"fast"');
    writeFileSync(out, stale);
    const result = await run(['render', '-f', join(dir, 'compose.yml'), '-o', out, '--check']);
    expect(result.code).toBe(1);
    expect(result.err).toBe(`${out} is not up to date: render would change it\n`);
    expect(readFileSync(out, 'utf8')).toBe(stale);
  });

  it('exits 1 when the output file does not exist yet, and creates nothing', async () => {
    const dir = scratch();
    const out = join(dir, 'missing.yml');
    const result = await run(['render', '-f', join(dir, 'compose.yml'), '-o', out, '--check']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/missing\.yml does not exist: render would write it/);
  });

  it('--diff with -o shows what the write changes in that file', async () => {
    const dir = scratch();
    const out = join(dir, 'stack.rendered.yml');
    expect((await run(['render', '-f', join(dir, 'compose.yml'), '-o', out])).code).toBe(0);
    writeFileSync(out, readFileSync(out, 'utf8').replace('"durable"', '"fast"'));
    const result = await run(['render', '-f', join(dir, 'compose.yml'), '-o', out, '--diff']);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`--- a/${out}`);
    expect(result.out).toContain('-      com.compose-voldriver.class: "fast"\n+      com.compose-voldriver.class: "durable"');
    expect(readFileSync(out, 'utf8')).toContain('"durable"');
  });
});

describe('machine formats cover errors that stop the command', () => {
  const cases: [string, string[], string][] = [
    ['invalid YAML', ['-f', 'fixtures/bad/invalid.yml'], 'invalid-yaml'],
    ['an invalid policy', ['-f', 'fixtures/bad/ok.yml', '--policy', 'fixtures/bad/policy-wrong-type.yml'], 'invalid-policy'],
    ['a missing file', ['-f', 'fixtures/bad/nope.yml'], 'invalid-input'],
  ];
  for (const [what, args, code] of cases) {
    for (const command of ['render', 'validate']) {
      it(`${command} --format json reports ${what} as a finding`, async () => {
        const result = await run([command, ...args, '--format', 'json']);
        expect(result.code).toBe(2);
        const findings = JSON.parse(result.err) as { code: string; severity: string; file?: string }[];
        expect(findings).toHaveLength(1);
        expect(findings[0]).toMatchObject({ code, severity: 'error' });
        expect(findings[0].file).toBeDefined();
      });
    }
    it(`validate --format=github reports ${what} as an annotation`, async () => {
      const result = await run(['validate', ...args, '--format=github']);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(new RegExp(`^::error file=[^,]+(,line=\\d+,col=\\d+)?,title=compose-voldriver ${code}::`));
    });
  }

  it('reads the format the way commander does, stopping at --', () => {
    expect(requestedFormat(['validate', '--format', 'json'])).toBe('json');
    expect(requestedFormat(['validate', '--format=github', '--format', 'text'])).toBe('text');
    expect(requestedFormat(['render', '--', '--format', 'json'])).toBe('text');
  });
});

describe('--format github: annotations name files as the runner reads them, from the repository root', () => {
  // A repository with a stack two folders down; a warning (node-local-storage) on its volume.
  const STACK = 'services:\n  app:\n    image: nginx\n    deploy: { replicas: 2 }\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: durable\n';
  function repository(): { root: string; web: string } {
    const root = mkdtempSync(join(tmpdir(), 'cv-gh-'));
    mkdirSync(join(root, '.git'));
    const web = join(root, 'stacks', 'web');
    mkdirSync(web, { recursive: true });
    writeFileSync(join(web, 'compose.yml'), STACK);
    writeFileSync(join(web, 'voldriver.yml'), 'version: 1\nclasses:\n  durable: { driver: local, driver_opts: { type: none, device: /srv, o: bind } }\n');
    return { root, web };
  }
  const files = (text: string) => [...text.matchAll(/^::\w+ (?:file=([^,]*),)?/gm)].map((match) => match[1] ?? '(none)');
  /** The installed command, run in a folder as a user runs it, with only the given variables (and PATH). */
  const bin = resolve('bin/compose-voldriver.cjs');
  async function run(args: string[], options: { cwd: string; env?: Record<string, string>; stdin?: string }) {
    const result = spawnSync(bin, args, { cwd: options.cwd, input: options.stdin ?? '', encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...options.env } });
    return { code: result.status, out: result.stdout, err: result.stderr };
  }

  it('run in a subfolder, from GITHUB_WORKSPACE or the folder holding .git', async () => {
    const { root, web } = repository();
    for (const env of [{ GITHUB_WORKSPACE: root }, {}] as Record<string, string>[]) {
      for (const command of ['validate', 'render']) {
        const result = await run([command, '-f', 'compose.yml', '--format', 'github'], { cwd: web, env });
        expect(files(result.err), `${command} ${JSON.stringify(env)}`).toEqual(['stacks/web/compose.yml']);
        expect(result.err).toMatch(/^::warning file=stacks\/web\/compose\.yml,line=\d+,col=\d+,title=compose-voldriver node-local-storage::/m);
      }
    }
    // An absolute -f names the same file.
    expect(files((await run(['validate', '-f', join(web, 'compose.yml'), '--format', 'github'], { cwd: root })).err)).toEqual(['stacks/web/compose.yml']);
    // An error that stops the command, too.
    writeFileSync(join(web, 'compose.yml'), 'services: [\n');
    const broken = await run(['validate', '-f', 'compose.yml', '--format', 'github'], { cwd: web });
    expect(broken.code).toBe(2);
    expect(files(broken.err)).toEqual(['stacks/web/compose.yml']);
  });

  it('a finding in no file of the repository is annotated without a file, its place in the message', async () => {
    const { web } = repository();
    // In a built-in policy: aws needs a zone.
    const builtin = await run(['validate', '-f', 'compose.yml', '--policy', 'builtin:aws', '--format', 'github'], { cwd: web });
    expect(builtin.err).toMatch(/^::error title=compose-voldriver missing-parameter::.*\(at builtin:aws:\d+:\d+\)/m);
    expect(builtin.err).not.toMatch(/file=builtin/);
    // On standard input.
    const stdin = await run(['validate', '-f', '-', '--policy', 'voldriver.yml', '--format', 'github'], { cwd: web, stdin: STACK });
    expect(files(stdin.err)).toEqual(['(none)']);
    expect(stdin.err).toMatch(/\(at <stdin>:\d+:\d+\)/);
    // Outside the repository.
    const outside = mkdtempSync(join(tmpdir(), 'cv-gh-outside-'));
    writeFileSync(join(outside, 'compose.yml'), STACK);
    const result = await run(['validate', '-f', join(outside, 'compose.yml'), '--policy', join(web, 'voldriver.yml'), '--format', 'github'], { cwd: web });
    expect(files(result.err)).toEqual(['(none)']);
    expect(result.err).toContain(`(at ${join(outside, 'compose.yml')}:`);
  });
});

describe('a compose file the schema refuses is unusable input', () => {
  it('exits 2, like an invalid policy', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'compose.yml'), 'services:\n  web:\n    image: nginx\n    restart: [always]\n');
    const result = await run(['validate', '-f', join(dir, 'compose.yml')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/compose\.yml:4:\d+: error schema: /);
  });
});

describe('one root cause, one finding', () => {
  it('a misspelt option key in a class: one error at its key, with the volumes it affects, and nothing derived', async () => {
    const result = await run(['validate', '-f', 'fixtures/render/policy-key-typo/compose.yml']);
    expect(result.code).toBe(1);
    const errors = result.err.split('\n').filter((line) => / error /.test(line));
    expect(errors).toEqual([
      'fixtures/render/policy-key-typo/voldriver.yml:5:20: error unknown-option: 3 volumes (media, exports, backups): option "tpye" is not an option of local (did you mean "type"?): the local driver rejects unknown options, so creating the volume fails ("invalid option")',
    ]);
  });

  it('a policy stopped by access-mismatch names the code and how to silence it', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\nclasses:\n  durable:\n    access: multi\n    driver: local\n');
    const result = await run(['validate', '-f', join(dir, 'compose.yml')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/error: invalid policy: access-mismatch: class "durable" promises access: multi/);
    expect(result.err).toMatch(/checks: \{ access-mismatch: off \}/);
  });
});
