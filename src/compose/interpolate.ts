/**
 * Variable substitution as Compose does it: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR?e}`,
 * `${VAR:+a}`, `${VAR+a}`, nested forms in the word after the operator, and `$$` for a literal `$`.
 */
import { setOwn } from '../own.js';
import { excerpt, InputError, type DocPath, type Finding } from '../findings.js';
import type { SourceFile } from './load.js';
import { expandedMessage, MAX_EXPANDED, MAX_NESTING, nestingMessage } from './limits.js';
import { locate } from './locate.js';
import { isTree, setOrigin, setOrigins } from './merge.js';

/** A variable's value, or undefined when it is not set (set-but-empty is ""). */
export type Lookup = (name: string) => string | undefined;

export class TemplateError extends Error {
  constructor(
    message: string,
    /** The variable a `:?`/`?` form required, when that is the cause. */
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A value substitution made longer than MAX_EXPANDED. */
export class ExpansionError extends TemplateError {
  constructor() {
    super(expandedMessage('the value'));
    this.name = 'ExpansionError';
  }
}

export interface InterpolateOptions {
  /** Told about each variable that is unset and has no default; Compose then substitutes "". */
  onUnset?: (name: string) => void;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Substitutes variables in one string. Throws TemplateError for a missing required variable or a malformed
 * `${...}`. Policy placeholders use this too, so they follow exactly the rules of the compose files.
 */
export function interpolateString(
  text: string,
  variables: Lookup | Readonly<Record<string, string | undefined>>,
  options: InterpolateOptions = {},
): string {
  const lookup: Lookup = typeof variables === 'function' ? variables : (name) => own(variables, name);
  return substitute(text, lookup, options.onUnset ?? (() => {}));
}

function own(record: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

function substitute(text: string, lookup: Lookup, onUnset: (name: string) => void): string {
  const limit = Math.max(text.length, MAX_EXPANDED);
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (out.length > limit) throw new ExpansionError();
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = closingBrace(text, dollar + 2);
      if (end < 0) throw new TemplateError(`invalid interpolation format in ${excerpt(text)}: "\${" is never closed`);
      out += braced(text.slice(dollar + 2, end), text, lookup, onUnset);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name) {
        out += valueOrEmpty(name, lookup, onUnset);
        i = dollar + 1 + name.length;
      } else {
        // Compose leaves a `$` that starts no variable ("$1", "a $ b") as it is.
        out += '$';
        i = dollar + 1;
      }
    }
  }
  if (out.length > limit) throw new ExpansionError();
  return out;
}

/**
 * Index of the `}` closing a `${` whose body starts at `start`; as in Compose, every inner `{` nests. Nesting
 * past MAX_NESTING is refused here, before the body is expanded level by level.
 */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  for (let j = start; j < text.length; j++) {
    if (text[j] === '{') {
      if (++depth > MAX_NESTING) throw new TemplateError(`${nestingMessage()} of "\${...}" in ${excerpt(text)}`);
    } else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function valueOrEmpty(name: string, lookup: Lookup, onUnset: (name: string) => void): string {
  const value = lookup(name);
  if (value === undefined) {
    onUnset(name);
    return '';
  }
  return value;
}

const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

function braced(body: string, whole: string, lookup: Lookup, onUnset: (name: string) => void): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new TemplateError(`invalid interpolation format in ${excerpt(whole)}: ${excerpt(`\${${body}}`)} is not a variable`);
  const rest = body.slice(name.length);
  if (rest === '') return valueOrEmpty(name, lookup, onUnset);
  const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
  if (!op) throw new TemplateError(`invalid interpolation format in ${excerpt(whole)}: unexpected ${excerpt(rest)} after ${name}`);
  // The word after the operator is only expanded when it is used, as in a shell.
  const word = () => substitute(rest.slice(op.length), lookup, onUnset);
  const value = lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? value : word();
    case '-':
      return set ? value : word();
    case ':+':
      return nonEmpty ? word() : '';
    case '+':
      return set ? word() : '';
    case ':?':
    case '?': {
      if (op === ':?' ? nonEmpty : set) return value as string;
      const reason = word();
      throw new TemplateError(`required variable ${name} is missing a value${reason ? `: ${reason}` : ''}`, name);
    }
  }
}

type Cast = (text: string) => unknown;

const toInt: Cast = (text) => {
  if (!/^[-+]?\d+$/.test(text.trim())) throw new TemplateError(`"${text}" is not an integer`);
  return Number(text.trim());
};
const toFloat: Cast = (text) => {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) throw new TemplateError(`"${text}" is not a number`);
  return n;
};
const toBool: Cast = (text) => {
  const t = text.trim().toLowerCase();
  if (['true', 'yes', 'y', 'on'].includes(t)) return true;
  if (['false', 'no', 'n', 'off'].includes(t)) return false;
  throw new TemplateError(`"${text}" is not a boolean`);
};

