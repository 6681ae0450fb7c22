/**
 * The library's options as plain data, and turning them into a loaded project and policy. It reads files only
 * through the reader it is given, and no process state: the caller passes the variables and the directory.
 */
import { dirname, isAbsolute, join, posix, relative } from 'node:path';
import { InputError, type Finding } from './findings.js';
import { nodeReader, type FileReader } from './node-reader.js';
import { composeFileVariable, loadProject, type ComposeProject } from './compose/project.js';
import { BUILTIN_PREFIX, DEFAULT_POLICY, checkEnvironment, loadBuiltinPolicy, loadPolicyObject, loadPolicyText } from './policies/load.js';
import type { Policy } from './policies/types.js';
import { checkStackOptions, type StackOptions } from './stack-options.js';

export type { FileReader } from './node-reader.js';

export type { StackOptions, StackSource } from './stack-options.js';

export interface LoadedStack {
  project: ComposeProject;
  policy: Policy;
  parameters: Record<string, string>;
}

/** Docker Compose's default file names, in its order of preference (compose-go `DefaultFileNames`). */
export const COMPOSE_FILE_NAMES: readonly string[] = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
/** Docker Compose's override file names, in its order of preference. */
export const OVERRIDE_FILES: readonly string[] = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

/** The reader, with the in-memory sources in front of it. */
function readerFor(options: StackOptions): FileReader {
  const reader = options.reader ?? nodeReader(options.cwd);
  const sources = options.sources ?? [];
  if (sources.length === 0) return reader;
  const held = new Map(sources.map((source) => [posix.normalize(source.name), source.text]));
  const get = (path: string) => held.get(posix.normalize(path));
  return {
    readFile: (path) => get(path) ?? reader.readFile(path),
    exists: (path) => get(path) !== undefined || reader.exists(path),
    present: (path) => get(path) !== undefined || (reader.present?.(path) ?? false),
    isDirectory: (path) => get(path) === undefined && (reader.isDirectory?.(path) ?? false),
    readStdin: reader.readStdin,
  };
}

/** The compose files a run reads, and warnings when the directory they were found in held several of a kind. */
interface ComposeFiles {
  files: string[];
  notes: Finding[];
}

/** The warning docker compose gives when one directory holds several default (or override) names: the first wins. */
function severalFound(found: string[], kind: string): Finding[] {
  if (found.length < 2) return [];
  return [
    {
      code: 'multiple-compose-files',
      severity: 'warning',
      message: `found several ${kind} with default names: ${found.join(', ')}; using ${found[0]}, as docker compose does`,
      hint: `remove or rename the others, or name the files with -f`,
      file: found[0],
    },
  ];
}

/** The directories default files are looked for in: `cwd`, then each parent up to the root (only "." without an absolute `cwd`). */
function searchedDirectories(cwd: string | undefined): { dir: string; shown: string }[] {
  if (cwd === undefined || !isAbsolute(cwd)) return [{ dir: '.', shown: cwd ?? 'the working directory' }];
  const dirs: { dir: string; shown: string }[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    dirs.push({ dir: relative(cwd, dir).split('\\').join('/') || '.', shown: dir });
    if (dirname(dir) === dir) return dirs;
  }
}

function discoverComposeFiles(options: StackOptions, reader: FileReader): ComposeFiles {
  if (options.files && options.files.length > 0) return { files: options.files, notes: [] };
  if (options.sources && options.sources.length > 0) return { files: options.sources.map((source) => source.name), notes: [] };
  const fromEnv = composeFileVariable(options.variables ?? {});
  if (fromEnv.length > 0) return { files: fromEnv, notes: [] };
  const searched = searchedDirectories(options.cwd);
  for (const { dir } of searched) {
    const at = (name: string) => (dir === '.' ? name : posix.join(dir, name));
    const found = COMPOSE_FILE_NAMES.map(at).filter((path) => reader.exists(path));
    if (found.length === 0) continue;
    // As docker compose does: the first override file in the same directory is merged over the file found.
    const overrides = OVERRIDE_FILES.map(at).filter((path) => reader.exists(path));
    return {
      files: [found[0], ...overrides.slice(0, 1)],
      notes: [...severalFound(found, 'compose files'), ...severalFound(overrides, 'override files')],
    };
  }
  const where = searched.length === 1 ? `in ${searched[0].shown}` : `in ${searched[0].shown} or any parent directory up to ${searched[searched.length - 1].shown}`;
  throw new InputError(`no compose file given and none found ${where} (looked for ${COMPOSE_FILE_NAMES.join(', ')}); use -f FILE`);
}

/** The compose files to read: as given, else COMPOSE_FILE, else the first default name found (here or in a parent directory) and its override file. */
export function composeFileNames(options: StackOptions, reader: FileReader): string[] {
  return discoverComposeFiles(options, reader).files;
}

/**
 * The override file docker compose would merge over the one compose file these options read, when it is not read:
 * `-f compose.yml` given alone beside a compose.override.yml. Undefined when several files, or a file of another
 * name, are read, or the override is among them.
 */
