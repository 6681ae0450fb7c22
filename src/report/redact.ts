/** Credentials never reach a terminal, a CI log or a PR comment unless --show-secrets is given. */
import { INLINE_SECRETS, inlineSecrets, SECRET_KEY } from '../secrets.js';

export const REDACTED = '***';

/** Whether an option's whole value is a credential: the catalog says so, or its key looks like one. */
function secretKey(key: string, secretKeys: readonly string[]): boolean {
  return secretKeys.includes(key) || SECRET_KEY.test(key);
}

export function redactValue(key: string, value: string, secretKeys: readonly string[]): string {
  if (secretKey(key, secretKeys)) return REDACTED;
  let out = value;
  for (const pattern of INLINE_SECRETS) out = out.replace(pattern, (_, prefix: string) => `${prefix.endsWith('%') ? prefix : `${prefix}=`}${REDACTED}`);
  return out;
}

export function redactOptions(options: Record<string, string>, secretKeys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) out[key] = redactValue(key, value, secretKeys);
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
