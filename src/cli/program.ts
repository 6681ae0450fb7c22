/** The commander program. main() returns an exit code and never calls process.exit, so tests can run it. */
import { Command, CommanderError } from 'commander';
import { InputError, formatLocation, inputErrorFinding } from '../findings.js';
import type { FindingsFormat } from '../report/findings.js';
import { printable, printableLine } from '../report/printable.js';
import type { IO } from '../io.js';
import { deployCommand } from './deploy.js';
import { PLUGIN_ENTRY, PLUGIN_NAME, dockerPluginCommand, pluginInvocation, pluginMetadata } from './docker-plugin.js';
import { driversCommand } from './drivers.js';
import { explainCommand } from './explain.js';
import { initCommand } from './init.js';
import { checksCommand } from './checks.js';
import { completeCommand, completionCommand, completionModel, COMPLETE, pluginCompletion } from './completion.js';
import { policyCommand } from './policy.js';
import { renderCommand } from './render.js';
import { schemaCommand } from './schema.js';
import { EXIT, findingsText, sarifText, styleFor } from './shared.js';
import { validateCommand } from './validate.js';

import { VERSION } from '../version.js';

export { VERSION };

/** The name help and usage show; as the Docker CLI plugin, `docker voldriver`. */
export const CLI_NAME = 'compose-voldriver';

/** Help and usage text under another program name: its usage lines come from the name, the examples are renamed. */
function renamed(text: string, name: string): string {
  return name === CLI_NAME ? text : text.replaceAll(`$ ${CLI_NAME} `, `$ ${name} `);
}

const COMMANDS = {
  init: initCommand,
  render: renderCommand,
  explain: explainCommand,
  validate: validateCommand,
  deploy: deployCommand,
  drivers: driversCommand,
  schema: schemaCommand,
  policy: policyCommand,
  checks: checksCommand,
  completion: completionCommand,
  'docker-plugin': dockerPluginCommand,
};

/**
 * `only` names the command the arguments run: then only that one is built (building every command's options is
 * a noticeable share of a small run). Without it, all are, for the top-level help and suggestions.
 */
export function buildProgram(io: IO, done: (code: number) => void, only?: string, name: string = CLI_NAME): Command {
  const program = new Command(name)
    .description('Give each named volume of a Compose or Swarm stack a logical class, and map classes to volume drivers per environment.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Examples:
  $ compose-voldriver init -f compose.yml -i
  $ compose-voldriver render -f compose.yml
  $ compose-voldriver explain -f stack.yml --policy builtin:aws --set zone=us-east-1a
  $ compose-voldriver validate -f stack.yml --env prod
  $ compose-voldriver schema policy
  $ compose-voldriver deploy shop -f stack.yml --dry-run

Exit codes: 0 ok, 1 findings or a --check difference, 2 unusable input or usage error, 3 deploy --wait timed out.`,
    );
  // The completion script is made from every command.
  const one = only !== undefined && only !== 'completion' && Object.hasOwn(COMMANDS, only);
  const chosen = one ? [COMMANDS[only as keyof typeof COMMANDS]] : Object.values(COMMANDS);
  if (only === COMPLETE) program.addCommand(completeCommand(io, done), { hidden: true });
  else for (const make of chosen) program.addCommand(make(io, done));
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout(renamed(text, name)),
      writeErr: (text) => io.stderr(renamed(text, name)),
      outputError: (text, write) => write(styleFor(io, 'stderr').red(printable(text))),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

export async function main(argv: string[], io: IO, name: string = CLI_NAME): Promise<number> {
  // Run as the Docker CLI plugin: answer docker's metadata query, or take docker's arguments apart.
  if (argv[0] === PLUGIN_ENTRY) {
    if (argv[1] === 'docker-cli-plugin-metadata') {
      io.stdout(pluginMetadata(VERSION));
      return EXIT.ok;
    }
    // The docker CLI asks the plugin for completions (cobra's `__complete`) as the user presses TAB: the words are a
    // command line still being typed, to be completed, never run.
    if (argv[1] === '__complete' || argv[1] === '__completeNoDesc') {
      const [plugin, ...words] = argv.slice(2);
      const current = words.pop() ?? '';
      const model = completionModel(buildProgram(io, () => {}, undefined, `docker ${PLUGIN_NAME}`));
      io.stdout(plugin === PLUGIN_NAME ? pluginCompletion(model, words, current, io, argv[1] === '__complete') : ':4\n');
      return EXIT.ok;
    }
    const plugin = pluginInvocation(argv.slice(1), io.env);
    return main(plugin.argv, { ...io, env: plugin.env }, `docker ${PLUGIN_NAME}`);
  }
  // `help NAME` of a command there is not: said as for `NAME` itself (unknown command, with a suggestion), not the overview.
  if (argv[0] === 'help' && argv[1] !== undefined && !argv[1].startsWith('-') && !Object.hasOwn(COMMANDS, argv[1])) return main(argv.slice(1), io, name);
  let code: number = EXIT.ok;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    argv[0],
    name,
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT.ok;
      return EXIT.input;
    }
    if (error instanceof InputError) {
      const format = requestedFormat(argv);
      if (format === 'sarif') {
        const finding = inputErrorFinding(error);
        // validate prints SARIF on stdout, render on stderr beside the rendered file.
        const text = sarifText(io, { findings: [finding], file: finding.file });
        if (argv[0] === 'validate') io.stdout(text);
        else io.stderr(text);
        return EXIT.input;
      }
      if (format !== 'text') {
        io.stderr(findingsText(io, [inputErrorFinding(error)], format));
        return EXIT.input;
      }
      const where = printableLine(formatLocation(error.location));
      const style = styleFor(io, 'stderr');
      io.stderr(`${where ? where + ': ' : ''}${style.red('error')}: ${printableLine(error.message)}\n${error.hint ? `  hint: ${printableLine(error.hint)}\n` : ''}`);
      return EXIT.input;
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      // The depth limits stop nesting before this; this is the last guard, in words.
      io.stderr(`${styleFor(io, 'stderr').red('error')}: the input is nested too deeply to process\n`);
      return EXIT.input;
    }
    io.stderr(`internal error: ${(error as Error).stack ?? String(error)}\nplease report this with the command and input that caused it\n`);
    return 70;
  }
}

/**
 * The findings format the arguments ask for, read from them directly: an error that stops a command before its
 * own output (a YAML or policy error) is still reported in that format, so CI sees it like any other finding.
 */
export function requestedFormat(argv: readonly string[]): FindingsFormat | 'sarif' {
  let format: string | undefined;
  for (let index = 0; index < argv.length && argv[index] !== '--'; index++) {
    const arg = argv[index];
    if (arg === '--format') format = argv[index + 1];
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
  }
  return format === 'json' || format === 'github' || format === 'sarif' ? format : 'text';
}
