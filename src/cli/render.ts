/** `compose-voldriver render`: write the stack with every classed volume mapped to its driver. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { movedPathsFinding, renderStack, type StackResult } from '../index.js';
import { unifiedDiff } from '../report/diff.js';
import { formatSummary, type FindingsFormat } from '../report/findings.js';
import { redactCompose, redactFindings } from '../report/redact.js';
import { composeFileNames } from '../stack.js';
import { addStackOptions, recordingReader, stackOptions, type StackFlags } from './inputs.js';
import { EXIT, exitFor, findingsText, sarifText, styleFor, type CommandResult } from './shared.js';

interface RenderFlags extends StackFlags {
  output?: string;
  inPlace?: boolean;
  check?: boolean;
  diff?: boolean;
  format: FindingsFormat | 'sarif';
  strict?: boolean;
  showSecrets?: boolean;
}

/**
 * -o naming a file the run reads (an included or extended file, the policy, an env file, one of several compose
 * files) would replace it with the output. The one input file may be written over as --in-place writes it: edited
 * in patch mode, and with the resolved project only when --resolve asks for it.
 */
function refuseReadOutput(flags: RenderFlags, io: IO, result: StackResult, read: ReadonlySet<string>, files: string[]): void {
  const target = resolve(io.cwd, flags.output!);
  if (!read.has(target)) return;
  const input = files.length === 1 && files[0] !== '-' ? resolve(io.cwd, files[0]) : undefined;
  if (target === input && (result.mode === 'patch' || flags.resolve)) return;
  if (target === input) {
    throw new InputError(
      `-o ${flags.output} would replace the input file with the resolved project: its include and extends would be flattened into it and its variables filled in`,
      undefined,
      'write the output to another file, or give --resolve to replace the file with it anyway',
    );
  }
  throw new InputError(`-o ${flags.output} would write over a file this run reads`, undefined, 'write the output to another file');
}

/** The one file --in-place rewrites: a run that reads several, or standard input, has no such file. */
function inPlaceFile(files: string[]): string {
  if (files.length === 1 && files[0] !== '-') return files[0];
  if (files.includes('-')) throw new InputError('--in-place needs a file, not standard input');
  throw new InputError(`--in-place rewrites one file, and this run reads ${files.length}: ${files.join(', ')}`, undefined, 'name the one to rewrite with -f, or write the merged result with --resolve -o FILE');
}

/** A path that names a device, FIFO or socket rather than a file (-o /dev/stdout). */
function isDevice(path: string): boolean {
  try {
    const stat = statSync(path);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false;
  }
}

