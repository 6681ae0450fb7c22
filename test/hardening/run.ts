/** Runs the CLI in-process on files written to a fresh directory, with captured output. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/program.js';
import { testIO } from '../helpers/io.js';

export interface Run {
  code: number;
  out: string;
  err: string;
  dir: string;
}

export function scratch(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-hard-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Runs `args` with relative paths taken from `dir` (the process's own directory is left alone). */
export async function runIn(dir: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const io = testIO({ env, cwd: dir });
  const absolute = args.map((arg, i) => (i > 0 && ['-f', '--policy', '-o', '--env-file', '--output', '--file'].includes(args[i - 1]) && !arg.startsWith('/') && !arg.startsWith('builtin:') && arg !== '-' && arg !== '' ? join(dir, arg) : arg));
  const code = await main(absolute, io);
  return { code, out: io.out, err: io.err, dir };
}

/** What no run may print: a stack trace, an internal error, or an object's inherited members. */
export const INTERNAL = /internal error|\n\s+at \S|\[native code\]|\[object Object\]|TypeError|RangeError|SyntaxError|ReferenceError/;
