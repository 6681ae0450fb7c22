/** A reader that stops reading early (`compose-voldriver render | head`) ends the run quietly. */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve('bin/compose-voldriver.cjs');
const dir = mkdtempSync(join(tmpdir(), 'cv-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI, reads one chunk of its standard output, then closes the pipe. */
function runAndCloseEarly(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string; firstChunk: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let firstChunk = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.once('data', (chunk) => {
      firstChunk = String(chunk);
      child.stdout.destroy();
    });
    child.on('close', (code, signal) => done({ code, signal, stderr, firstChunk }));
  });
}

describe('a closed output pipe', () => {
  it('ends render with the SIGPIPE status and no stack trace', async () => {
    // Large enough that the output does not fit in the pipe's buffer: writes go on after the reader has gone.
    let stack = 'services:\n';
    for (let i = 0; i < 3000; i++) stack += `  svc${i}:\n    image: busybox\n    volumes: [ "v${i}:/data" ]\n`;
    stack += 'volumes:\n';
    for (let i = 0; i < 3000; i++) stack += `  v${i}:\n    x-voldriver: durable\n`;
    writeFileSync(join(dir, 'compose.yml'), stack);
    const result = await runAndCloseEarly(['render', '-f', 'compose.yml']);
    expect(result.firstChunk).toContain('services:');
    expect(result.code).toBe(141);
    expect(result.stderr).not.toMatch(/EPIPE|node:events|^\s+at /m);
  });
});

describe('slow output pipes', () => {
  /** Runs the CLI with both output pipes read only after a pause: what the command wrote is still waiting there. */
  function runReadLate(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.pause();
      child.stderr.pause();
      setTimeout(() => {
        child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
        child.stdout.resume();
        child.stderr.resume();
      }, 1000);
      child.on('close', (code) => done({ code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }));
    });
  }
  // More than a pipe's buffer holds: part of the output is still on its way when the command is done.
  const stack = (volumeClass: string) => {
    let text = 'services:\n';
    for (let i = 0; i < 2000; i++) text += `  svc${i}:\n    image: busybox\n    volumes: [ "v${i}:/data" ]\n`;
    text += 'volumes:\n';
    for (let i = 0; i < 2000; i++) text += `  v${i}:\n    x-voldriver: ${volumeClass}\n`;
    return text;
  };

  it('get the whole rendered stack and exit code 0', async () => {
    writeFileSync(join(dir, 'slow.yml'), stack('durable'));
    const written = spawnSync(process.execPath, [BIN, 'render', '-f', 'slow.yml', '-o', 'slow.out.yml'], { cwd: dir, encoding: 'utf8' });
    expect(written.status, written.stderr).toBe(0);
    const result = await runReadLate(['render', '-f', 'slow.yml']);
    expect(result.code, result.err).toBe(0);
    expect(result.out.length).toBeGreaterThan(200_000);
    expect(result.out).toBe(readFileSync(join(dir, 'slow.out.yml'), 'utf8'));
  });

  it('get every finding and the same exit code', async () => {
    writeFileSync(join(dir, 'slow-bad.yml'), stack('nope'));
    const direct = spawnSync(process.execPath, [BIN, 'render', '-f', 'slow-bad.yml'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(direct.status).toBeGreaterThan(0);
    expect(direct.stderr.length).toBeGreaterThan(200_000);
    const result = await runReadLate(['render', '-f', 'slow-bad.yml']);
    expect(result.code).toBe(direct.status);
    expect(result.err).toBe(direct.stderr);
    expect(result.out).toBe('');
  });
});

describe('standard output that cannot be written', () => {
  // /dev/full refuses every write with "no space left on the device", as a full disk does.
  const full = (args: string[], stdio: 'stdout' | 'stderr') => {
    const out = openSync('/dev/full', 'w');
    try {
      return spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', stdio: stdio === 'stdout' ? ['ignore', out, 'pipe'] : ['ignore', 'pipe', out] });
    } finally {
      closeSync(out);
    }
  };

  it.each([['render'], ['explain'], ['explain', '--format', 'json'], ['schema', 'compose'], ['--help']])('ends %s with one line and exit code 2, never exit 0 or a stack trace', (...args) => {
    writeFileSync(join(dir, 'compose.yml'), 'services:\n  db:\n    image: postgres\n    volumes: [pgdata:/data]\nvolumes:\n  pgdata:\n    x-voldriver: durable\n');
    const result = full(args, 'stdout');
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr.trim()).toBe('error: cannot write to standard output: no space left on the device');
  });

  it('keeps the exit code when standard error cannot be written', () => {
    expect(full(['render', '-f', 'missing.yml'], 'stderr').status).toBe(2);
    expect(full(['render'], 'stderr').status).toBe(0);
  });
});
