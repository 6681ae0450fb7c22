/** Credentials never reach a terminal, a CI log or a PR comment unless --show-secrets is given. */
import { isMap, isScalar, type Scalar } from 'yaml';
import { parseYamlDocument } from '../compose/load.js';
import { own, setOwn } from '../own.js';
import { hideInlineSecrets, INLINE_SECRETS, inlineSecrets, looksLikeCredential, SECRET_KEY } from '../secrets.js';

export const REDACTED = '***';

/** Whether an option's whole value is a credential: the catalog says so, or its key looks like one. */
function secretKey(key: string, secretKeys: readonly string[]): boolean {
  return secretKeys.includes(key) || SECRET_KEY.test(key);
}

export function redactValue(key: string, value: string, secretKeys: readonly string[]): string {
  if (secretKey(key, secretKeys)) return REDACTED;
  return hideInlineSecrets(value, REDACTED);
}

export function redactOptions(options: Record<string, string>, secretKeys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) setOwn(out, key, redactValue(key, value, secretKeys));
  return out;
}

/**
 * A credential plain enough to be other text too: shorter than 8 characters, or of one kind of character only
 * (`local`, `changeme`, `12`). Hidden only where it stands as a credential, never where equal text appears.
 */
export function plainCredential(secret: string): boolean {
  if (looksLikeCredential(secret)) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((kind) => kind.test(secret)).length;
  return secret.length < 8 || kinds < 2;
}

/**
 * A key followed by its value (`password=x`, `password: "x"`, `token "x"`, `"api_key": "x"`); the value is read
 * from a lookahead, so a word that is not a key is the next match's key. A key starts at a word's start only.
 */
