/**
 * The library's options checked where they come in. TypeScript callers are held to `StackOptions` by the compiler;
 * JavaScript callers are not, and a wrong option must not become a wrong render: `env: 'prod'` for `environment`
 * would render the default environment, `files: 'stack.yml'` would read files named "s", "t", "a"... Every option
 * is checked here, and a wrong one is an InputError that names the option and says what it must be.
 */
import { posix } from 'node:path';
import { InputError } from './findings.js';
import { emptyRecord, setOwn } from './own.js';
import type { FileReader } from './node-reader.js';
import type { PolicyDocument } from './policies/types.js';
import { didYouMean } from './suggest.js';

/** A compose file given as text rather than as a path. */
export interface StackSource {
  /** The name messages show, and the base of the relative paths it refers to. */
  name: string;
  text: string;
}

export interface StackOptions {
  /**
   * Compose files, in order; "-" reads the reader's standard input. Default: the names of `sources`, else
   * COMPOSE_FILE from `variables`, else the first of compose.yaml, compose.yml, docker-compose.yml and
   * docker-compose.yaml (with its override file) in `cwd` or the nearest of its parent directories that holds one,
   * as docker compose looks for them. Without `cwd` only the reader's own directory is searched.
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
  /** Replace the project directory's .env; a later file wins; "-" reads the reader's standard input (once: not with a compose file or policy "-"). */
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

type Check = (value: unknown, option: string) => unknown;

/** What a value is, in words, for a message; never the value itself (it may be a credential). */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : type === 'undefined' ? 'undefined' : `a ${type}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrong(option: string, expected: string, value: unknown): never {
  throw new InputError(`option ${option} must be ${expected}, got ${kind(value)}`);
}

const text: Check = (value, option) => (typeof value === 'string' ? value : wrong(option, 'a string', value));

const flag: Check = (value, option) => (typeof value === 'boolean' ? value : wrong(option, 'true or false', value));

/** `fileNames`: an empty name names no file (the CLI's `-f ""`): refused, rather than "cannot read : no such file". */
function names(what: string, fileNames = false): Check {
  return (value, option) => {
    if (typeof value === 'string') throw new InputError(`option ${option} must be an array of ${what}, got a string: write [${JSON.stringify(value)}]`);
    if (!Array.isArray(value)) wrong(option, `an array of ${what}`, value);
    return value.map((item, index) => {
      if (typeof item !== 'string') return wrong(`${option}[${index}]`, 'a string', item);
      if (fileNames && item === '') throw new InputError(`option ${option}[${index}] must be a file name, got an empty string`);
      return item;
    });
  };
}

/** Parameters and variables: strings; numbers and booleans as the text they print as; `undefined` as not given. */
function values(allowUndefined: boolean): Check {
  return (value, option) => {
    if (!isRecord(value)) wrong(option, 'an object of names to strings', value);
    const out: Record<string, string | undefined> = emptyRecord();
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string') setOwn(out, key, item);
      else if (typeof item === 'number' || typeof item === 'boolean') setOwn(out, key, String(item));
      else if (item === undefined && allowUndefined) setOwn(out, key, undefined);
      else if (item !== undefined) wrong(`${option}.${key}`, 'a string', item);
    }
    return out;
  };
}

const sources: Check = (value, option) => {
  if (!Array.isArray(value)) wrong(option, 'an array of { name, text }', value);
  // Two sources of one name: files would read only one of them, and which would be chance.
  const seen = new Map<string, number>();
  return value.map((item, index): StackSource => {
    if (!isRecord(item)) wrong(`${option}[${index}]`, 'an object { name, text }', item);
    const name = text(item.name, `${option}[${index}].name`) as string;
    if (name === '') throw new InputError(`option ${option}[${index}].name must not be empty`);
    const first = seen.get(posix.normalize(name));
    if (first !== undefined) throw new InputError(`option ${option}[${index}].name ${JSON.stringify(name)} names the same file as ${option}[${first}].name: give each source its own name`);
    seen.set(posix.normalize(name), index);
    return { name, text: text(item.text, `${option}[${index}].text`) as string };
  });
};

const policy: Check = (value, option) => {
  if (value === '') throw new InputError(`option ${option} must be a file path, "builtin:NAME" or a policy object, got an empty string`);
  return typeof value === 'string' || isRecord(value) ? value : wrong(option, 'a file path, "builtin:NAME" or a policy object', value);
};

const target: Check = (value, option) => {
  if (value === 'compose' || value === 'swarm') return value;
  if (typeof value === 'string') throw new InputError(`option ${option} must be "compose" or "swarm", got ${JSON.stringify(value)}`);
  return wrong(option, '"compose" or "swarm"', value);
};

/** The caller's reader, with what it returns checked: a file's text must be a string. */
const reader: Check = (value, option) => {
  if (!isRecord(value)) wrong(option, 'an object with readFile and exists functions', value);
  for (const method of ['readFile', 'exists']) if (typeof value[method] !== 'function') wrong(`${option}.${method}`, 'a function', value[method]);
  for (const method of ['present', 'isDirectory', 'readStdin']) if (value[method] !== undefined && typeof value[method] !== 'function') wrong(`${option}.${method}`, 'a function', value[method]);
  const given = value as unknown as FileReader;
  const returned = (what: string, path: string | undefined, result: unknown): string => {
    if (typeof result === 'string') return result;
    throw new InputError(`the reader's ${what} returned ${kind(result)}, not the file's text`, path === undefined ? undefined : { file: path });
  };
  const checked: FileReader = {
    readFile: (path) => returned(`readFile("${path}")`, path, given.readFile(path)),
    exists: (path) => given.exists(path) === true,
  };
  if (given.present) checked.present = (path) => given.present!(path) === true;
  if (given.isDirectory) checked.isDirectory = (path) => given.isDirectory!(path) === true;
  if (given.readStdin) checked.readStdin = () => returned('readStdin()', '-', given.readStdin!());
  return checked;
};

const CHECKS: Record<keyof StackOptions, Check> = {
  files: names('file names', true),
  sources,
  policy,
  environment: text,
  parameters: values(false),
  variables: values(true),
  envFiles: names('file names', true),
  profiles: names('profile names'),
  projectName: text,
  target,
  resolve: flag,
  cwd: text,
  reader,
};

/** The names a caller may reach for from the command line's flags. */
const FLAG_NAMES: Record<string, keyof StackOptions> = {
  file: 'files',
  env: 'environment',
  set: 'parameters',
  params: 'parameters',
  envFile: 'envFiles',
  env_file: 'envFiles',
  profile: 'profiles',
  project: 'projectName',
  project_name: 'projectName',
};

/**
 * The options, checked: unknown names and wrong types are refused with an InputError naming the option; `null`
 * counts as not given; numbers and booleans among parameters and variables become their text.
 */
export function checkStackOptions(options: unknown): StackOptions {
  if (options === undefined || options === null) return {};
  if (!isRecord(options)) throw new InputError(`the options must be an object, got ${kind(options)}`);
  const known = Object.keys(CHECKS);
  const checked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (!Object.prototype.hasOwnProperty.call(CHECKS, name)) {
      const alias = Object.prototype.hasOwnProperty.call(FLAG_NAMES, name) ? ` (did you mean "${FLAG_NAMES[name]}"?)` : didYouMean(name, known);
      throw new InputError(`unknown option "${name}"${alias}; the options are ${known.join(', ')}`);
    }
    if (value === undefined || value === null) continue;
    checked[name] = CHECKS[name as keyof StackOptions](value, name);
  }
  return checked as StackOptions;
}

/** How explainStack shows what it explains. */
export interface DisplayOptions {
  /** Show credential option values instead of ***. */
  showSecrets?: boolean;
}

/**
 * explainStack's second argument, checked as the options are: credentials are shown only for `showSecrets: true`,
 * never for a value that is merely truthy (`'no'`, `1`), and a misspelt name is refused rather than ignored.
 */
export function checkDisplayOptions(display: unknown): DisplayOptions {
  if (display === undefined || display === null) return {};
  if (!isRecord(display)) throw new InputError(`the display options must be an object, got ${kind(display)}`);
  for (const [name, value] of Object.entries(display)) {
    if (name !== 'showSecrets') throw new InputError(`unknown display option "${name}"${didYouMean(name, ['showSecrets'])}; the display options are showSecrets`);
    if (value !== undefined && value !== null) flag(value, 'showSecrets');
  }
  return { showSecrets: display.showSecrets === true };
}

/** What an exported helper's argument must be, checked for callers without a type checker. */
export type ArgumentKind = 'string' | 'boolean' | 'array' | 'array of strings' | 'object';

const ARGUMENT_WORDS: Record<ArgumentKind, string> = { string: 'a string', boolean: 'true or false', array: 'an array', 'array of strings': 'an array of strings', object: 'an object' };

function isKind(value: unknown, expected: ArgumentKind): boolean {
  switch (expected) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'array of strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    default:
      return isRecord(value);
  }
}

/**
 * An argument of an exported helper (`findDriver(name)`, `exitFor(findings)`...), checked: one of another kind is an
 * InputError naming the function and the argument, not a TypeError from inside it. `optional` lets undefined through.
 */
export function checkArgument(call: string, argument: string, value: unknown, expected: ArgumentKind, optional = false): void {
  if (optional && value === undefined) return;
  if (!isKind(value, expected)) throw new InputError(`${call}: ${argument} must be ${ARGUMENT_WORDS[expected]}, got ${kind(value)}`);
}

/*
 * The internal structures the library exports for callers that go step by step (loadProject, planVolumes,
 * renderProject, loadPolicyObject): each argument checked where it comes in, so that null, a string for an array
 * or a policy document where a loaded policy belongs is one InputError naming the function and the argument, never
 * a TypeError from deep inside, and a misspelt option is refused rather than ignored.
 */

/** An options object of these fields (each checked as `checks` says); unknown names refused with a suggestion. */
function checkFields(call: string, argument: string, value: unknown, checks: Record<string, Check>, optional = true): Record<string, unknown> {
  if (value === undefined && optional) return {};
  if (!isRecord(value)) throw new InputError(`${call}: ${argument} must be an object, got ${kind(value)}`);
  const known = Object.keys(checks);
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (!Object.prototype.hasOwnProperty.call(checks, name)) throw new InputError(`${call}: unknown option "${name}" in ${argument}${didYouMean(name, known)}; the options are ${known.join(', ')}`);
    if (item === undefined) continue;
    out[name] = checks[name](item, `${call}: ${argument}.${name}`);
  }
  return out;
}

/** `wrong` for a check whose option name already names the call: "f: options.env must be a string, got null". */
function prefixed(check: (value: unknown, option: string) => unknown): Check {
  return (value, option) => {
    try {
      return check(value, option);
    } catch (error) {
      if (error instanceof InputError && error.message.startsWith('option ')) throw new InputError(error.message.slice('option '.length));
      throw error;
    }
  };
}

const object: Check = (value, option) => (isRecord(value) ? value : wrong(option, 'an object', value));
const fn: Check = (value, option) => (typeof value === 'function' ? value : wrong(option, 'a function', value));

/** loadProject's io: readFile, and optionally stdin, exists, isDirectory; a file's text it returns must be a string. */
const composeIO: Check = (value, option) => {
  if (!isRecord(value)) wrong(option, 'an object with a readFile function', value);
  fn(value.readFile, `${option}.readFile`);
  for (const method of ['stdin', 'exists', 'isDirectory']) if (value[method] !== undefined) fn(value[method], `${option}.${method}`);
  const given = value as { readFile(path: string): unknown; stdin?: () => unknown; exists?: (path: string) => unknown; isDirectory?: (path: string) => unknown };
  const text = (what: string, file: string, result: unknown): string => {
    if (typeof result === 'string') return result;
    throw new InputError(`${option}.${what} returned ${kind(result)}, not the file's text`, { file });
  };
  return {
    readFile: (path: string) => text(`readFile("${path}")`, path, given.readFile(path)),
    ...(given.stdin ? { stdin: () => text('stdin()', '-', given.stdin!()) } : {}),
    ...(given.exists ? { exists: (path: string) => given.exists!(path) === true } : {}),
    ...(given.isDirectory ? { isDirectory: (path: string) => given.isDirectory!(path) === true } : {}),
  };
};

