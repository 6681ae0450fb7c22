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

/** Prefixes of tokens that services issue (GitHub, GitLab, Slack, AWS access keys, OpenAI-style API keys). */
const TOKEN_PREFIX = /(?:^|[^A-Za-z0-9])(?:(?:gh[pousr]_|github_pat_|glpat-|xox[abprs]-)[A-Za-z0-9_-]{16,}|sk-[A-Za-z0-9]{20,}|(?:AKIA|ASIA)[A-Z0-9]{16})/;
/** A crypt(3) password hash (`$6$salt$...`, `$2y$10$...`, `$apr1$...`), as in /etc/shadow or an htpasswd file. */
const CRYPT_HASH = /\$(?:[0-9][a-z]?|apr1|y|gy|7)\$(?:[^$:\s]*\$)?[./A-Za-z0-9]{16,}/;
/**
 * A long run of base64 characters: with upper case, lower case and two digits in it, a key, token or hash, unless
 * it is a path (it starts with a slash, or a part between slashes is a lower-case word or empty).
 */
const RANDOM_RUN = /[A-Za-z0-9+/=]{20,}/g;
const randomRun = (run: string) =>
  /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9][^0-9]*[0-9]/.test(run) && !(run.includes('/') && run.split('/').some((part) => /^[a-z]*$/.test(part)));

/**
 * Whether text quoted from a file looks like a credential: a token, a password hash or a long random string. A
 * message then names its place and length, not the text: a credentials file given as a compose file or policy by
 * mistake, or a secret variable substituted into the wrong field, must not reach a CI log.
 */
export function looksLikeCredential(text: string): boolean {
  if (TOKEN_PREFIX.test(text) || CRYPT_HASH.test(text) || text.includes('-----BEGIN')) return true;
  for (const [run] of text.matchAll(RANDOM_RUN)) if (randomRun(run)) return true;
  return false;
}