const KEYED = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)(["']?)(?:[ \t]*[=:][ \t]*|[ \t]+)(?=(["']?))/g;
/** Where an unquoted value ends. */
const VALUE_END = /[\s,;)"'&]/;

/** Each place [start, end) a known credential stands as one in a text: after a credential key, a CIFS `%` or a URL's `:`. */
function credentialPlaces(text: string, known: ReadonlySet<string>, isKey: (key: string) => boolean): [number, number][] {
  const places: [number, number][] = [];
  const add = (start: number, value: string) => {
    if (known.has(value)) places.push([start, start + value.length]);
  };
  for (const match of text.matchAll(KEYED)) {
    if (!isKey(match[1])) continue;
    const quote = match[3];
    const start = match.index + match[0].length + quote.length;
    const end = quote ? text.indexOf(quote, start) : -1;
    if (quote) {
      if (end >= 0) add(start, text.slice(start, end));
      continue;
    }
    const rest = text.slice(start, start + 4096);
    const stop = rest.search(VALUE_END);
    add(start, stop < 0 ? rest : rest.slice(0, stop));
  }
  // `user=name%password` and `//user:password@host`: the patterns the options are searched with.
  for (const pattern of INLINE_SECRETS.slice(1)) {
    for (const match of text.matchAll(pattern)) {
      const stop = match[2].search(VALUE_END);
      add(match.index + match[1].length, stop < 0 ? match[2] : match[2].slice(0, stop));
    }
  }
  return places;
}

/** The text with the ranges replaced by ***, joined once (ranges that overlap an earlier one are skipped). */
function cut(text: string, places: [number, number][]): string {
  if (places.length === 0) return text;
  const pieces: string[] = [];
  let at = 0;
  for (const [start, end] of places.sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    pieces.push(text.slice(at, start), REDACTED);
    at = end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}

/** The length of the window credentials that are not plain are looked up by: each has at least as many characters. */
const WINDOW = 8;

/**
 * The places in a text where one of `forms` stands, longest first at a place; found in one pass by the form's
 * first characters, so the cost is the text's length, not its length times the number of credentials.
 */
function formMatcher(forms: readonly string[]): (text: string) => [number, number][] {
  const byStart = new Map<string, string[]>();
  for (const form of forms) {
    const start = form.slice(0, WINDOW);
    const list = byStart.get(start);
    if (list) list.push(form);
    else byStart.set(start, [form]);
  }
  for (const list of byStart.values()) list.sort((a, b) => b.length - a.length);
  return (text) => {
    const places: [number, number][] = [];
    if (byStart.size === 0) return places;
    for (let at = 0; at + WINDOW <= text.length; at++) {
      const found = byStart.get(text.slice(at, at + WINDOW))?.find((form) => text.startsWith(form, at));
      if (found === undefined) continue;
      places.push([at, at + found.length]);
      at += found.length - 1;
    }
    return places;
  };
}

/** A function hiding these credentials in texts, by redactText's rule; made once for many texts. */
export type Redactor = (text: string, secretKeys?: readonly string[]) => string;

export function redactor(secrets: Iterable<string>): Redactor {
  const known = new Set([...secrets].filter((secret) => secret !== ''));
  if (known.size === 0) return (text) => text;
  const forms = new Set<string>();
  for (const secret of known) {
    if (plainCredential(secret)) continue;
    // As it is, as written into a compose file (each $ doubled), and inside a quoted string (escaped).
    const doubled = secret.replace(/\$/g, '$$$$');
    for (const form of [JSON.stringify(doubled).slice(1, -1), JSON.stringify(secret).slice(1, -1), doubled, secret]) forms.add(form);
  }
  const elsewhere = formMatcher([...forms]);
  return (text, secretKeys = []) => {
    if (known.has(text)) return REDACTED;
    return cut(text, [...credentialPlaces(text, known, (key) => secretKey(key, secretKeys)), ...elsewhere(text)]);
  };
}

/**
 * The one rule for hiding credentials in text that is not a compose file (messages, diffs, option values, logs):
 * a credential is hidden, whatever its length, where it stands as one: the whole text, the value after a credential
 * key (`password=`, `token: "..."`, one of `secretKeys`), after the `%` of `user=name%` or in a URL's user
 * information. Text elsewhere that equals it is hidden too only when the credential is not plain (see
 * plainCredential): `password=local` leaves `driver local` as it is; `Hunter2-S3cret` is hidden wherever it is,
 * as it is, as written into a compose file (each $ doubled) and inside a quoted string (escaped). For many texts
 * with the same credentials, make a `redactor` once.
 */
export function redactText(text: string, secrets: Iterable<string>, secretKeys: readonly string[] = []): string {
  return redactor(secrets)(text, secretKeys);
}

export function secretValues(options: Record<string, string>, secretKeys: readonly string[]): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (secretKey(key, secretKeys)) values.push(value);
    values.push(...inlineSecrets(value));
  }
  return values;
}

/** The volumes' plans, as much of them as redaction reads. */
export type PlanCredentials = { volume: string; driver_opts: Record<string, string>; secretOptions: readonly string[] };

/** The credentials in the plans' options (as secretValues finds them), to hide wherever else they are repeated. */
export function planSecrets(plans: readonly PlanCredentials[]): string[] {
  return plans.flatMap((plan) => secretValues(plan.driver_opts, plan.secretOptions));
}

/**
 * A volume's options as shown: a credential key's value as ***, the credential inside a mount-option string, and
 * by redactText's rule a credential of the stack repeated in another option (`zone: "{pw}"` beside `password:
 * "{pw}"`: the whole value is one).
 */
export function shownOptions(plan: PlanCredentials, secrets: readonly string[] | Redactor): Record<string, string> {
  const hide = typeof secrets === 'function' ? secrets : redactor(secrets);
  const out = redactOptions(plan.driver_opts, plan.secretOptions);
  for (const [key, value] of Object.entries(out)) setOwn(out, key, hide(value, plan.secretOptions));
  return out;
}

/**
 * The credentials of the option a finding is placed at (`...driver_opts.KEY` of its volume): a message about that
 * option may quote its value ("ab" is not valid for passkey), so each is hidden where the message quotes it.
 */
function optionCredentials(finding: { volume?: string; path?: readonly (string | number)[] }, plans: ReadonlyMap<string, PlanCredentials>, all: ReadonlySet<string>): ReadonlySet<string> {
  const none = new Set<string>();
  const path = finding.path;
  if (!path || path.length < 2 || path[path.length - 2] !== 'driver_opts') return none;
  const key = String(path[path.length - 1]);
  const plan = finding.volume === undefined ? undefined : plans.get(finding.volume);
  // Without the plan (a caller that passes none): the option's key tells, and any credential may be its value.
  if (plan === undefined) return secretKey(key, []) ? all : none;
  const value = own(plan.driver_opts, key);
  if (value === undefined || value === '') return none;
  return new Set(secretKey(key, plan.secretOptions) ? [value] : inlineSecrets(value));
}

/** The text with each quoted `"value"` or `'value'` that is one of `values` shown as `"***"`. */
function hideQuoted(text: string, values: ReadonlySet<string>): string {
  if (values.size === 0) return text;
  return text.replace(/"([^"\n]*)"|'([^'\n]*)'/g, (whole, double: string | undefined, single: string | undefined) => {
    const inner = double ?? single ?? '';
    return values.has(inner) ? whole.replace(inner, REDACTED) : whole;
  });
}

