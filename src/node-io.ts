/** The real IO: files, streams and environment of this process. */
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './findings.js';
import type { IO } from './io.js';
import { nodeReader } from './node-reader.js';

export function nodeIO(): IO {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  let color: boolean | undefined;
  // The standard streams are opened on first use only: opening one loads Node's stream modules.
  return {
    stdout: (text) => {
      if (text !== '') process.stdout.write(text);
    },
    stderr: (text) => {
      if (text !== '') process.stderr.write(text);
    },
    env: process.env,
    cwd: process.cwd(),
    get color() {
      return (color ??= !noColor && process.stdout.isTTY === true && process.env.TERM !== 'dumb');
    },
    get terminal() {
      return process.stdout.isTTY === true;
    },
    ...nodeReader(),
    writeFileAtomic(path, text) {
      const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
      let fd: number | undefined;
      try {
        fd = openSync(temp, 'wx', existsSync(path) ? statSync(path).mode & 0o777 : 0o644);
        writeSync(fd, text);
        fsyncSync(fd);
        closeSync(fd);
        fd = undefined;
        renameSync(temp, path);
      } catch (error) {
        if (fd !== undefined) closeSync(fd);
        try {
          unlinkSync(temp);
        } catch {
          // The temporary file may not exist; the original is untouched either way.
        }
        throw new InputError(`cannot write ${path}: ${(error as Error).message}`, { file: path });
      }
    },
  };
}
