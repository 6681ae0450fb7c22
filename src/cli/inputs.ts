/** Options shared by the commands that read a stack, and turning them into a project and a policy. */
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { loadProject, type ComposeProject } from '../compose/project.js';
import { BUILTIN_PREFIX, DEFAULT_POLICY, checkEnvironment, loadBuiltinPolicy, loadPolicyText } from '../policies/load.js';
import type { Policy } from '../policies/types.js';

export interface StackOptions {
  file: string[];
  policy?: string;
  env?: string;
  set: string[];
  projectName?: string;
  envFile: string[];
  profile: string[];
  resolve?: boolean;
  target: 'compose' | 'swarm';
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addStackOptions(command: Command): Command {
  return command
    .option('-f, --file <path>', 'compose file; repeat for several, "-" reads standard input (default: compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml)', collect, [])
    .option('--policy <path|builtin:NAME>', 'policy file, or a built-in policy (default: voldriver.yml beside the first compose file, else builtin:default)')
    .option('--env <name>', 'environment whose class overrides apply')
    .option('--set <key=value>', 'value for a {placeholder} in the policy; repeatable', collect, [])
    .option('-p, --project-name <name>', 'project or stack name, for engine volume names (<name>_<volume>)')
    .option('--env-file <path>', 'variables for interpolation instead of .env in the project directory; repeatable', collect, [])
    .option('--profile <name>', 'enable a Compose profile; repeatable (default: COMPOSE_PROFILES)', collect, [])
    .option('--resolve', 'write one merged, interpolated, canonical file even for a single input file')
    .addOption(new Option('--target <target>', 'what reads the output: compose (docker compose) or swarm (docker stack deploy)').choices(['compose', 'swarm']).default('compose'));
}

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export function composeFiles(options: StackOptions, io: IO): string[] {
  if (options.file.length > 0) return options.file;
  const fromEnv = io.env.COMPOSE_FILE;
  if (fromEnv) return fromEnv.split(io.env.COMPOSE_PATH_SEPARATOR || ':').filter(Boolean);
  const found = DEFAULT_FILES.find((name) => io.exists(join(io.cwd, name)));
  if (!found) throw new InputError(`no compose file given and none found in ${io.cwd} (looked for ${DEFAULT_FILES.join(', ')}); use -f FILE`);
  return [found];
}

export function parseSets(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`--set expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new InputError(`--set: "${key}" is not a valid parameter name (letters, digits, underscores)`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

export function resolvePolicy(options: StackOptions, files: string[], io: IO): Policy {
  const reference = options.policy ?? discoverPolicy(files, io);
  const policy = reference.startsWith(BUILTIN_PREFIX) ? loadBuiltinPolicy(reference) : loadPolicyText(io.readFile(reference), reference);
  checkEnvironment(policy, options.env);
  return policy;
}

function discoverPolicy(files: string[], io: IO): string {
  const first = files[0];
  if (first && first !== '-') {
    for (const name of ['voldriver.yml', 'voldriver.yaml']) {
      const candidate = join(dirname(first), name);
      if (io.exists(candidate)) return candidate;
    }
  }
  return DEFAULT_POLICY;
}

export interface LoadedInputs {
  project: ComposeProject;
  policy: Policy;
  set: Record<string, string>;
}

export function loadInputs(options: StackOptions, io: IO): LoadedInputs {
  const files = composeFiles(options, io);
  const set = parseSets(options.set);
  const project = loadProject({
    files,
    io: {
      readFile: (path) => io.readFile(path),
      stdin: () => io.readStdin(),
      exists: (path) => io.exists(path),
      isDirectory: (path) => io.isDirectory(path),
    },
    env: io.env,
    envFiles: options.envFile,
    profiles: options.profile,
    resolve: options.resolve,
    projectName: options.projectName,
    workingDir: io.cwd,
  });
  const policy = resolvePolicy(options, files, io);
  return { project, policy, set };
}
