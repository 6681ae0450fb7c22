/**
 * `.env` files as Compose reads them: `KEY=value` (or `KEY: value`), `export KEY=...`, `#` comments, single
 * quotes (literal), double quotes (escapes, may span lines), unquoted values (inline ` #` comment, trimmed),
 * a bare `KEY` taking its value from the environment, and interpolation of earlier variables.
 */
import { hasOwn } from '../own.js';
import { excerpt, InputError } from '../findings.js';
import { ExpansionError, interpolateString, TemplateError, type Lookup } from './interpolate.js';
import { expandedMessage } from './limits.js';

const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;

/**
 * Parses one env file. A variable used in a value is looked up in `environment` (which outranks every file),
 * then among the file's own earlier lines, then in `earlier` (the env files read before this one).
 * Errors name the file and line.
 */
export function parseDotEnv(
  text: string,
  file: string,
  environment: Lookup = () => undefined,
  earlier: Lookup = () => undefined,
): Record<string, string> {
  const vars: Record<string, string> = Object.create(null) as Record<string, string>;
  const resolve: Lookup = (name) => environment(name) ?? (hasOwn(vars, name) ? vars[name] : earlier(name));
  const src = text.replace(/\r\n?/g, '\n');
  let pos = 0;
  const lineAt = (offset: number) => src.slice(0, offset).split('\n').length;
  const fail = (message: string, offset: number): never => {
    const line = lineAt(offset);
    const col = offset - src.lastIndexOf('\n', offset - 1);
    throw new InputError(message, { file, line, col });
  };

  while (pos < src.length) {
    const lineEnd = endOfLine(src, pos);
    const line = src.slice(pos, lineEnd);
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) {
      pos = lineEnd + 1;
      continue;
    }
    let at = pos + (line.length - trimmed.length);
    const exported = /^export[ \t]+(?=\S)/.exec(trimmed);
    if (exported) at += exported[0].length;

    const keyStart = at;
    while (at < lineEnd && src[at] !== '=' && src[at] !== ':') {
      const ch = src[at];
      if (!KEY_CHAR.test(ch) && ch !== ' ' && ch !== '\t') {
        fail(`unexpected character ${excerpt(ch)} in variable name ${excerpt(src.slice(keyStart, at).trim())}`, at);
      }
      at++;
    }
    const key = src.slice(keyStart, at).trim();
    if (key === '') fail('a variable name is missing before "="', keyStart);
    if (/[ \t]/.test(key)) fail(`unexpected space in variable name ${excerpt(key)}`, keyStart);
    if (at >= lineEnd) {
      // A bare name passes the variable through from the environment, when it is set there.
      const inherited = environment(key);
      if (inherited !== undefined) vars[key] = inherited;
      pos = lineEnd + 1;
      continue;
    }
    at++;
    while (at < lineEnd && (src[at] === ' ' || src[at] === '\t')) at++;

    const quote = src[at];
    let value: string;
    let next: number;
    if (quote === "'" || quote === '"') {
      const close = closingQuote(src, at + 1, quote);
      if (close < 0) fail(`the ${quote === '"' ? 'double' : 'single'}-quoted value of ${key} is never closed`, at);
      const raw = src.slice(at + 1, close);
      value = quote === "'" ? raw : expand(unescape(raw), key, resolve, (m) => fail(m, at));
      const after = endOfLine(src, close + 1);
      const trailing = src.slice(close + 1, after).trim();
      if (trailing !== '' && !trailing.startsWith('#')) {
        fail(`unexpected text after the quoted value of ${key}`, close + 1);
      }
      next = after + 1;
    } else {
      let raw = src.slice(at, lineEnd);
      const comment = raw.search(/[ \t]#/);
      if (comment >= 0) raw = raw.slice(0, comment);
      value = expand(raw.trimEnd(), key, resolve, (m) => fail(m, at));
      next = lineEnd + 1;
    }
    vars[key] = value;
    pos = next;
  }
  return { ...vars };
}

function endOfLine(src: string, from: number): number {
  const end = src.indexOf('\n', from);
  return end < 0 ? src.length : end;
}

function closingQuote(src: string, from: number, quote: string): number {
  for (let i = from; i < src.length; i++) {
    if (quote === '"' && src[i] === '\\') i++;
    else if (src[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  // An escaped dollar stays literal through interpolation, like `$$`.
  $: '$$',
};

/** Double-quoted escapes; `\0` followed by up to three octal digits is a character code. */
function unescape(raw: string): string {
  return raw.replace(/\\(0[0-7]{0,3}|.)/gs, (match, code: string) => {
    if (code.startsWith('0')) return String.fromCharCode(parseInt(code, 8));
    return ESCAPES[code] ?? match;
  });
}

/** A value with its variables filled; an error in it names the variable, not the value (it may be a credential). */
function expand(value: string, key: string, lookup: Lookup, fail: (message: string) => never): string {
  try {
    return interpolateString(value, lookup);
  } catch (error) {
    if (error instanceof ExpansionError) fail(expandedMessage(`the value of ${key}`));
    if (error instanceof TemplateError) fail(error.variable ? error.message : `invalid interpolation format in the value of ${key}`);
    throw error;
  }
}

/**
 * The environment seen by a project: `env` (the process environment) over the values of `files`, read in
 * order, a later file winning over an earlier one. Each file may use what `env` and earlier files define.
 */
export function withEnvFiles(
  env: Readonly<Record<string, string | undefined>>,
  files: readonly string[],
  read: (file: string) => string,
): Record<string, string> {
  const fromFiles: Record<string, string> = Object.create(null) as Record<string, string>;
  const given = (name: string) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined);
  for (const file of files) {
    const values = parseDotEnv(read(file), file, given, (name) => fromFiles[name]);
    Object.assign(fromFiles, values);
  }
  const out: Record<string, string> = { ...fromFiles };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}
