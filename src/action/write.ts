/** Files the Action writes (rendered stacks, SARIF): whole or not at all, and a failure said in one line. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../index.js';

const REASONS: Record<string, string> = {
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** Writes `text` to `path` through a temporary file beside it; on failure, an InputError naming the input. */
export function writeAtomic(input: string, path: string, text: string): void {
  const temporary = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Never made: its folder could not be.
    }
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new InputError(`input ${input}: cannot write ${path}: ${REASONS[code] ?? (error as Error).message}`);
  }
}
