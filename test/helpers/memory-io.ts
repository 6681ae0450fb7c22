/** Compose IO over an in-memory file table, and a way to catch the InputError a call must throw. */
import { posix } from 'node:path';
import type { ComposeIO } from '../../src/compose/project.js';
import { InputError } from '../../src/findings.js';

export function memoryIO(files: Record<string, string>, withExists = true): ComposeIO {
  const get = (path: string) => files[posix.normalize(path)];
  const io: ComposeIO = {
    readFile: (path) => {
      const text = get(path);
      if (text === undefined) throw new Error(`ENOENT: no such file: ${path}`);
      return text;
    },
  };
  if (withExists) io.exists = (path) => get(path) !== undefined;
  return io;
}

export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}
