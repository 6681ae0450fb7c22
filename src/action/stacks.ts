/**
 * The stacks a run checks: the `files` input is one stack; each match of a `stacks` pattern is a stack of its own
 * (a compose file, or a folder holding one), whose policy is the voldriver.yml beside it.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { COMPOSE_FILE_NAMES, InputError, nodeReader } from '../index.js';
import { composeFileNames, OVERRIDE_FILES } from '../stack.js';
import { GlobError, matchesGlob } from '../policies/glob.js';
import { statPath } from './stat.js';

export interface StackRef {
  /** What the summary, outputs and `{stack}` call it: its folder relative to the working directory. */
  name: string;
  /** Compose files, relative to the working directory; empty means the folder's default compose file. */
  files: string[];
  /** The folder the stack lives in, relative to the working directory. */
  dir: string;
  /**
   * With files empty, the compose file discovery finds: where a finding that names no file of its own (an
   * unknown environment) is annotated and located in SARIF, which code scanning refuses a result without.
   */
  found?: string;
}

const SKIPPED = new Set(['.git', 'node_modules']);

/** Files a wildcard passes over: the policy beside a stack, and the override docker compose merges over its compose file. */
const NOT_STACKS = new Set(['voldriver.yml', 'voldriver.yaml', ...OVERRIDE_FILES]);

const posixPath = (path: string) => path.split(sep).join('/');

/**
 * Paths under `root` matching a pattern: `*`, `?`, `[...]` within one path segment, `**` for any number of them.
 * Hidden entries match only a segment that starts with a dot; node_modules and .git are never entered. `**`
 * enters a symbolic link to a folder as `*` does, each real folder once (a link to a parent is no endless loop).
 */
export function expandGlob(root: string, pattern: string): string[] {
  const segments = posixPath(pattern).replace(/^\.\//, '').split('/').filter((s) => s !== '' && s !== '.');
  const found = new Set<string>();
  const walked = new Set<string>();
  const walk = (dir: string, index: number) => {
    if (index === segments.length) {
      found.add(dir);
      return;
    }
    const segment = segments[index];
    if (segment === '**') {
      // Each real folder is walked once for this part of the pattern, by its own path when that comes first.
      const key = `${index}\u0000${realPath(join(root, dir))}`;
      if (walked.has(key)) return;
      walked.add(key);
      walk(dir, index + 1);
      const folders = entries(root, dir).filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(join(root, dir, entry.name)))));
      for (const entry of [...folders.filter((e) => !e.isSymbolicLink()), ...folders.filter((e) => e.isSymbolicLink())]) walk(join(dir, entry.name), index);
      return;
    }
    if (!/[*?[]/.test(segment)) {
      const next = join(dir, segment);
      if (present(join(root, next))) walk(next, index + 1);
      return;
    }
    for (const entry of entries(root, dir)) {
      if (matchesGlob(entry.name, segment) && !(entry.name.startsWith('.') && !segment.startsWith('.'))) walk(join(dir, entry.name), index + 1);
    }
  };
  walk('', 0);
  return [...found].map(posixPath).sort();
}

function entries(root: string, dir: string) {
  try {
    return readdirSync(join(root, dir), { withFileTypes: true }).filter((entry) => !SKIPPED.has(entry.name));
  } catch {
    return [];
  }
}

