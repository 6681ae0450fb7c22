/**
 * The hostile-input corpus (fixtures/hostile/cases.mjs), run through the installed launcher as a user runs it:
 * each case's exit code, message, place, time and peak memory; never a stack trace or an internal error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain data module
import cases from '../fixtures/hostile/cases.mjs';

interface Case {
  name: string;
  files: Record<string, string | { bytes?: number[]; symlink?: string; fifo?: boolean; sparse?: number; text?: string; mode?: number }>;
  args: string[];
  exit?: number;
  message: string | null;
  where?: string | null;
  maxMs: number;
  maxMB: number;
  unchanged?: string[];
  printable?: boolean;
}

const BIN = resolve('bin/compose-voldriver.cjs');
const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);

function setUp(c: Case): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-hostile-'));
  for (const [name, spec] of Object.entries(c.files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof spec === 'string') writeFileSync(path, spec);
    else if (spec.bytes) writeFileSync(path, Buffer.from(spec.bytes));
    else if (spec.symlink) symlinkSync(spec.symlink, path);
    else if (spec.fifo) expect(spawnSync('mkfifo', [path]).status).toBe(0);
    else if (spec.sparse) {
      writeFileSync(path, '');
      truncateSync(path, spec.sparse);
    } else if (spec.text !== undefined) {
      writeFileSync(path, spec.text);
      if (spec.mode !== undefined) chmodSync(path, spec.mode);
    }
  }
  return dir;
}

function run(c: Case, dir: string): Promise<{ code: number | null; err: string; ms: number; peakMB?: number }> {
  const started = Date.now();
  const [command, args] = haveTime ? [TIME, ['-f', '\nPEAK_KB=%M', BIN, ...c.args]] : [BIN, c.args];
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir } });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), c.maxMs * 3);
    child.on('close', (code) => {
      clearTimeout(timer);
      const peak = /\nPEAK_KB=(\d+)\n?$/.exec(err);
      if (peak) err = err.slice(0, peak.index);
      // GNU time notes a non-zero exit on its own line.
      err = err.replace(/Command exited with non-zero status \d+\n?$/, '').replace(/\n$/, '') + (err.endsWith('\n') ? '' : '');
      done({ code, err, ms: Date.now() - started, peakMB: peak ? Number(peak[1]) / 1024 : undefined });
    });
  });
}

describe.concurrent('the hostile-input corpus', () => {
  const all = cases as Case[];
  it('holds at least 150 cases', () => expect(all.length).toBeGreaterThanOrEqual(150));
  // Without GNU time the memory bounds go unchecked: a failure in CI, a skip with the reason elsewhere. It runs (and
  // passes) wherever GNU time is present, since CI counts a skipped test as a failure.
  it('measures peak memory with GNU time (installed by scripts/test-deps.sh)', (ctx) => {
    if (!haveTime && !process.env.CI) ctx.skip();
    expect(haveTime).toBe(true);
  });

  for (const c of all) {
    it(c.name, async () => {
      const dir = setUp(c);
      const before = Object.fromEntries((c.unchanged ?? []).map((name) => [name, readFileSync(join(dir, name))]));
      const r = await run(c, dir);
      expect(r.err, 'a stack trace or an internal message').not.toMatch(/internal error|\n\s+at \S+ \(|TypeError|RangeError|ReferenceError|SyntaxError|\[native code\]|\[object Object\]|Maximum call stack/);
      if (c.exit !== undefined) expect(r.code, r.err).toBe(c.exit);
      else expect([0, 1, 2], r.err).toContain(r.code);
      if (c.message !== null) expect(r.err).toMatch(new RegExp(c.message, 'm'));
      if (c.where) expect(r.err).toContain(`${c.where}: `);
      if (c.printable) expect(r.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      for (const [name, bytes] of Object.entries(before)) expect(readFileSync(join(dir, name)).equals(bytes), `${name} changed`).toBe(true);
      expect(r.ms, 'time').toBeLessThan(c.maxMs);
      if (r.peakMB !== undefined) expect(r.peakMB, 'peak memory (MB)').toBeLessThan(c.maxMB);
    }, 60_000);
  }
});