export function renderCommand(io: IO, done: CommandResult): Command {
  const command = new Command('render')
    .description('map each volume\'s class to a driver and write the rewritten stack (stdout by default)')
    .option('-o, --output <path>', 'write the result to a file (atomically); - for standard output')
    .option('-i, --in-place', 'rewrite the input file (one input file only)')
    .option('--check', 'write nothing; exit 1 if the output would differ from the input (with -o: from that file)')
    .option('--diff', 'print a unified diff of the changes (with -o: against that file, which is still written)')
    .addOption(new Option('--format <format>', 'findings format on stderr: text, json, github (workflow commands) or sarif (SARIF 2.1.0)').choices(['text', 'json', 'github', 'sarif']).default('text'))
    .option('--strict', 'treat warnings as failures (exit 1)')
    .option('--show-secrets', 'show credential values in diffs and findings instead of ***');
  addStackOptions(command).addHelpText(
    'after',
    `
Examples:
  $ compose-voldriver render -f compose.yml
  $ compose-voldriver render -f stack.yml --policy builtin:aws --set zone=eu-west-1a -o stack.aws.yml
  $ compose-voldriver render -f stack.yml --env dev --diff
  $ compose-voldriver render -f stack.yml --check        # in CI: fails when the committed file is stale
  $ compose-voldriver render -f stack.yml -o stack.aws.yml --check   # fails when stack.aws.yml is stale
  $ compose-voldriver render -f stack.yml --format sarif -o out.yml 2> results.sarif
  $ cat stack.yml | compose-voldriver render -f - --policy voldriver.yml`,
  );
  return command.action((given: RenderFlags) => {
    let flags = given;
    if (flags.output === '') throw new InputError('--output needs a file name (got an empty one)');
    if (flags.output !== undefined && flags.inPlace) throw new InputError('use either --output or --in-place, not both');
    // `-o -` is standard output, as `-f -` is standard input (a file named "-" is `-o ./-`).
    if (flags.output === '-') flags = { ...flags, output: undefined };
    // Every file the run reads, by absolute path: -o must not write over one of them.
    const { reader, read } = recordingReader(io);
    const options = { ...stackOptions(flags, io), reader };
    // The compose files the run reads, found as docker compose finds them (COMPOSE_FILE, compose.yaml...) without
    // -f: what --in-place rewrites, and what -o may write over.
    const files = flags.inPlace || flags.output !== undefined ? composeFileNames(options, io) : [];
    const rewritten = flags.inPlace ? inPlaceFile(files) : undefined;
    const style = styleFor(io, 'stderr');
    const result = renderStack(options);
    if (rewritten !== undefined && result.mode === 'resolved' && !flags.resolve) {
      // One file named, but include or extends read others: the output is the resolved project, not this file edited.
      throw new InputError(
        `--in-place would replace ${rewritten} with the resolved project: its include and extends would be flattened into it and its variables filled in`,
        undefined,
        'write the resolved file elsewhere with -o FILE, or give --resolve to replace the file with it anyway',
      );
    }
    // A target that is not a file (-o /dev/stdout, a pipe) has no folder its reader resolves paths from.
    const device = flags.output !== undefined && isDevice(flags.output);
    if (flags.output !== undefined && !device) refuseReadOutput(flags, io, result, read, files);
    if (flags.output !== undefined && !device) {
      const moved = movedPathsFinding(result, io.cwd, flags.output);
      if (moved) result.findings.push(moved);
    }
    const secrets = flags.showSecrets ? [] : result.secrets;
    const shown = redactFindings(result.findings, secrets, result.plans);
    if (flags.format === 'sarif') io.stderr(sarifText(io, { environment: flags.env, findings: shown, file: result.inputName }));
    else io.stderr(findingsText(io, shown, flags.format, style));
    const errors = result.findings.some((f) => f.severity === 'error');
    const warnings = result.findings.some((f) => f.severity === 'warning');
    // With --strict a warning fails the run like an error: a failed run writes nothing.
    if (errors || (flags.strict && warnings)) {
      if (flags.format === 'text') io.stderr(`${formatSummary(result.findings, style)}; ${errors ? '' : '--strict: '}nothing written\n`);
      return done(exitFor(result.findings, flags.strict));
    }
    // With -o, the file the output goes to is what --check and --diff compare with: a committed render.
    // A target that is not a file (-o /dev/stdout, a pipe) holds nothing to compare with, and is never read.
    const present = flags.output !== undefined && io.exists(flags.output);
    const existing = present && !device;
    const before = flags.output === undefined ? result.input : existing && (flags.check || flags.diff) ? io.readFile(flags.output) : '';
    const changed = result.output !== before;
    const name = flags.output ?? rewritten ?? result.inputName ?? 'stack.yml';
    if (flags.diff) {
      // Credentials are hidden where they stand, before diffing: of any length, and without hiding equal text elsewhere.
      const keys = result.plans.flatMap((plan) => plan.secretOptions);
      const shownBefore = flags.showSecrets ? before : redactCompose(before, secrets, keys);
      const shownAfter = flags.showSecrets ? result.output : redactCompose(result.output, secrets, keys);
      io.stdout(unifiedDiff(name, shownBefore, shownAfter, styleFor(io)));
    }
    if (flags.check) {
      if (changed) {
        const why = flags.output === undefined || existing ? 'is not up to date: render would change it' : present ? 'is not a regular file, so it holds no render to compare with' : 'does not exist: render would write it';
        io.stderr(`${name} ${why}\n`);
      }
      return done(changed ? EXIT.findings : EXIT.ok);
    }
    if (rewritten !== undefined) {
      if (changed) io.writeFileAtomic(rewritten, result.output);
    } else if (flags.output !== undefined) {
      io.writeFileAtomic(flags.output, result.output);
    } else if (!flags.diff) {
      io.stdout(result.output);
    }
    return done(EXIT.ok);
  });
}
