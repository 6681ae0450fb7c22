/**
 * `compose-voldriver init`: write a class on every volume that has none, or (`--policy`) a starter policy for the
 * stack beside it.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { initStack, PLATFORMS, starterPolicy, type InitResult } from '../index.js';
import { formatFindings, formatSummary } from '../report/findings.js';
import { schemaText } from '../schema/validate.js';
import { recordingReader, stackOptions, type StackFlags } from './inputs.js';
import { EXIT, exitFor, styleFor, type CommandResult } from './shared.js';

interface InitFlags {
  file: string[];
  rules?: string;
  envFile: string[];
  inPlace?: boolean;
  check?: boolean;
  policy?: string | true;
  platform: string[];
  force?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const list = (value: string, previous: string[]) => [...new Set([...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)])];

export function initCommand(io: IO, done: CommandResult): Command {
  return new Command('init')
    .description('write a class (x-voldriver) on every volume that has none, or with --policy a starter voldriver.yml')
    .option('-f, --file <path>', 'the compose file (default: compose.yaml, compose.yml, docker-compose.yml or docker-compose.yaml, here or in the nearest parent directory holding one)', collect, [])
    .option('--rules <path|builtin:NAME>', 'policy whose rules and classes decide (default: voldriver.yml beside the compose file, else the built-in rules)')
    .option('--env-file <path>', 'variables for interpolation instead of .env in the project directory; repeatable, "-" reads standard input', collect, [])
    .option('-i, --in-place', 'rewrite the compose file instead of printing it')
    .option('--check', 'write nothing; exit 1 if a volume has no class yet')
    .option('--policy [path]', `write a starter policy instead: dev plus one environment per --platform (default path: voldriver.yml beside the compose file; "-" prints it)`)
    .option('--platform <names>', `with --policy: environments to add, comma-separated: ${PLATFORMS.join(', ')}`, list, [])
    .option('--force', 'with --policy: overwrite an existing policy file')
    .addHelpText(
      'after',
      `
Examples:
  $ compose-voldriver init -f compose.yml                 # prints the file with the classes written
  $ compose-voldriver init -f compose.yml -i              # writes them into compose.yml
  $ compose-voldriver init -f compose.yml --check         # in CI: fails while a volume has no class
  $ compose-voldriver init -f compose.yml --policy --platform aws,nfs
  $ compose-voldriver render -f compose.yml --env aws --set zone=eu-west-1a`,
    )
    .action((flags: InitFlags) => {
      if (flags.file.length > 1) throw new InputError('init edits one compose file at a time; run it once per file that declares volumes');
      if (flags.inPlace && flags.check) throw new InputError('use either --in-place or --check, not both');
      if (flags.inPlace && flags.file[0] === '-') throw new InputError('--in-place needs a file, not standard input');
      if (flags.policy === undefined && (flags.platform.length > 0 || flags.force)) {
        throw new InputError(`${flags.platform.length > 0 ? '--platform' : '--force'} goes with --policy (init --policy --platform aws,nfs)`);
      }
      if (flags.policy !== undefined && (flags.inPlace || flags.check)) {
        throw new InputError('init --policy writes the policy file only; run init -i (or --check) on its own');
      }
      if (typeof flags.policy === 'string' && flags.policy.startsWith('builtin:')) {
        // render's --policy takes a built-in policy; init's names the file it writes.
        const platform = flags.policy.slice('builtin:'.length);
        throw new InputError(
          `init --policy names the policy file to write; ${flags.policy} is how render names a built-in policy`,
          undefined,
          `to classify by its rules, pass --rules ${flags.policy}; to write a starter policy with its environment, --policy --platform ${PLATFORMS.includes(platform) ? platform : PLATFORMS.join(',')}`,
        );
      }
      // The starter is made from the built-in policies: a policy file it may replace has no say in it.
      const rules = flags.rules ?? (flags.policy !== undefined ? 'builtin:default' : undefined);
      const stack: StackFlags = { file: flags.file, policy: rules, set: [], envFile: flags.envFile, profile: [], target: 'compose' };
      // Every file the run reads but the rules, by absolute path: the starter must not be written over one of them.
      const { reader, read } = recordingReader(io);
      const rulesPath = rules !== undefined && !rules.startsWith('builtin:') ? resolve(io.cwd, rules) : undefined;
      const result = initStack({ ...stackOptions(stack, io, '--rules'), reader });
      if (rulesPath !== undefined) read.delete(rulesPath);
      if (flags.policy !== undefined) return done(writeStarter(io, result, flags, read));
      return done(writeClasses(io, result, flags));
    });
}

function writeClasses(io: IO, result: InitResult, flags: InitFlags): number {
  const style = styleFor(io, 'stderr');
  io.stderr(formatFindings(result.findings, 'text', style));
  if (result.findings.some((finding) => finding.severity === 'error')) {
    // An input Compose refuses: nothing is written, and --check does not pass it.
    io.stderr(`${formatSummary(result.findings, style)}; nothing written\n`);
    return exitFor(result.findings);
  }
  const written = result.choices.filter((choice) => choice.written);
  const failed = result.findings.length > 0 ? EXIT.findings : EXIT.ok;
  if (flags.check) {
    if (result.choices.length === 0) return EXIT.ok;
    io.stderr(`${result.file}: ${count(result.choices.length, 'volume')} without a class (${result.choices.map((c) => c.volume).join(', ')}); compose-voldriver init -i writes them\n`);
    return EXIT.findings;
  }
  if (written.length === 0) {
    if (result.choices.length === 0) io.stderr(`${result.file}: every volume has a class, a driver of its own, or is external\n`);
  } else {
    const width = Math.max(...written.map((choice) => choice.volume.length));
    const widest = Math.max(...written.map((choice) => choice.class.length));
    io.stderr(
      `${result.file}: ${count(written.length, 'class', 'classes')} written (${result.ownRules ? `rules of ${result.policy}` : `built-in rules, classes of ${result.policy}`}):\n` +
        written.map((choice) => `  ${choice.volume.padEnd(width)}  ${choice.class.padEnd(widest)}  ${style.dim(choice.because)}\n`).join(''),
    );
  }
  if (flags.inPlace) {
    if (result.changed) io.writeFileAtomic(result.file, result.output);
  } else {
    io.stdout(result.output);
  }
  return failed;
}

function writeStarter(io: IO, result: InitResult, flags: InitFlags, read: ReadonlySet<string>): number {
  const target = flags.policy === true ? join(result.file === '-' ? '.' : dirname(result.file), 'voldriver.yml') : flags.policy!;
  if (target !== '-' && read.has(resolve(io.cwd, target))) {
    // --force is for an old policy file, never for the compose file or the variables the run reads.
    throw new InputError(`--policy ${target} would write the starter policy over a file this run reads`, undefined, 'name another file, or --policy - to print it');
  }
  const starter = starterPolicy({
    classes: result.classes,
    platforms: flags.platform,
    stack: result.file === '-' ? 'compose.yml' : basename(result.file),
    schema: './voldriver.schema.json',
  });
  if (target === '-') {
    io.stdout(starter.text);
    return EXIT.ok;
  }
  if (io.exists(target) && !flags.force) {
    throw new InputError(`${target} exists; pass --force to overwrite it`, undefined, 'or --policy PATH to write it elsewhere, --policy - to print it');
  }
  io.writeFileAtomic(target, starter.text);
  const environments = ['dev', ...flags.platform];
  io.stderr(`wrote ${target}: environments ${environments.join(', ')}; classes ${result.classes.join(', ') || 'durable'}\n`);
  const needs = Object.entries(starter.needs).filter(([, names]) => names.length > 0);
  if (needs.length > 0) {
    io.stderr(`  site values to set (under environments: in the file): ${needs.map(([env, names]) => `${env}: ${names.join(', ')}`).join('; ')}\n`);
  }
  const sets = [...new Set(needs.flatMap(([, names]) => names))].map((name) => ` --set ${name}=...`).join('');
  io.stderr(`  check every environment: compose-voldriver validate -f ${result.file} --all-environments${sets}\n`);
  const schema = join(dirname(target), 'voldriver.schema.json');
  const schemaJson = schemaText('policy');
  if (!io.exists(schema) || flags.force) {
    io.writeFileAtomic(schema, schemaJson);
    io.stderr(`wrote ${schema}: the policy's JSON Schema, for editors\n`);
  }
  return EXIT.ok;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
