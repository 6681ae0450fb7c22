/** What counts as a credential in volume options: shared by the check that reports it and the redaction. */

/** Option keys that hold a credential. */
export const SECRET_KEY = /(?:^|[-_.])(?:pass|passwd|pwd)$|password|passphrase|secret|token|api[-_]?key|access[-_]?key|private[-_]?key/i;

/**
 * Credentials inside mount-option strings (`o`, `cifsopts`...): `password=...` and the like, and the CIFS
 * `user=name%password` form. The value is the last group.
 */
export const INLINE_SECRETS: readonly RegExp[] = [
  /\b([a-z_]*password|passwd|pass|pwd|passphrase|secret|secret_key|token|api[-_]?key|access[-_]?key)=([^,]*)/gi,
  /\b(user(?:name)?=[^,%]*%)([^,]*)/gi,
];

/** The credential values inside a mount-option string. */
export function inlineSecrets(value: string): string[] {
  const found: string[] = [];
  for (const pattern of INLINE_SECRETS) for (const match of value.matchAll(pattern)) if (match[2]) found.push(match[2]);
  return found;
}