/**
 * Findings quote values they are about: a credential must not reach a log through one. The rule of redactText,
 * plus, for a finding placed at an option holding a credential, that credential wherever the message quotes it,
 * whatever its length. `plans` (the render's) give the options and the catalog's credential keys.
 */
export function redactFindings<T extends { message: string; hint?: string; volume?: string; path?: readonly (string | number)[] }>(
  findings: readonly T[],
  secrets: readonly string[],
  plans: readonly PlanCredentials[],
): T[] {
  if (secrets.length === 0) return [...findings];
  const byVolume = new Map(plans.map((plan) => [plan.volume, plan]));
  const redact = redactor(secrets);
  const all = new Set(secrets.filter((secret) => secret !== ''));
  return findings.map((f) => {
    const keys = (f.volume !== undefined ? byVolume.get(f.volume)?.secretOptions : undefined) ?? [];
    const quoted = optionCredentials(f, byVolume, all);
    const hide = (text: string) => redact(hideQuoted(text, quoted), keys);
    return { ...f, message: hide(f.message), ...(f.hint ? { hint: hide(f.hint) } : {}) };
  });
}

/**
 * A compose text with credentials replaced where they stand, for a diff: in every volume's `driver_opts`, the value
 * of a credential key (`"***"`) and the credential inside a mount-option string (`password=***`), whatever their
 * length; in its `x-voldriver` parameters, a value that is one of `secrets` (a parameter a credential was made
 * from). Text elsewhere that happens to equal a credential is left as it is. A text that is not YAML is redacted
 * by searching for the credentials instead.
 */
export function redactCompose(text: string, secrets: readonly string[], secretKeys: readonly string[] = []): string {
  let doc;
  try {
    doc = parseYamlDocument(text);
  } catch {
    return redactText(text, secrets);
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return redactText(text, secrets);
  const known = new Set(secrets);
  const cuts: [number, number, string][] = [];
  // The value's own text with the credential replaced, so the line keeps its quoting and layout.
  const replace = (node: Scalar, whole: boolean) => {
    const range = node.range;
    if (!range) return;
    const source = text.slice(range[0], range[1]);
    const quote = source[0] === '"' || source[0] === "'" ? source[0] : '';
    const inner = quote ? source.slice(1, -1) : source;
    const shown = `${quote}${whole ? REDACTED : redactValue('', inner, [])}${quote}`;
    if (shown !== source) cuts.push([range[0], range[1], shown]);
  };
  const volumes = doc.contents.get('volumes', true);
  for (const volume of isMap(volumes) ? volumes.items : []) {
    if (!isMap(volume.value)) continue;
    const options = volume.value.get('driver_opts', true);
    for (const pair of isMap(options) ? options.items : []) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
      replace(pair.value, secretKey(String(pair.key.value), secretKeys));
    }
    const extension = volume.value.get('x-voldriver', true);
    for (const pair of isMap(extension) ? extension.items : []) {
      if (isScalar(pair.value) && known.has(String(pair.value.value))) replace(pair.value, true);
    }
  }
  // Pieces joined once: replacing cut by cut would copy the text once per credential.
  const pieces: string[] = [];
  let at = 0;
  for (const [start, end, shown] of cuts.sort((a, b) => a[0] - b[0])) {
    pieces.push(text.slice(at, start), shown);
    at = end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}
