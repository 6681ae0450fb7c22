/** Credentials never reach a terminal, a CI log or a PR comment unless --show-secrets is given. */
import { isMap, isScalar, type Scalar } from 'yaml';
import { parseYamlDocument } from '../compose/load.js';
import { setOwn } from '../own.js';
import { hideInlineSecrets, inlineSecrets, SECRET_KEY } from '../secrets.js';

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

/** Redact every given secret value wherever it appears in a text (diffs, rendered output shown in logs). */
export function redactText(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    // As it is, as written into a compose file (each $ doubled), and inside a quoted string (escaped).
    const doubled = secret.replace(/\$/g, '$$$$');
    for (const form of new Set([JSON.stringify(doubled).slice(1, -1), JSON.stringify(secret).slice(1, -1), doubled, secret])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

export function secretValues(options: Record<string, string>, secretKeys: readonly string[]): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (secretKey(key, secretKeys)) values.push(value);
    values.push(...inlineSecrets(value));
  }
  return values;
}

/** Findings quote values they are about: a credential must not reach a log through one. */
export function redactFindings<T extends { message: string; hint?: string }>(findings: readonly T[], secrets: readonly string[]): T[] {
  if (secrets.length === 0) return [...findings];
  return findings.map((f) => ({ ...f, message: redactText(f.message, secrets), ...(f.hint ? { hint: redactText(f.hint, secrets) } : {}) }));
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
