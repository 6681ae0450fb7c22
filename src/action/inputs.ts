/** The Action's inputs (action.yml), read and checked once: a bad value stops the step with one message. */
import { InputError } from '../index.js';
import { hasOwn, setOwn } from '../own.js';

export type FailOn = 'error' | 'warning' | 'never';

export interface ActionInputs {
  files: string[];
  stacks: string[];
  policy?: string;
  /** Environments as asked: names, or ['all']; empty for none (the policy's base classes). */
  environments: string[];
  parameters: Record<string, string>;
  target: 'compose' | 'swarm';
  mode: 'check' | 'render';
  output?: string;
  failOn: FailOn;
  sarif?: string;
  workingDirectory: string;
}

/** How an input is read: the runner passes INPUT_<NAME> (upper-cased, spaces to _, dashes kept), trimmed. */
export type InputReader = (name: string) => string;

/**
 * The lines of a list input that hold something, with their line numbers, as core.getMultilineInput reads them:
 * split at line breaks, each line trimmed, blank lines (and # comments) skipped.
 */
const numberedLines = (text: string) =>
  text
    .split(/\r?\n|\r/)
    .map((line, index) => ({ text: line.trim(), line: index + 1 }))
    .filter(({ text: line }) => line !== '' && !line.startsWith('#'));

/**
 * A switch where a name or path belongs (`sarif: true` for "write SARIF", `environment: false` for "none") means
 * a switch, not a file or environment named "true": the words core.getBooleanInput takes, in any case, and for
 * the paths a run writes (nothing else names them) also YAML 1.1's yes, no, on and off.
 */
const BOOLEAN = /^(?:true|false)$/i;
const WRITTEN_BOOLEAN = /^(?:true|false|yes|no|on|off)$/i;

/** What to write instead of a switch, per input. */
const INSTEAD: Record<string, string> = {
  files: 'compose file paths, one per line (empty: the default compose file)',
  stacks: 'glob patterns, one per line (empty: files, or the default compose file)',
  policy: 'a policy file or builtin:NAME (empty: voldriver.yml beside each stack, else builtin:default)',
  environment: 'environment names, one per line, or all (empty: no environment)',
  output: 'a path, with mode: render (empty: under RUNNER_TEMP)',
  sarif: 'a path such as results.sarif (empty: no SARIF file)',
  'working-directory': 'a folder of the workspace (empty: the workspace)',
};

function notSwitch(name: string, value: string, line?: number): void {
  if ((name === 'sarif' || name === 'output' ? WRITTEN_BOOLEAN : BOOLEAN).test(value)) throw new InputError(`input ${name}: "${value}"${line === undefined ? '' : ` (line ${line})`} reads as a switch, which ${name} is not`, undefined, `${name} takes ${INSTEAD[name]}`);
}

