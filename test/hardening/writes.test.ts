/**
 * Writing: whole or not at all under SIGKILL and concurrency; links, mode, owner and devices as an editor keeps
 * them; read-only files and refused renders left alone; stale temporary files removed by a later run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIn, scratch } from './run.js';
import { makeDirectories } from '../../src/node-write.js';

const BIN = resolve('bin/compose-voldriver.cjs');
const STACK = 'services:\n  app:\n    image: nginx\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: durable\n';
const isRoot = process.getuid?.() === 0;

function bigStack(services: number): string {
  const lines = ['services:'];
  for (let i = 0; i < services; i++) lines.push(`  s${i}:`, '    image: nginx', `    volumes: [v${i}:/d]`);
  lines.push('volumes:');
  for (let i = 0; i < services; i++) lines.push(`  v${i}:`, `    x-voldriver: ${i % 2 ? 'durable' : 'fast'}`);
  return lines.join('\n') + '\n';
}

const temps = (dir: string) => readdirSync(dir).filter((name) => name.includes('.compose-voldriver.'));

describe('a write killed at any moment leaves the old file or the new one, whole', () => {
  const input = bigStack(2000);
  const dir = scratch({ 'in.yml': input });
  const expected = spawnSync(BIN, ['render', '-f', join(dir, 'in.yml')], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const timed = spawnSync(BIN, ['render', '-f', join(dir, 'in.yml'), '-o', join(dir, 'probe.yml')]);
  expect(timed.status).toBe(0);

  for (const mode of ['-o', '--in-place'] as const) {
    it(`with ${mode}`, async () => {
      const target = join(dir, `target${mode}.yml`);
      for (let round = 0; round < 10; round++) {
        writeFileSync(target, input);
        const args = mode === '-o' ? ['render', '-f', join(dir, 'in.yml'), '-o', target] : ['render', '-f', target, '--in-place'];
        const child = spawn(BIN, args, { stdio: 'ignore' });
        const closed = new Promise((done) => child.on('close', done));
        // Spread over start-up, reading, rendering and writing.
        await new Promise((done) => setTimeout(done, 40 + round * 70));
        child.kill('SIGKILL');
        await closed;
        const now = readFileSync(target, 'utf8');
        expect(now === input || now === expected, `round ${round}: neither the old nor the new file`).toBe(true);
      }
      // A later run removes what killed runs left behind.
      expect(spawnSync(BIN, mode === '-o' ? ['render', '-f', join(dir, 'in.yml'), '-o', target] : ['render', '-f', target, '-i']).status).toBe(0);
      expect(temps(dir)).toEqual([]);
      expect(readFileSync(target, 'utf8')).toBe(expected);
    }, 300_000);
  }

  it('concurrent renders to one file never interleave', async () => {
    const target = join(dir, 'shared.yml');
    const runs = Array.from({ length: 4 }, () => new Promise<number | null>((done) => spawn(BIN, ['render', '-f', join(dir, 'in.yml'), '-o', target], { stdio: 'ignore' }).on('close', done)));
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    expect(readFileSync(target, 'utf8')).toBe(expected);
    expect(temps(dir)).toEqual([]);
  }, 120_000);
});

describe('what a rewrite keeps', () => {
  it('writes through a symbolic link: the target changes, the link stays', async () => {
    const dir = scratch({ 'real.yml': STACK });
    symlinkSync('real.yml', join(dir, 'link.yml'));
    writeFileSync(join(dir, 'target.yml'), 'old\n');
    chmodSync(join(dir, 'target.yml'), 0o640);
    symlinkSync('target.yml', join(dir, 'out-link.yml'));
    expect((await runIn(dir, ['render', '-f', 'link.yml', '-i'])).code).toBe(0);
    expect(lstatSync(join(dir, 'link.yml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.yml'), 'utf8')).toContain('driver: "local"');
    expect((await runIn(dir, ['render', '-f', 'link.yml', '-o', 'out-link.yml'])).code).toBe(0);
    expect(lstatSync(join(dir, 'out-link.yml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.yml'), 'utf8')).toContain('driver: "local"');
    expect(statSync(join(dir, 'target.yml')).mode & 0o777).toBe(0o640);
  });

  it('keeps the mode, set-group-ID and set-user-ID included, whatever the umask', async () => {
    for (const mode of [0o664, 0o640, 0o2664, 0o4755]) {
      const dir = scratch({ 'c.yml': STACK });
      chmodSync(join(dir, 'c.yml'), mode);
      expect((await runIn(dir, ['render', '-f', 'c.yml', '-i'])).code).toBe(0);
      expect(statSync(join(dir, 'c.yml')).mode & 0o7777).toBe(mode);
    }
  });

  it('keeps hard links: every name shows the new text', async () => {
    const dir = scratch({ 'c.yml': STACK });
    linkSync(join(dir, 'c.yml'), join(dir, 'other.yml'));
    expect((await runIn(dir, ['render', '-f', 'c.yml', '-i'])).code).toBe(0);
    expect(statSync(join(dir, 'c.yml')).nlink).toBe(2);
    expect(readFileSync(join(dir, 'other.yml'), 'utf8')).toBe(readFileSync(join(dir, 'c.yml'), 'utf8'));
    expect(readFileSync(join(dir, 'other.yml'), 'utf8')).toContain('driver: "local"');
    expect(temps(dir)).toEqual([]);
  });

  it.skipIf(!isRoot)('keeps the owner and group when root rewrites a user\'s file (needs root)', async () => {
    const dir = scratch({ 'c.yml': STACK, 'out.yml': 'old\n' });
    chownSync(join(dir, 'c.yml'), 65534, 65534);
    chownSync(join(dir, 'out.yml'), 65534, 65534);
    expect((await runIn(dir, ['render', '-f', 'c.yml', '-i'])).code).toBe(0);
    expect((await runIn(dir, ['render', '-f', 'c.yml', '-o', 'out.yml'])).code).toBe(0);
    for (const name of ['c.yml', 'out.yml']) expect([statSync(join(dir, name)).uid, statSync(join(dir, name)).gid]).toEqual([65534, 65534]);
  });

  it('refuses a read-only file, and leaves it as it was', async () => {
    const dir = scratch({ 'c.yml': STACK, 'out.yml': 'old\n' });
    chmodSync(join(dir, 'c.yml'), 0o444);
    chmodSync(join(dir, 'out.yml'), 0o444);
    const inPlace = await runIn(dir, ['render', '-f', 'c.yml', '-i']);
    expect(inPlace.code).toBe(2);
    expect(inPlace.err).toMatch(/c\.yml: error: cannot write .*c\.yml: the file is read-only/);
    expect(readFileSync(join(dir, 'c.yml'), 'utf8')).toBe(STACK);
    expect((await runIn(dir, ['render', '-f', 'c.yml', '-o', 'out.yml'])).code).toBe(2);
    expect(readFileSync(join(dir, 'out.yml'), 'utf8')).toBe('old\n');
  });

  it('writes into a device instead of renaming over it: -o /dev/null, -o /dev/stdout', () => {
    const devNull = spawnSync(BIN, ['render', '-f', '-', '-o', '/dev/null'], { input: STACK, encoding: 'utf8' });
    expect(devNull.status).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const dir = scratch();
    const toFile = spawnSync('sh', ['-c', `"${BIN}" render -f - -o /dev/stdout > "${join(dir, 'out.yml')}"`], { input: STACK, encoding: 'utf8' });
    expect(toFile.status).toBe(0);
    expect(readFileSync(join(dir, 'out.yml'), 'utf8')).toContain('driver: "local"');
    const piped = spawnSync('sh', ['-c', `"${BIN}" render -f - -o /dev/stdout | cat`], { input: STACK, encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain('driver: "local"');
  });

  it('takes -o - for standard output, as -f - is standard input; a file named "-" is -o ./-', async () => {
    const dir = scratch({ 'c.yml': STACK });
    const dash = await runIn(dir, ['render', '-f', 'c.yml', '-o', '-']);
    const plain = await runIn(dir, ['render', '-f', 'c.yml']);
    expect(dash.code).toBe(0);
    expect(dash.out).toBe(plain.out);
    expect(dash.out).toContain('driver: "local"');
    expect(readdirSync(dir)).toEqual(['c.yml']);
    const file = await runIn(dir, ['render', '-f', 'c.yml', '-o', './-']);
    expect(file.code).toBe(0);
    expect(file.out).toBe('');
    expect(readFileSync(join(dir, '-'), 'utf8')).toBe(plain.out);
  });

  it('removes stale temporary files of its own, and only those', async () => {
    const dir = scratch({ 'c.yml': STACK });
    writeFileSync(join(dir, '.c.yml.compose-voldriver.999999999.1.tmp'), 'half');
    writeFileSync(join(dir, '.c.yml.other-tool.tmp'), 'theirs');
    expect((await runIn(dir, ['render', '-f', 'c.yml', '-i'])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['.c.yml.other-tool.tmp', 'c.yml']);
  });
});

describe('making the folders a file is written into (the Action\'s outputs, docker-plugin install)', () => {
  it('makes the missing folders, one at a time, and leaves those there', () => {
    const dir = scratch({ 'kept.txt': 'x' });
    makeDirectories(join(dir, 'a', 'b', 'c'));
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    makeDirectories(join(dir, 'a', 'b'));
    expect(readFileSync(join(dir, 'kept.txt'), 'utf8')).toBe('x');
  });

  it('throws where a part of the path is a file', () => {
    const dir = scratch({ 'file.txt': 'x' });
    expect(() => makeDirectories(join(dir, 'file.txt', 'sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('throws, rather than retrying forever as a recursive mkdir does, where the file system refuses a folder', () => {
    // procfs answers "no such file" for a new folder whose parent is there.
    expect(() => makeDirectories('/proc/compose-voldriver-none/a')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