// Where Compose turns an interpolated string back into the type the schema wants ("*" is any key or index).
const CASTS: [string, Cast][] = [
  ['services.*.deploy.replicas', toInt],
  ['services.*.deploy.update_config.parallelism', toInt],
  ['services.*.deploy.update_config.max_failure_ratio', toFloat],
  ['services.*.deploy.rollback_config.parallelism', toInt],
  ['services.*.deploy.rollback_config.max_failure_ratio', toFloat],
  ['services.*.deploy.restart_policy.max_attempts', toInt],
  ['services.*.deploy.placement.max_replicas_per_node', toInt],
  ['services.*.healthcheck.retries', toInt],
  ['services.*.healthcheck.disable', toBool],
  ['services.*.ports.*.target', toInt],
  ['services.*.configs.*.mode', toInt],
  ['services.*.secrets.*.mode', toInt],
  ['services.*.cpus', toFloat],
  ['services.*.scale', toInt],
  ['services.*.init', toBool],
  ['services.*.privileged', toBool],
  ['services.*.read_only', toBool],
  ['services.*.stdin_open', toBool],
  ['services.*.tty', toBool],
  ['services.*.oom_kill_disable', toBool],
  ['services.*.ulimits.*', toInt],
  ['services.*.ulimits.*.hard', toInt],
  ['services.*.ulimits.*.soft', toInt],
  ['services.*.volumes.*.read_only', toBool],
  ['services.*.volumes.*.volume.nocopy', toBool],
  ['volumes.*.external', toBool],
  ['networks.*.external', toBool],
  ['networks.*.internal', toBool],
  ['networks.*.attachable', toBool],
  ['secrets.*.external', toBool],
  ['configs.*.external', toBool],
];

/**
 * An interpolated value at `path` as Compose types it (`read_only: ${RO}` is a boolean, `retries: ${N}` a number);
 * the text itself where the schema wants a string, or where the text is not of the type (the schema reports it).
 */
export function typedAt(path: DocPath, text: string): string | number | boolean {
  const cast = castFor(path);
  if (!cast || octalLookingMode(path, text)) return text;
  try {
    return cast(text) as string | number | boolean;
  } catch (error) {
    if (error instanceof TemplateError) return text;
    throw error;
  }
}

/**
 * Whether `text` is a file mode Compose would cast at `path` that starts with 0 ("0440"): octal to whoever wrote
 * it, 440 to a decimal cast. Written either way it could change a secret's permissions, so typedAt leaves it as
 * text (stack deploy then refuses it, loudly).
 */
export function octalLookingMode(path: DocPath, text: string): boolean {
  return path[path.length - 1] === 'mode' && /^\s*[-+]?0\d/.test(text) && castFor(path) !== undefined;
}

// The casts by their last step ("*" for any), each with its steps: a path is compared with the few that can match.
const CASTS_BY_LAST = new Map<string, [string[], Cast][]>();
for (const [pattern, cast] of CASTS) {
  const steps = pattern.split('.');
  const last = steps[steps.length - 1];
  CASTS_BY_LAST.set(last, [...(CASTS_BY_LAST.get(last) ?? []), [steps, cast]]);
}

function castFor(path: DocPath): Cast | undefined {
  if (path.length === 0) return undefined;
  const last = String(path[path.length - 1]);
  for (const candidates of [CASTS_BY_LAST.get(last), CASTS_BY_LAST.get('*')]) {
    for (const [steps, cast] of candidates ?? []) {
      if (steps.length === path.length && steps.every((s, i) => s === '*' || s === String(path[i]))) return cast;
    }
  }
  return undefined;
}

const MERGE_KEY = '<<';

/**
 * YAML `<<` merge keys, applied to a plain mapping: its own keys win, then each source in order. The parser
 * leaves them as ordinary keys so that locate() can follow them in the document by name.
 */
export function withMergeKeys(map: Record<string, unknown>, memo?: WeakMap<object, Record<string, unknown>>): Record<string, unknown> {
  if (!Object.prototype.hasOwnProperty.call(map, MERGE_KEY)) return map;
  const known = memo?.get(map);
  if (known) return known;
  const out: Record<string, unknown> = {};
  const add = (source: Record<string, unknown>) => {
    for (const key of Object.keys(source)) if (!Object.prototype.hasOwnProperty.call(out, key)) setOwn(out, key, source[key]);
  };
  const { [MERGE_KEY]: sources, ...own } = map;
  add(own);
  for (const source of Array.isArray(sources) ? sources : [sources]) if (isTree(source)) add(withMergeKeys(source, memo));
  memo?.set(map, out);
  return out;
}

