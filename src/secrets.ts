/** What counts as a credential in volume options: shared by the check that reports it and the redaction. */

/** Option keys that hold a credential. */
export const SECRET_KEY = /(?:^|[-_.])(?:pass|passwd|pwd)$|password|passphrase|secret|token|api[-_]?key|access[-_]?key|private[-_]?key/i;

/**
 * The password of a URL's user information (`https://user:password@host/...`, `sftp://...`, `//user:password@host`):
 * up to the last `@` before the host, so a password holding an `@` is taken whole. Matched from the `//`, never from
 * the scheme: a scheme pattern would be tried at every word boundary of a long value (`a-a-a-...`), in time
 * quadratic in its length.
 */
export const URL_PASSWORD = /(\/\/[^\s:/@,]*:)([^\s/,]*)(?=@[^\s/@,]*(?:[/?#,\s]|$))/gi;

/**
 * Credentials inside option strings: `password=...` and the like in mount options (`o`, `cifsopts`...), the CIFS
 * `user=name%password` form, and the password of a URL. The first group is the text before the credential, kept
 * when it is hidden; the credential is the second.
 */
export const INLINE_SECRETS: readonly RegExp[] = [
  /\b((?:[a-z_]*password|passwd|pass|pwd|passphrase|secret|secret_key|token|api[-_]?key|access[-_]?key)=)([^,]*)/gi,
  // The user name holds no `=`: else each `user=` of a long value would be searched to its end for a `%`.
  /\b(user(?:name)?=[^,%=]*%)([^,]*)/gi,
  URL_PASSWORD,
];

/** The credential values inside an option string. */
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

/** The text with each credential inside it (as inlineSecrets finds them) replaced by `shown`. */
export function hideInlineSecrets(text: string, shown: string): string {
  let out = text;
  for (const pattern of INLINE_SECRETS) out = out.replace(pattern, (_, before: string) => `${before}${shown}`);
  return out;
}
