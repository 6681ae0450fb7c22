/** Credentials never reach a terminal, a CI log or a PR comment unless --show-secrets is given. */
export const REDACTED = '***';
const INLINE_SECRET = /\b(password|passwd|pass|secret|secret_key|credentials?|token)=([^,]*)/gi;

export function redactValue(key: string, value: string, secretKeys: readonly string[]): string {
  if (secretKeys.includes(key)) return REDACTED;
  return value.replace(INLINE_SECRET, (_, name: string) => `${name}=${REDACTED}`);
}

export function redactOptions(options: Record<string, string>, secretKeys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) out[key] = redactValue(key, value, secretKeys);
  return out;
}

/** Redact every secret value of the given plans wherever it appears in a text (diffs, rendered output shown in logs). */
export function redactText(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join(REDACTED);
  return out;
}

export function secretValues(options: Record<string, string>, secretKeys: readonly string[]): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (secretKeys.includes(key)) values.push(value);
    for (const match of value.matchAll(INLINE_SECRET)) if (match[2]) values.push(match[2]);
  }
  return values;
}
