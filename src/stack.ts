/**
 * The library's options as plain data, and turning them into a loaded project and policy. It reads files only
 * through the reader it is given, and no process state: the caller passes the variables and the directory.
 */
import { dirname, join, posix } from 'node:path';
import { InputError } from './findings.js';
import { nodeReader, type FileReader } from './node-reader.js';
import { composeFileVariable, loadProject, type ComposeProject } from './compose/project.js';
import { BUILTIN_PREFIX, DEFAULT_POLICY, checkEnvironment, loadBuiltinPolicy, loadPolicyObject, loadPolicyText } from './policies/load.js';
import type { Policy, PolicyDocument } from './policies/types.js';

export type { FileReader } from './node-reader.js';

/** A compose file given as text rather than as a path. */
export interface StackSource {
  /** The name messages show, and the base of the relative paths it refers to. */
  name: string;
  text: string;
}

export interface StackOptions {
  /**
   * Compose files, in order; "-" reads the reader's standard input. Default: the names of `sources`, else
   * COMPOSE_FILE from `variables`, else compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml.
   */
  files?: string[];
  /** Files held in memory; `files` and the files they include or extend may name them. */
  sources?: StackSource[];
  /** A policy file's path, `builtin:NAME`, or the policy itself as data. Default: voldriver.yml beside the first file, else builtin:default. */
  policy?: string | PolicyDocument;
  /** The policy environment whose class overrides apply. */
  environment?: string;
  /** Values for the policy's {placeholders}. */
  parameters?: Record<string, string>;
  /** Variables for interpolation, COMPOSE_* settings and VOLDRIVER_<NAME> placeholders. The library reads no others. */
  variables?: Record<string, string | undefined>;
  /** Replace the project directory's .env; a later file wins. */
  envFiles?: string[];
  /** Enabled Compose profiles; default: COMPOSE_PROFILES from `variables`. */
  profiles?: string[];
  /** Project or stack name, for engine volume names; default as Compose names it. */
  projectName?: string;
  /** What reads the output: docker compose, or docker stack deploy. */
  target?: 'compose' | 'swarm';
  /** Write one merged, interpolated, canonical file even for a single plain file. */
  resolve?: boolean;
  /** Directory relative paths are read from, and a project in "." is named after. */
  cwd?: string;
  /** How files are read; default: Node's fs, from `cwd`. */
  reader?: FileReader;
}

export interface LoadedStack {
  project: ComposeProject;
  policy: Policy;
  parameters: Record<string, string>;
}

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** Docker Compose's override file names, in the order it looks for them. */
const OVERRIDE_FILES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

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
    isDirectory: (path) => get(path) === undefined && (reader.isDirectory?.(path) ?? false),
    readStdin: reader.readStdin,
  };
}

/** The compose files to read: as given, else COMPOSE_FILE, else the first default name found and its override file. */
export function composeFileNames(options: StackOptions, reader: FileReader): string[] {
  if (options.files && options.files.length > 0) return options.files;
  if (options.sources && options.sources.length > 0) return options.sources.map((source) => source.name);
  const fromEnv = composeFileVariable(options.variables ?? {});
  if (fromEnv.length > 0) return fromEnv;
  const found = DEFAULT_FILES.find((name) => reader.exists(name));
  const where = options.cwd ?? 'the working directory';
  if (!found) throw new InputError(`no compose file given and none found in ${where} (looked for ${DEFAULT_FILES.join(', ')}); use -f FILE`);
  // As docker compose does: the first override file found is merged over the default file.
  const override = OVERRIDE_FILES.find((name) => reader.exists(name));
  return override ? [found, override] : [found];
}

/** The environments named by the policy a render with these options would use (its `environment` is not checked). */
export function policyEnvironments(options: StackOptions): string[] {
  const reader = readerFor(options);
  return loadPolicy({ ...options, environment: undefined }, composeFileNames(options, reader), reader).environments;
}

function loadPolicy(options: StackOptions, files: string[], reader: FileReader): Policy {
  const given = options.policy;
  let policy: Policy;
  if (given !== undefined && typeof given !== 'string') {
    policy = loadPolicyObject(given);
  } else {
    const reference = given ?? discoverPolicy(files, reader);
    policy = reference.startsWith(BUILTIN_PREFIX) ? loadBuiltinPolicy(reference) : loadPolicyText(reader.readFile(reference), reference);
  }
  checkEnvironment(policy, options.environment);
  return policy;
}

function discoverPolicy(files: string[], reader: FileReader): string {
  const first = files[0];
  if (first && first !== '-') {
    for (const name of ['voldriver.yml', 'voldriver.yaml']) {
      const candidate = join(dirname(first), name);
      if (reader.exists(candidate)) return candidate;
    }
  }
  return DEFAULT_POLICY;
}

export function loadStack(options: StackOptions): LoadedStack {
  const reader = readerFor(options);
  const files = composeFileNames(options, reader);
  const variables = options.variables ?? {};
  const project = loadProject({
    files,
    io: {
      readFile: (path) => reader.readFile(path),
      stdin: () => reader.readStdin?.() ?? '',
      exists: (path) => reader.exists(path),
      isDirectory: (path) => reader.isDirectory?.(path) ?? false,
    },
    env: variables,
    envFiles: options.envFiles ?? [],
    profiles: options.profiles ?? [],
    resolve: options.resolve,
    projectName: options.projectName,
    workingDir: options.cwd,
  });
  const policy = loadPolicy(options, files, reader);
  return { project, policy, parameters: { ...options.parameters } };
}