const LOAD_PROJECT_OPTIONS: Record<string, Check> = {
  files: prefixed(names('file names', true)),
  io: prefixed(composeIO),
  env: prefixed(values(true)),
  envFiles: prefixed(names('file names', true)),
  profiles: prefixed(names('profile names')),
  projectDirectory: prefixed(text),
  projectName: prefixed(text),
  resolve: prefixed(flag),
  workingDir: prefixed(text),
};

/** loadProject's options, checked: `files` and `io` are needed. */
export function checkLoadProjectOptions(options: unknown): Record<string, unknown> {
  if (!isRecord(options)) throw new InputError(`loadProject: the options must be an object { files, io, ... }, got ${kind(options)}`);
  for (const needed of ['files', 'io']) if (options[needed] === undefined || options[needed] === null) throw new InputError(`loadProject: option ${needed} is needed, got ${kind(options[needed])}`);
  return checkFields('loadProject', 'options', options, LOAD_PROJECT_OPTIONS, false);
}

const PLAN_OPTIONS: Record<string, Check> = {
  env: prefixed(text),
  set: prefixed(values(false)),
  variables: prefixed(values(true)),
  projectName: prefixed(text),
  userWritten: prefixed(object),
  offServices: prefixed(object),
};

/** planVolumes' and renderProject's options (renderProject's also take a target). */
export function checkPlanOptions(call: 'planVolumes' | 'renderProject', options: unknown): Record<string, unknown> {
  if (options === null) return {};
  return checkFields(call, 'options', options, call === 'renderProject' ? { ...PLAN_OPTIONS, target: prefixed(target) } : PLAN_OPTIONS);
}