/** A list input's lines; a line in quotes (a block scalar keeps them) or a switch word is refused, naming its line. */
function lines(read: InputReader, name: string): string[] {
  return numberedLines(read(name)).map(({ text, line }) => {
    if (text.length >= 2 && /^(["']).*\1$/.test(text)) {
      throw new InputError(`input ${name}: line ${line} is in quotes, which a line of a list input keeps: write ${text.slice(1, -1)} without them`);
    }
    notSwitch(name, text, line);
    return text;
  });
}

/**
 * A path as the workflow wrote it: `\` separators (a path written for Windows) read as `/` on other systems,
 * where no compose file or folder name holds one.
 */
export const pathInput = (text: string) => (process.platform === 'win32' ? text : text.replace(/\\/g, '/'));

function choice<T extends string>(read: InputReader, name: string, allowed: readonly T[], fallback: T): T {
  const given = read(name).trim() || fallback;
  // Warning, RENDER: the case a workflow writes a value in does not matter.
  const value = given.toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    // `fail-on: false` or `true`, written as a switch: the input takes a word, not a boolean.
    const boolean = /^(true|false|yes|no|on|off|y|n)$/.test(value);
    throw new InputError(`input ${name}: "${given}" is not one of ${allowed.join(', ')}`, undefined, boolean ? `${name} takes one of these words, not a boolean${name === 'fail-on' ? ' (never: report only, without failing the step)' : ''}` : undefined);
  }
  return value as T;
}

/**
 * An input that takes one value (a path): a value of several lines (`policy: |` with two files, a list pasted
 * from another input) would be read as one name holding a line break, a file no one meant (`sarif` wrote one).
 */
function single(read: InputReader, name: string, what: string): string {
  // The runner trims the value's ends (core.getInput): a line break left is between two lines of text.
  const value = read(name).trim();
  if (/[\r\n]/.test(value)) throw new InputError(`input ${name}: takes one ${what}, not ${value.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '').length} lines`);
  notSwitch(name, value);
  return pathInput(value);
}

/**
 * A `set` line that is not key=value, said without quoting it: the line may hold a credential (`password: s3cr=t`
 * written as YAML), which the log and the annotation would show.
 */
function notKeyValue(entry: string, line: number): InputError {
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(entry)?.[0];
  if (name === undefined) return new InputError(`input set: line ${line} does not start with a parameter name (letters, digits, underscores; not a digit first)`);
  const next = entry.charAt(name.length);
  const what = /\s/.test(next) ? 'a space' : /^[!-/:-@[-`{-~]$/.test(next) ? `"${next}"` : 'another character';
  return new InputError(`input set: line ${line} is not key=value: ${next === '' ? `"${name}" has no "="` : `"${name}" is followed by ${what}, not "="`}`, undefined, `write ${name}=VALUE${next === '' ? '' : ' (the rest of the line is not shown: it may be a credential)'}`);
}

/** `set` lines, key=value each; `lineNumbers`, where they stand in the input, for the messages. */
export function parseParameters(entries: readonly string[], lineNumbers: readonly number[] = entries.map((_, index) => index + 1)): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, entry] of entries.entries()) {
    const eq = entry.indexOf('=');
    const key = entry.slice(0, Math.max(eq, 0)).trim();
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw notKeyValue(entry, lineNumbers[index]);
    const value = entry.slice(eq + 1).trim();
    // "zone=a nfs_server=b" (or "zone=a, nfs_server=b") on one line would give zone the value "a nfs_server=b".
    const next = /\s([A-Za-z_][A-Za-z0-9_]*)=/.exec(value);
    if (next) {
      throw new InputError(
        // The value is not quoted: it may be a credential.
        `input set: the value of ${key} holds " ${next[1]}=": give one key=value per line`,
        undefined,
        `a value that holds " ${next[1]}=" can be given as the variable VOLDRIVER_${key.toUpperCase()} in the step's env`,
      );
    }
    // `zone="eu-west-1a"`, written as in a shell or an .env file: set takes the rest of the line as it is, so the
    // quotes would reach the option (`o: addr="10.0.0.9"`), a mount that fails only on the node.
    if (value.length >= 2 && /^(["']).*\1$/s.test(value)) {
      throw new InputError(
        `input set: the value of ${key} is in quotes, which set keeps as part of it: write ${key}=VALUE without them`,
        undefined,
        `a value that must hold its quotes can be given as the variable VOLDRIVER_${key.toUpperCase()} in the step's env`,
      );
    }
    // Two lines for one key: which one was meant is not for the step to guess (the values are not quoted).
    if (hasOwn(out, key)) throw new InputError(`input set: ${key} is given on two lines: give it once`);
    setOwn(out, key, value);
  }
  return out;
}

/** A policy's environment names (policy.schema.json). */
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function readInputs(read: InputReader): ActionInputs {
  const files = lines(read, 'files').map(pathInput);
  const stacks = lines(read, 'stacks').map(pathInput);
  if (files.length > 0 && stacks.length > 0) throw new InputError('inputs files and stacks: give one or the other (files: one stack; stacks: patterns, each match its own stack)');
  // `all` in any case (ALL, All), as the choice inputs are read: a name no policy gives an environment.
  const environments = lines(read, 'environment').map((name) => (name.toLowerCase() === 'all' ? 'all' : name));
  for (const name of environments) {
    // "aws, onprem" or "aws onprem" on one line would be one environment no policy can name.
    if (!ENVIRONMENT_NAME.test(name)) throw new InputError(`input environment: "${name}" is not an environment name (letters, digits, _ . -): give one per line`);
  }
  if (environments.includes('all') && environments.length > 1) throw new InputError('input environment: "all" stands alone (it means every environment the policy names)');
  const set = numberedLines(read('set'));
  const inputs: ActionInputs = {
    files,
    stacks,
    policy: single(read, 'policy', 'policy file or builtin:NAME') || undefined,
    environments: [...new Set(environments)],
    parameters: parseParameters(set.map((entry) => entry.text), set.map((entry) => entry.line)),
    target: choice(read, 'target', ['compose', 'swarm'] as const, 'compose'),
    mode: choice(read, 'mode', ['check', 'render'] as const, 'check'),
    output: single(read, 'output', 'path') || undefined,
    failOn: choice(read, 'fail-on', ['error', 'warning', 'never'] as const, 'error'),
    sarif: single(read, 'sarif', 'path') || undefined,
    workingDirectory: single(read, 'working-directory', 'folder') || '.',
  };
  // An output with mode left at check (its default) writes nothing: a later step would deploy a file that is not
  // there, or one an earlier run left.
  if (inputs.output !== undefined && inputs.mode === 'check') {
    throw new InputError(`input output: "${inputs.output}" is given, but mode is check, which writes nothing`, undefined, 'add mode: render to write the rendered files there, or leave output out');
  }
  return inputs;
}
