/** What is read: regular files only (or standard input), within a size cap, valid UTF-8; the launcher keeps --env-file. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERNAL, runIn, scratch } from './run.js';

const STACK = 'services:\n  app:\n    image: nginx\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: durable\n';
const BIN = resolve('bin/compose-voldriver.cjs');

function fifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

describe('every file read is a regular file', () => {
  // Each case: the files to make, the arguments, and the place the message names.
  const cases: [string, (dir: string) => void, string[], string][] = [
    ['-f /dev/zero', () => {}, ['-f', '/dev/zero'], '/dev/zero'],
    ['-f FIFO', (dir) => fifo(join(dir, 'pipe.yml')), ['-f', 'pipe.yml'], 'pipe.yml'],
    ['a .env that is a symlink to /dev/zero', (dir) => symlinkSync('/dev/zero', join(dir, '.env')), ['-f', 'c.yml'], '.env'],
    ['a voldriver.yml that is a symlink to /dev/zero', (dir) => symlinkSync('/dev/zero', join(dir, 'voldriver.yml')), ['-f', 'c.yml'], 'voldriver.yml'],
    ['--env-file /dev/zero', () => {}, ['-f', 'c.yml', '--env-file', '/dev/zero'], '/dev/zero'],
    ['--env-file FIFO', (dir) => fifo(join(dir, 'vars')), ['-f', 'c.yml', '--env-file', 'vars'], 'vars'],
    ['--policy FIFO', (dir) => fifo(join(dir, 'p.yml')), ['-f', 'c.yml', '--policy', 'p.yml'], 'p.yml'],
    ['an include of /dev/zero', (dir) => writeFileSync(join(dir, 'i.yml'), 'include: [/dev/zero]\nservices: {}\n'), ['-f', 'i.yml'], '/dev/zero'],
    ['an extends of a FIFO', (dir) => { fifo(join(dir, 'base.yml')); writeFileSync(join(dir, 'e.yml'), 'services:\n  app:\n    extends: { file: base.yml, service: x }\n'); }, ['-f', 'e.yml'], 'base.yml'],
  ];
  for (const [what, make, args, named] of cases) {
    it(`refuses ${what} with a clear message, without waiting or reading it`, async () => {
      const dir = scratch({ 'c.yml': STACK });
      make(dir);
      const r = await runIn(dir, ['render', ...args]);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/it is a (FIFO \(named pipe\)|character device), not a regular file/);
      expect(r.err).toContain(named);
      expect(r.out).toBe('');
    });
  }

  it('reads /dev/null as an empty file (--env-file /dev/null: no variables)', async () => {
    const dir = scratch({ 'c.yml': STACK, '.env': 'X=1\n' });
    const r = await runIn(dir, ['render', '-f', 'c.yml', '--env-file', '/dev/null']);
    expect(r.code).toBe(0);
  });

  it('refuses a file over the size cap before reading it', async () => {
    const dir = scratch({ 'c.yml': STACK });
    writeFileSync(join(dir, 'big.yml'), '');
    truncateSync(join(dir, 'big.yml'), 65 * 1024 * 1024);
    const r = await runIn(dir, ['render', '-f', 'big.yml']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/big\.yml: error: cannot read .*big\.yml: it is larger than the 64 MiB an input file may have \(65 MiB\)/);
  });

  it('refuses standard input past the cap (-f - < /dev/zero) and reads a pipe', () => {
    const zero = spawnSync('sh', ['-c', `"${BIN}" render -f - < /dev/zero`], { encoding: 'utf8', timeout: 30_000 });
    expect(zero.status).toBe(2);
    expect(zero.stderr).toBe('<stdin>: error: cannot read <stdin>: it is larger than the 64 MiB an input file may have\n');
    const piped = spawnSync(BIN, ['render', '-f', '-'], { input: STACK, encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain('com.compose-voldriver.class: "durable"');
  });

  it('refuses bytes that are not UTF-8, at their line and column, instead of changing them', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'c.yml'), Buffer.concat([Buffer.from(STACK), Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    for (const extra of [[], ['--in-place'], ['-o', 'out.yml']]) {
      const r = await runIn(dir, ['render', '-f', 'c.yml', ...extra]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/c\.yml:8:6: error: the file is not valid UTF-8: byte 0xe9 cannot start or continue a character\n {2}hint: save the file as UTF-8\n$/);
    }
  });

  it('keeps a byte-order mark and CRLF line ends', async () => {
    const dir = scratch({ 'c.yml': `\ufeff${STACK.replace(/\n/g, '\r\n')}` });
    const r = await runIn(dir, ['render', '-f', 'c.yml']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('\ufeffservices:\r\n')).toBe(true);
  });

  it('counts no column for a byte-order mark: places on the first line are where an editor shows them', async () => {
    const first = 'volumes: {data: {driver_opts: {o: "addr=1"}}}';
    const dir = scratch({
      'c.yml': `\ufeff${first}\nservices: {app: {image: x, volumes: [data:/d]}}\n`,
      'bad.yml': '\ufeffvolumes: x\nservices: {}\n',
      'broken.yml': '\ufeffservices: {a: [\n',
      'p.yml': '\ufeffversion: 2\nclasses: {durable: {driver: local}}\n',
    });
    const col = first.indexOf('"addr=1"') + 1;
    const said = async (...args: string[]) => {
      const r = await runIn(dir, ['validate', ...args]);
      return r.out + r.err;
    };
    expect(await said('-f', 'c.yml')).toContain(`c.yml:1:${col}: error missing-option`);
    expect(await said('-f', 'bad.yml')).toContain('bad.yml:1:10: error schema: volumes: must be a mapping');
    expect(await said('-f', 'c.yml', '--policy', 'p.yml')).toContain('p.yml:1:10: error: invalid policy: version: must be 1');
    expect(await said('-f', 'broken.yml')).toMatch(/broken\.yml:\d+:\d+: error: invalid YAML/);
  });
});

describe('the launcher', () => {
  it('keeps node from reading --env-file itself: a missing file is our error, not node\'s', () => {
    const dir = scratch({ 'c.yml': STACK });
    const run = spawnSync(BIN, ['render', '-f', join(dir, 'c.yml'), '--env-file', join(dir, 'nope.env')], { encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/^node:/m);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('nope.env: error: cannot read');
  });

  it('reads --env-file by Compose rules (variables refer to earlier ones), not into the process environment', () => {
    const dir = scratch({ 'c.yml': 'services:\n  app:\n    image: "nginx:${B}"\n', 'vars.env': 'A=1\nB=${A}-x\n' });
    const run = spawnSync(BIN, ['render', '-f', join(dir, 'c.yml'), '--env-file', join(dir, 'vars.env'), '--resolve'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('image: nginx:1-x');
  });

  it('runs through a symbolic link, as npm installs it', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'bin'));
    symlinkSync(BIN, join(dir, 'bin', 'compose-voldriver'));
    const run = spawnSync(join(dir, 'bin', 'compose-voldriver'), ['--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
