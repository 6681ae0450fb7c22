/** Flags shared by the commands that read a stack, and turning them into the library's options. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError } from '../findings.js';
import { emptyRecord, setOwn } from '../own.js';
import type { IO } from '../io.js';
import { policyEnvironments, type StackOptions } from '../index.js';
import { stdinConflict } from '../stack.js';

export interface StackFlags {
  file: string[];
  policy?: string;
  /** One environment; several (and allEnvironments) for the commands that check each on its own. */
  env?: string;
  set: string[];
  projectName?: string;
  envFile: string[];
  profile: string[];
  resolve?: boolean;
  target: 'compose' | 'swarm';
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `environments: 'many'` (validate, explain): --env is repeatable and --all-environments names every environment
 * of the policy; each is checked on its own.
 */
export function addStackOptions(command: Command, { environments = 'one' }: { environments?: 'one' | 'many' } = {}): Command {
  command
    .option('-f, --file <path>', 'compose file; repeat for several, "-" reads standard input (default: compose.yaml, compose.yml, docker-compose.yml or docker-compose.yaml, here or in the nearest parent directory holding one)', collect, [])
    .option('--policy <path|builtin:NAME>', 'policy file ("-" reads standard input), or a built-in policy (default: voldriver.yml beside the first compose file, else builtin:default)');
  if (environments === 'many') {
    command
      .option('--env <name>', 'environment whose class overrides apply; repeat to check several, each on its own', collect, [])
      .option('--all-environments', "every environment of the policy, each on its own (the policy's environments: list, else those its classes override)");
  } else command.option('--env <name>', 'environment whose class overrides apply');
  return command
    .option('--set <key=value>', 'value for a {placeholder} in the policy; repeatable', collect, [])
    .option('-p, --project-name <name>', 'project or stack name, for engine volume names (<name>_<volume>)')
    .option('--env-file <path>', 'variables for interpolation instead of .env in the project directory; repeatable, "-" reads standard input', collect, [])
    .option('--profile <name>', 'enable a Compose profile; repeatable (default: COMPOSE_PROFILES)', collect, [])
    .option('--resolve', 'write one merged, interpolated, canonical file even for a single input file')
    .addOption(new Option('--target <target>', 'what reads the output: compose (docker compose) or swarm (docker stack deploy)').choices(['compose', 'swarm']).default('compose'));
}

export function parseSets(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = emptyRecord();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`--set expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new InputError(`--set: "${key}" is not a valid parameter name (letters, digits, underscores)`);
    setOwn(out, key, pair.slice(eq + 1));
  }
  return out;
}

/** An option that names a file, given as "": said so, rather than "cannot read : no such file". */
export function requireFileName(option: string, name: string | undefined): void {
  if (name === '') throw new InputError(`${option} needs a file name (got an empty one)`);
}

/**
 * The library's options for the flags: `--set` pairs become an object, the process environment the variables.
 * `policyOption` names the option the policy came from, for a message.
 */
export function stackOptions(flags: StackFlags, io: IO, policyOption = '--policy'): StackOptions {
  for (const file of flags.file) requireFileName('-f', file);
  for (const file of flags.envFile) requireFileName('--env-file', file);
  requireFileName(policyOption, flags.policy);
  // Standard input ends after one read: a second "-" would be read as an empty file.
  if (flags.file.filter((file) => file === '-').length > 1) throw new InputError('-f -: standard input can be read only once');
  // Said with the flags given (init's policy is --rules), before the library says it with its option names.
  const conflict = stdinConflict([
    ...flags.file.filter((file) => file === '-').map(() => 'the compose file (-f -)'),
    ...flags.envFile.filter((file) => file === '-').map(() => 'the env file (--env-file -)'),
    ...(flags.policy === '-' ? [`the policy (${policyOption} -)`] : []),
  ]);
  if (conflict) throw new InputError(conflict);
  return {
    files: flags.file,
    policy: flags.policy,
    environment: flags.env,
    parameters: parseSets(flags.set),
    variables: io.env,
    envFiles: flags.envFile,
    profiles: flags.profile,
    projectName: flags.projectName,
    target: flags.target,
    resolve: flags.resolve,
    cwd: io.cwd,
    reader: io,
  };
}

/** Flags of the commands that take several environments. */
export interface ManyEnvironmentFlags extends Omit<StackFlags, 'env'> {
  env: string[];
  allEnvironments?: boolean;
}

/**
 * The environments to check, in order, without repeats: those --env names, or with --all-environments every one
 * the policy knows (none for a policy without environments: one run with no environment).
 */
export function chosenEnvironments(flags: ManyEnvironmentFlags, io: IO): (string | undefined)[] {
  if (flags.allEnvironments) {
    if (flags.env.length > 0) throw new InputError('use either --env or --all-environments, not both');
    const names = policyEnvironments(stackOptions({ ...flags, env: undefined }, io));
    return names.length > 0 ? names : [undefined];
  }
  const unique = [...new Set(flags.env)];
  return unique.length > 0 ? unique : [undefined];
}

/**
 * The IO as a reader that records every file read through it, by absolute path: what a run must not write over
 * (render -o, init --policy).
 */
export function recordingReader(io: IO): { reader: IO; read: Set<string> } {
  const read = new Set<string>();
  const reader: IO = {
    ...io,
    readFile: (path: string) => {
      const text = io.readFile(path);
      read.add(resolve(io.cwd, path));
      return text;
    },
  };
  return { reader, read };
}