export interface TreeInterpolation {
  src: SourceFile;
  lookup: Lookup;
  findings: Finding[];
  /** Paths of this file to leave out (`!reset` values), as JSON of the path. */
  skip?: ReadonlySet<string>;
  /**
   * Which containers record where their entries came from: all of them (the tree will be merged with others),
   * or the top one only, for a file that is the whole project: its tree keeps the file's layout, so the top
   * entries' origins plus the rest of a path lead to any value (see originAt).
   */
  origins?: 'all' | 'top';
  /** Characters substitution has added to this file so far, against MAX_FILE_GROWTH. */
  grown?: number;
  /**
   * Each mapping with `<<` merged once: an anchor that merges one that merges another (a chain of n) is read by
   * every mapping that merges it, which without this costs n^3.
   */
  merges?: WeakMap<object, Record<string, unknown>>;
}

/** What substitution may add to one file in all: each value stays within MAX_EXPANDED, but may be used many times. */
const MAX_FILE_GROWTH = 16 * MAX_EXPANDED;

/** A scalar that interpolation leaves as it is: not a string holding "$". */
function plainLeaf(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && (typeof value !== 'string' || !value.includes('$')));
}

/**
 * A fresh, interpolated copy of a file's plain value: values only, never keys. Containers remember which path
 * of `src` each of their entries came from (see TreeInterpolation.origins). Aliased content is copied, not shared.
 */
export function interpolateTree(value: unknown, ctx: TreeInterpolation, path: DocPath = []): unknown {
  // A lone file (origins on its top level only) without "$", "<<", aliases or dropped paths is already what
  // interpolation would make of it: keep it. It is the file's own fresh copy, so nothing else shares it.
  const text = ctx.src.text;
  const untouched =
    path.length === 0 && ctx.origins === 'top' && !(ctx.skip && ctx.skip.size > 0) && !text.includes('$') && !text.includes(MERGE_KEY) && !text.includes('*');
  if (untouched) {
    if (value !== null && typeof value === 'object') setOrigins(value, ctx.src, path, Array.isArray(value) ? [...value] : { ...value });
    return value;
  }
  // Most files have no !reset: skip the per-value key building then.
  const skipping = ctx.skip !== undefined && ctx.skip.size > 0;
  const skipped = skipping ? (at: DocPath) => ctx.skip!.has(JSON.stringify(at)) : () => false;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      // A value with nothing to interpolate is taken as it is; most values are.
      if (!skipping && plainLeaf(item)) {
        out.push(item);
        return;
      }
      const at = [...path, i];
      if (skipped(at)) return;
      // Dropped items shift the indexes: then each item records where it was.
      if (skipping) setOrigin(out, out.length, { src: ctx.src, path: at });
      out.push(interpolateTree(item, ctx, at));
    });
    if (!skipping && (ctx.origins !== 'top' || path.length === 0)) setOrigins(out, ctx.src, path, value);
    return out;
  }
  if (isTree(value)) {
    const out: Record<string, unknown> = {};
    const merged = withMergeKeys(value, (ctx.merges ??= new WeakMap()));
    for (const key of Object.keys(merged)) {
      const item = merged[key];
      if (!skipping && plainLeaf(item)) {
        setOwn(out, key, item);
        continue;
      }
      const at = [...path, key];
      if (skipped(at)) continue;
      setOwn(out, key, interpolateTree(merged[key], ctx, at));
    }
    if (ctx.origins !== 'top' || path.length === 0) setOrigins(out, ctx.src, path, merged);
    return out;
  }
  if (typeof value !== 'string' || !value.includes('$')) return value;
  const where = () => locate(ctx.src, path);
  let result: string;
  try {
    const seen = new Set<string>();
    result = interpolateString(value, ctx.lookup, {
      onUnset: (name) => {
        if (seen.has(name)) return;
        seen.add(name);
        ctx.findings.push({
          code: 'unset-variable',
          severity: 'warning',
          message: `the variable ${name} is not set: an empty string is used`,
          hint: `set ${name} in the environment or the .env file, or give a default: \${${name}:-value}`,
          path,
          source: 'compose',
          ...where(),
        });
      },
    });
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const name = error.variable;
    throw new InputError(
      error.message,
      where(),
      name ? `set ${name} in the environment, the .env file or an --env-file` : error instanceof ExpansionError ? undefined : 'write a literal "$" as "$$"',
    );
  }
  ctx.grown = (ctx.grown ?? 0) + Math.max(0, result.length - value.length);
  if (ctx.grown > MAX_FILE_GROWTH) {
    throw new InputError(`the values substituted into this file add up to more than ${MAX_FILE_GROWTH / 1024 / 1024} MiB`, where(), 'a long variable is used too many times');
  }
  const cast = castFor(path);
  if (!cast) return result;
  try {
    return cast(result);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new InputError(`${path.join('.')}: ${error.message} (after interpolating ${excerpt(value)})`, where());
  }
}
