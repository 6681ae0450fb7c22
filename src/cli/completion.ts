/**
 * `compose-voldriver completion bash|zsh|fish`: a completion script made from the commander program itself
 * (its commands and options, with the values some options take), so it cannot fall behind the CLI. Environment
 * names depend on the policy the command line names: the scripts ask the hidden `__complete environments` command.
 */
import { dirname, join } from 'node:path';
import { Command, type Option } from 'commander';
import type { IO } from '../io.js';
import { builtinDrivers, findingRules, loadBuiltinPolicy, loadPolicyText, PLATFORMS } from '../index.js';
import { builtinPolicies } from '../policies/presets/index.js';
import { bashScript, fishScript, zshScript, type CompletionModel, type Values } from './completion-scripts.js';
import { SCHEMA_NAMES } from './schema.js';
import { EXIT, type CommandResult } from './shared.js';

export const SHELLS = ['bash', 'zsh', 'fish'];
/** The hidden command the scripts call for environment names. */
export const COMPLETE = '__complete';
const BUILTIN_POLICIES = Object.keys(builtinPolicies).map((name) => `builtin:${name}`);

/** What an option's value completes to, by option (command:--long first, then --long). */
function optionValues(command: string, option: Option): Values {
  if (option.argChoices) return { kind: 'words', words: option.argChoices };
  const long = option.long ?? '';
  if (command === 'init' && long === '--policy') return { kind: 'files' };
  switch (long) {
    case '--policy':
    case '--rules':
      return { kind: 'policy', words: BUILTIN_POLICIES };
    case '--env':
      return { kind: 'environments' };
    case '--platform':
      return { kind: 'list', words: PLATFORMS };
    case '--file':
    case '--output':
    case '--env-file':
      return { kind: 'files' };
    default:
      return { kind: 'none' };
  }
}

/** Words a command's positional argument completes to. */
function argumentWords(command: string): string[] {
  switch (command) {
    case 'policy':
      return Object.keys(builtinPolicies);
    case 'schema':
      return SCHEMA_NAMES;
    case 'drivers':
      return builtinDrivers.map((driver) => driver.name);
    case 'checks':
      return findingRules.map((rule) => rule.code);
    case 'completion':
      return SHELLS;
    default:
      return [];
  }
}

export function completionModel(program: Command): CompletionModel {
  const commands = program.commands
    .filter((command) => !(command as unknown as { _hidden?: boolean })._hidden)
    .map((command) => ({
      name: command.name(),
      description: command.description(),
      options: [...command.options.filter((option) => !option.hidden), helpOption()].map((option) => ({
        short: option.short,
        long: option.long,
        description: option.description,
        takesValue: option.required || option.optional,
        optionalValue: option.optional,
        repeatable: Array.isArray(option.defaultValue),
        values: option.required || option.optional ? optionValues(command.name(), option) : { kind: 'none' as const },
      })),
      arguments: argumentWords(command.name()),
    }));
  return { program: program.name(), commands };
}

function helpOption(): Option {
  return { short: '-h', long: '--help', description: 'show help', required: false, optional: false, hidden: false } as Option;
}

export function completionCommand(io: IO, done: CommandResult): Command {
  return new Command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .argument('<shell>', SHELLS.join(' | '))
    .addHelpText(
      'after',
      `
Examples:
  $ compose-voldriver completion bash > ~/.local/share/bash-completion/completions/compose-voldriver
  $ compose-voldriver completion zsh > "\${fpath[1]}/_compose-voldriver"
  $ compose-voldriver completion fish > ~/.config/fish/completions/compose-voldriver.fish`,
    )
    .action(function (this: Command, shell: string) {
      const model = completionModel(this.parent!);
      if (shell === 'bash') io.stdout(bashScript(model));
      else if (shell === 'zsh') io.stdout(zshScript(model));
      else if (shell === 'fish') io.stdout(fishScript(model));
      else {
        io.stderr(`error: unknown shell "${shell}"; shells: ${SHELLS.join(', ')}\n`);
        return done(EXIT.input);
      }
      return done(EXIT.ok);
    });
}

/**
 * `__complete environments -- WORDS...`: the environments of the policy the words name (--policy, else
 * voldriver.yml beside the first -f file or in the working directory), one per line. Prints nothing on any problem:
 * a completion must not print errors into the user's command line.
 */
export function completeCommand(io: IO, done: CommandResult): Command {
  return new Command(COMPLETE)
    .argument('<what>')
    .argument('[words...]')
    .allowUnknownOption(true)
    .helpOption(false)
    .action((what: string, words: string[] = []) => {
      if (what === 'environments') {
        try {
          for (const name of environmentsFor(words, io)) io.stdout(`${name}\n`);
        } catch {
          // Nothing to offer.
        }
      }
      return done(EXIT.ok);
    });
}