/** A loaded project, as loadProject returns it. */
export function checkProject(call: string, project: unknown): void {
  const what = 'a project as loadProject returns it';
  if (!isRecord(project)) throw new InputError(`${call}: the project must be ${what}, got ${kind(project)}`);
  if (!isRecord(project.model)) throw new InputError(`${call}: the project's model must be an object (${what}), got ${kind(project.model)}`);
  if (!Array.isArray(project.sources)) throw new InputError(`${call}: the project's sources must be an array (${what}), got ${kind(project.sources)}`);
  if (typeof project.locate !== 'function') throw new InputError(`${call}: the project's locate must be a function (${what}), got ${kind(project.locate)}`);
  if (project.mode !== 'patch' && project.mode !== 'resolved') throw new InputError(`${call}: the project's mode must be "patch" or "resolved" (${what}), got ${typeof project.mode === 'string' ? JSON.stringify(project.mode) : kind(project.mode)}`);
}

/** A loaded policy, as loadPolicyText, loadPolicyObject or loadBuiltinPolicy return it; a policy document is named as one. */
export function checkPolicy(call: string, policy: unknown): void {
  const what = 'a loaded policy (what loadPolicyText, loadPolicyObject or loadBuiltinPolicy returns)';
  if (isRecord(policy) && policy.data === undefined && (policy.classes !== undefined || policy.version !== undefined)) {
    throw new InputError(`${call}: the policy must be ${what}, got a policy document: pass loadPolicyObject(document)`);
  }
  if (!isRecord(policy) || !isRecord(policy.data) || typeof policy.locate !== 'function' || typeof policy.origin !== 'string' || !Array.isArray(policy.environments)) {
    throw new InputError(`${call}: the policy must be ${what}, got ${isRecord(policy) ? 'an object without its data, locate, origin and environments' : kind(policy)}`);
  }
}

/** The model planVolumes reads: an object, as a project's `model`. */
export function checkModel(call: string, model: unknown): void {
  if (!isRecord(model)) throw new InputError(`${call}: the model must be an object (a project's model, as loadProject returns it), got ${kind(model)}`);
}
