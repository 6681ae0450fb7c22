/** Files the Action writes (rendered stacks, SARIF): whole or not at all, and a failure said in one line. */
import { renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../index.js';
import { systemReason } from '../node-errors.js';
import { makeDirectories } from '../node-write.js';
import { own } from '../own.js';

/** What a workflow's author is told about the folders an output path runs through; other reasons are systemReason's. */
const FOLDER_REASONS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
};

/** The folders on the way to `dir` that are not there yet, the deepest first. */
function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let at = dir; dirname(at) !== at; at = dirname(at)) {
    try {
      if (statSync(at, { throwIfNoEntry: false })) break;
    } catch {
      break;
    }
    missing.push(at);
  }
  return missing;
}

/**
 * Writes `text` to `path` through a temporary file beside it; on failure, an InputError naming the input, and the
 * folders made for it removed again: a refused write leaves the workspace as it was.
 */
export function writeAtomic(input: string, path: string, text: string): void {
  const temporary = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  const made = missingFolders(dirname(path));
  try {
    makeDirectories(dirname(path));
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Never made: its folder could not be.
    }
    for (const folder of made) {
      try {
        rmdirSync(folder);
      } catch {
        // Never made, or no longer empty.
      }
    }
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new InputError(`input ${input}: cannot write ${path}: ${own(FOLDER_REASONS, code) ?? systemReason(error)}`);
  }
}
