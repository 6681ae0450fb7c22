/** Reading files through Node's fs: the library's default reader. It reads no environment variables. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from './findings.js';

/** How the library reads the files it is given. Paths are as the caller gave them; messages show them so. */
export interface FileReader {
  readFile(path: string): string;
  exists(path: string): boolean;
  isDirectory?(path: string): boolean;
  /** Text of standard input, for the file name "-". */
  readStdin?(): string;
}

export function readError(error: unknown, path: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`cannot read ${path}: no such file`, { file: path });
  if (code === 'EISDIR') return new InputError(`cannot read ${path}: it is a directory, not a file`, { file: path });
  if (code === 'EACCES') return new InputError(`cannot read ${path}: permission denied`, { file: path });
  return new InputError(`cannot read ${path}: ${(error as Error).message}`, { file: path });
}

/** Files on disk; relative paths are taken from `cwd` when it is given, else from the process's directory. */
export function nodeReader(cwd?: string): Required<FileReader> {
  const at = (path: string) => (cwd === undefined ? path : resolve(cwd, path));
  return {
    readFile(path) {
      try {
        if (statSync(at(path)).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
        return readFileSync(at(path), 'utf8');
      } catch (error) {
        throw readError(error, path);
      }
    },
    readStdin() {
      try {
        return readFileSync(0, 'utf8');
      } catch (error) {
        throw readError(error, '<stdin>');
      }
    },
    exists: (path) => existsSync(at(path)),
    isDirectory: (path) => {
      try {
        return statSync(at(path)).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