export function unreadOverrideFile(options: StackOptions): string | undefined {
  const reader = readerFor(options);
  const files = composeFileNames(options, reader);
  if (files.length !== 1 || files[0] === '-' || !COMPOSE_FILE_NAMES.includes(posix.basename(files[0]))) return undefined;
  const dir = posix.dirname(files[0]);
  return OVERRIDE_FILES.map((name) => (dir === '.' ? name : posix.join(dir, name))).find((path) => reader.exists(path));
}

/** The environments named by the policy a render with these options would use (its `environment` is not checked). */
export function policyEnvironments(given: StackOptions): string[] {
  const options = checkStackOptions(given);
  const reader = readerFor(options);
  const files = composeFileNames(options, reader);
  checkOneStdin(options, files);
  return loadPolicy({ ...options, environment: undefined }, files, reader).environments;
}

/**
 * Standard input ends after one read: a second reader of "-" would get an empty text. The refusal when more than
 * one of them ask for it (each named as the caller names it: a flag, an option), or undefined.
 */
export function stdinConflict(users: readonly string[]): string | undefined {
  if (users.length < 2) return undefined;
  const named = [...new Set(users)];
  if (named.length === 1) return `standard input can be read only once: ${named[0]} is given ${users.length} times; give it once`;
  const listed = `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `standard input can be read only once: ${listed} ${named.length === 2 ? 'both ask for it; give one of them' : 'all ask for it; give all but one of them'} as a file`;
}

/** Refuses options that ask for standard input more than once; said before anything reads it. */
function checkOneStdin(options: StackOptions, files: string[]): void {
  const conflict = stdinConflict([
    ...files.filter((file) => file === '-').map(() => 'the compose file (files: "-")'),
    ...(options.envFiles ?? []).filter((file) => file === '-').map(() => 'the env file (envFiles: "-")'),
    ...(options.policy === '-' ? ['the policy (policy: "-")'] : []),
  ]);
  if (conflict) throw new InputError(conflict);
}

function loadPolicy(options: StackOptions, files: string[], reader: FileReader): Policy {
  const given = options.policy;
  let policy: Policy;
  if (given !== undefined && typeof given !== 'string') {
    policy = loadPolicyObject(given);
  } else {
    policy = readPolicy(given ?? discoverPolicy(files, reader), reader);
  }
  checkEnvironment(policy, options.environment);
  return policy;
}

/** The policy a reference names, a file or builtin:NAME, read and checked; an InputError when it cannot be. */
export function readPolicy(reference: string, reader: FileReader): Policy {
  if (reference.startsWith(BUILTIN_PREFIX)) return loadBuiltinPolicy(reference);
  // "-": the policy on standard input (`compose-voldriver policy aws | compose-voldriver validate --policy -`).
  if (reference === '-') {
    if (!reader.readStdin) throw new InputError('the policy "-" is standard input, and the reader given has no readStdin', { file: '-' });
    return loadPolicyText(reader.readStdin(), '-');
  }
  // `BUILTIN:aws` or `Builtin:aws` with no such file: meant as the built-in policy, whose prefix is lower case.
  const builtinCase = reference.toLowerCase().startsWith(BUILTIN_PREFIX) && !reader.exists(reference) && !reader.present?.(reference);
  if (builtinCase) throw new InputError(`cannot read ${reference}: no such file; a built-in policy is named in lower case: ${reference.toLowerCase()}`, { file: reference });
  return loadPolicyText(reader.readFile(reference), reference);
}

function discoverPolicy(files: string[], reader: FileReader): string {
  const first = files[0];
  if (first && first !== '-') {
    for (const name of ['voldriver.yml', 'voldriver.yaml']) {
      const candidate = join(dirname(first), name);
      if (reader.exists(candidate) || reader.present?.(candidate)) return candidate;
    }
  }
  return DEFAULT_POLICY;
}

/** The name an env file read from standard input (`--env-file -`) has in messages. */
const STDIN_ENV_FILE = '<stdin>';

/** `--env-file -`: standard input, read once before the project loads (which may read its env files twice). */
function envFilesRead(options: StackOptions, reader: FileReader): { envFiles: string[]; stdin?: string } {
  const envFiles = options.envFiles ?? [];
  if (!envFiles.includes('-')) return { envFiles };
  if (!reader.readStdin) throw new InputError('the env file "-" is standard input, and the reader given has no readStdin', { file: '-' });
  return { envFiles: envFiles.map((file) => (file === '-' ? STDIN_ENV_FILE : file)), stdin: reader.readStdin() };
}

export function loadStack(options: StackOptions): LoadedStack {
  const reader = readerFor(options);
  const { files, notes } = discoverComposeFiles(options, reader);
  checkOneStdin(options, files);
  const variables = options.variables ?? {};
  const { envFiles, stdin } = envFilesRead(options, reader);
  const project = loadProject({
    files,
    io: {
      readFile: (path) => (stdin !== undefined && path === STDIN_ENV_FILE ? stdin : reader.readFile(path)),
      stdin: () => reader.readStdin?.() ?? '',
      exists: (path) => reader.exists(path),
      isDirectory: (path) => reader.isDirectory?.(path) ?? false,
    },
    env: variables,
    envFiles,
    profiles: options.profiles ?? [],
    resolve: options.resolve,
    projectName: options.projectName,
    workingDir: options.cwd,
  });
  project.findings.unshift(...notes);
  const policy = loadPolicy(options, files, reader);
  return { project, policy, parameters: { ...options.parameters } };
}