/** Whether a directory entry is there, a symbolic link to nothing included: its stack reports it cannot be read. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The path without symbolic links; for a link to nothing, its folder's real path and its own name. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The compose file the library's discovery finds from `cwd` (in it or a parent), relative to `cwd`. */
function discoveredFile(cwd: string): string | undefined {
  try {
    return fromCwd(cwd, resolve(cwd, composeFileNames({ cwd }, nodeReader(cwd))[0]));
  } catch (error) {
    // Nothing found.
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

/**
 * An absolute path inside `cwd` as a relative one, and a relative one without `.` and `x/..` parts, so that stacks
 * are named alike however they were given (`./web/compose.yml`, `db/../web/compose.yml` and `web/compose.yml` are
 * the stack `web`, in the outputs and in `{stack}`).
 */
function fromCwd(cwd: string, path: string): string {
  if (!isAbsolute(path)) return posix.normalize(path);
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : posixPath(rel);
}

/**
 * Said of a path or pattern that names nothing when it is a list written on one line (`a.yml, b.yml`,
 * `stacks/a stacks/b`) whose parts each name something: inputs take one per line.
 */
function onOneLine(cwd: string, text: string, names: (part: string) => boolean): string {
  const parts = text.split(/\s*,\s*|\s+/).filter((part) => part !== '');
  if (parts.length < 2 || !parts.every((part) => safely(() => names(part)))) return '';
  return `: it reads as one path; give ${parts.map((part) => `"${part}"`).join(', ')} one per line`;
}

function safely(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

/**
 * A path of the files input names the compose file to check, or the step cannot check what it was asked to: a
 * file that is not there (or a symbolic link to nothing) fails the step whatever fail-on says, as an unusable
 * policy input does, instead of passing with an error finding and nothing checked.
 */
function checkFile(cwd: string, file: string): void {
  const path = resolve(cwd, file);
  if (isDirectory(path)) {
    throw new InputError(`input files: "${file}" is a folder; files takes compose files: name the file in it, or give the folder in stacks`);
  }
  const at = statPath(path);
  if (at.stats !== undefined) return;
  // A loop of symbolic links, a name too long: said as the system says it.
  if (at.reason !== undefined) throw new InputError(`input files: cannot read ${file}: ${at.reason}`);
  if (/[*?[]/.test(file) && !present(path)) {
    throw new InputError(`input files: "${file}" names no file, and files takes paths, not patterns: give patterns in stacks (each match its own stack)`);
  }
  let reason = 'no such file';
  try {
    nodeReader(cwd).readFile(file);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reason = error.message.replace(/^cannot read .*?: /s, '');
  }
  throw new InputError(`input files: cannot read ${file}: ${reason}${onOneLine(cwd, file, (part) => statPath(resolve(cwd, part)).stats !== undefined)}`);
}

export function findStacks(cwd: string, givenFiles: string[], givenPatterns: string[]): StackRef[] {
  const files = givenFiles.map((file) => fromCwd(cwd, file));
  // A pattern is walked from the working directory: an absolute one outside it is written relative to it (`../`),
  // not read as a path below it.
  const patterns = givenPatterns.map((pattern) => (isAbsolute(pattern) ? posixPath(relative(cwd, pattern)) || '.' : pattern));
  for (const file of files) checkFile(cwd, file);
  if (patterns.length === 0) {
    const dir = files.length > 0 ? posixPath(dirname(files[0])) : '.';
    if (files.length > 0) return [{ name: dir !== '.' ? dir : basename(cwd), files, dir }];
    // No files named: the library finds them here or in a parent directory, and the stack is named after that one.
    const found = discoveredFile(cwd);
    if (found === undefined) {
      throw new InputError(`inputs files and stacks are empty, and none of ${COMPOSE_FILE_NAMES.join(', ')} is in ${cwd} or a folder above it: name the stack's compose files in files, or give stacks patterns`);
    }
    return [{ name: basename(dirname(resolve(cwd, found))), files, dir, found }];
  }
  // One stack per real file: the same compose file reached through a symbolic link, or by two patterns, is checked once.
  const byRealFile = new Map<string, string[]>();
  const realCwd = realPath(cwd);
  for (const pattern of patterns) {
    let matches: string[];
    try {
      matches = expandGlob(cwd, pattern);
    } catch (error) {
      if (error instanceof GlobError) throw new InputError(`input stacks: ${error.message}`);
      throw error;
    }
    if (matches.length === 0) throw new InputError(`input stacks: the pattern "${pattern}" matches nothing in ${cwd}${onOneLine(cwd, pattern, (part) => expandGlob(cwd, part).length > 0)}`);
    const wildcardName = /[*?[]/.test(posixPath(pattern).split('/').pop() ?? '');
    for (const match of matches) {
      let file = match;
      // A folder, or its compose file met by a wildcard, is the stack docker compose finds there: with its override.
      let withOverride = wildcardName && COMPOSE_FILE_NAMES.includes(basename(match));
      if (isDirectory(join(cwd, match))) {
        const found = COMPOSE_FILE_NAMES.find((name) => present(join(cwd, match, name)));
        if (!found) continue;
        file = posixPath(join(match, found));
        withOverride = true;
      } else if (wildcardName && (!/\.ya?ml$/i.test(file) || NOT_STACKS.has(basename(file)))) {
        // stacks/* meets stacks/README.md, **/*.yml a voldriver.yml or compose.override.yml: a wildcard takes
        // compose files and folders, not the policy or override file of another stack.
        continue;
      }
      const override = withOverride ? OVERRIDE_FILES.find((name) => present(join(cwd, dirname(file), name))) : undefined;
      const files = override ? [file, posixPath(join(dirname(file), override))] : [file];
      const real = realPath(join(cwd, file));
      const kept = byRealFile.get(real);
      // Of two ways to one file, the one without a symbolic link names the stack.
      if (kept === undefined || (real !== join(realCwd, kept[0]) && real === join(realCwd, file))) byRealFile.set(real, files);
    }
  }
  const stacks = [...byRealFile.values()].map((files): StackRef => {
    const dir = posixPath(dirname(files[0]));
    return { name: dir === '.' ? basename(cwd) : dir, files, dir };
  });
  if (stacks.length === 0) throw new InputError(`input stacks: no compose file found for ${patterns.join(', ')}`);
  // Two stacks in one folder are told apart by their file.
  const counts = new Map<string, number>();
  for (const stack of stacks) counts.set(stack.name, (counts.get(stack.name) ?? 0) + 1);
  for (const stack of stacks) if ((counts.get(stack.name) ?? 0) > 1) stack.name = stack.files[0];
  return stacks;
}