/** A description on one line of the completion answer. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/** Cobra's completion directives (spf13/cobra): what the shell does besides offering the words. */
const DIRECTIVE = { files: 0, noFiles: 4 } as const;

/**
 * The answer to the Docker CLI's completion request for the plugin (`docker-voldriver __complete voldriver WORDS...
 * CURRENT`, sent as the user presses TAB after `docker voldriver`), in the cobra protocol docker relays: one
 * candidate per line (`word<TAB>description` unless `descriptions` is false), then `:DIRECTIVE`. Only the
 * completion model is read: a command line still being typed is never run.
 */
export function pluginCompletion(model: CompletionModel, words: readonly string[], current: string, io: IO, descriptions = true): string {
  const line = (word: string, description?: string) => (descriptions && description ? `${word}\t${oneLine(description)}` : word);
  const answer = (candidates: string[], directive: number) => [...candidates, `:${directive}`].join('\n') + '\n';
  const starting = (pairs: [string, string?][], prefix = '') => pairs.filter(([word]) => `${prefix}${word}`.startsWith(current)).map(([word, description]) => line(`${prefix}${word}`, description));
  const commandAt = words.findIndex((word) => !word.startsWith('-'));
  if (commandAt < 0) {
    const top: [string, string?][] = [...model.commands.map((command): [string, string] => [command.name, command.description]), ['--help', 'show help'], ['--version', 'print the version']];
    return answer(starting(top), DIRECTIVE.noFiles);
  }
  const command = model.commands.find((candidate) => candidate.name === words[commandAt]);
  if (!command) return answer([], DIRECTIVE.noFiles);
  const flag = (name: string) => command.options.find((option) => option.short === name || option.long === name);
  // The value of an option: the word before the cursor names it, or the current word is `--name=...`.
  const previous = words.length > commandAt + 1 ? flag(words[words.length - 1]) : undefined;
  const eq = current.startsWith('--') ? current.indexOf('=') : -1;
  const inline = eq > 0 ? flag(current.slice(0, eq)) : undefined;
  const option = inline?.takesValue ? inline : previous?.takesValue && !previous.optionalValue ? previous : undefined;
  if (option) {
    const prefix = inline ? current.slice(0, eq + 1) : '';
    const values = option.values;
    const offer = (list: readonly string[], at = prefix) => starting(list.map((word): [string] => [word]), at);
    if (values.kind === 'words') return answer(offer(values.words), DIRECTIVE.noFiles);
    if (values.kind === 'list') {
      const typed = current.slice(prefix.length);
      return answer(offer(values.words, `${prefix}${typed.slice(0, typed.lastIndexOf(',') + 1)}`), DIRECTIVE.noFiles);
    }
    if (values.kind === 'policy') return answer(offer(values.words), DIRECTIVE.files);
    if (values.kind === 'files') return answer([], DIRECTIVE.files);
    if (values.kind === 'environments') {
      let names: string[] = [];
      try {
        names = environmentsFor([...words], io);
      } catch {
        // Nothing to offer.
      }
      return answer(offer(names), DIRECTIVE.noFiles);
    }
    return answer([], DIRECTIVE.noFiles);
  }
  if (current.startsWith('-')) {
    const flags = command.options.flatMap((candidate) => [candidate.long, candidate.short].filter((name): name is string => name !== undefined).map((name): [string, string] => [name, candidate.description]));
    return answer(starting(flags), DIRECTIVE.noFiles);
  }
  return answer(starting(command.arguments.map((word): [string] => [word])), DIRECTIVE.noFiles);
}

function valueOf(words: string[], names: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    for (const name of names) {
      if (words[i] === name && i + 1 < words.length) return words[i + 1];
      if (name.startsWith('--') && words[i].startsWith(`${name}=`)) return words[i].slice(name.length + 1);
    }
  }
  return undefined;
}

function environmentsFor(words: string[], io: IO): string[] {
  const given = valueOf(words, ['--policy']);
  const file = valueOf(words, ['-f', '--file']);
  const at = (path: string) => (path.startsWith('/') ? path : join(io.cwd, path));
  let reference = given;
  if (reference === undefined) {
    const dir = file && file !== '-' ? dirname(file) : '.';
    reference = ['voldriver.yml', 'voldriver.yaml'].map((name) => join(dir, name)).find((path) => io.exists(at(path)));
  }
  if (reference === undefined) return [];
  const policy = reference.startsWith('builtin:') ? loadBuiltinPolicy(reference) : loadPolicyText(io.readFile(at(reference)), reference);
  return policy.environments;
}
