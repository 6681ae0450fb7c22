/** One problem or note about the input, with where it is. Checks fill `path`; the core fills file/line/col. */
import { hideInlineSecrets, looksLikeCredential } from './secrets.js';

export type Severity = 'error' | 'warning' | 'info';

export type DocPath = readonly (string | number)[];

export interface Location {
  file: string;
  line: number;
  col: number;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** How to fix it. */
  hint?: string;
  /** The volume the finding is about, when it is about one. */
  volume?: string;
  /** The volumes one finding about a policy line stands for (one cause, several volumes). */
  volumes?: string[];
  /** Path in the compose (or policy) document; the core turns it into a location. */
  path?: DocPath;
  /** Which document `path` points into. */
  source?: 'compose' | 'policy';
  /** Point at the key of `path` rather than its value: for a key that is itself wrong. */
  pointAt?: 'key';
  file?: string;
  line?: number;
  col?: number;
}

/** The exit codes: 0 ok; 1 findings (or a --check difference); 2 unusable input or a usage error. */
export const EXIT = { ok: 0, findings: 1, input: 2 } as const;

/** Findings that mean the input itself is unusable, like a YAML error or a file the schema refuses: exit code 2, not 1. */
const INPUT_CODES = new Set(['unknown-class', 'invalid-x-voldriver', 'schema']);

/** The one exit rule for a run's findings: unusable input 2, an error (or a warning with `strict`) 1, else 0. */
export function exitFor(findings: readonly Finding[], strict = false): number {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.some((f) => INPUT_CODES.has(f.code))) return EXIT.input;
  if (errors.length > 0 || (strict && findings.some((f) => f.severity === 'warning'))) return EXIT.findings;
  return EXIT.ok;
}

/** Unusable input or a usage error: the command stops with exit code 2 and one clear message. */
export class InputError extends Error {
  readonly exitCode = EXIT.input;
  constructor(
    message: string,
    readonly location?: Partial<Location>,
    readonly hint?: string,
    /** The code it carries in machine-readable output (--format json, github). */
    readonly code = 'invalid-input',
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** An InputError as a finding, so that --format json and github report it like any other error. */
export function inputErrorFinding(error: InputError): Finding {
  return { code: error.code, severity: 'error', message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...error.location };
}

export function formatLocation(loc: Partial<Location> | undefined): string {
  if (!loc?.file) return '';
  if (!loc.line) return loc.file;
  return `${loc.file}:${loc.line}:${loc.col ?? 1}`;
}

export const severityRank: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** What a message says in place of text that looks like a credential. */
export function withheld(text: string): string {
  return `[${text.length} characters that look like a credential, not shown]`;
}

/** A name or value from the input, quoted in a message; one that looks like a credential is not shown. */
export function quoted(text: string): string {
  return looksLikeCredential(text) ? withheld(text) : `"${text}"`;
}

/**
 * A piece of the input, quoted in a message: at most `max` characters, so an error about a file that is not what
 * it should be (a credentials file given as a .env file) never prints the file; a credential inside it
 * (`password=...`, a URL's password) is shown as `***`, since the message is printed before anything is redacted.
 */
export function excerpt(given: string, max = 32): string {
  if (looksLikeCredential(given)) return withheld(given);
  const text = hideInlineSecrets(given, '***');
  return `"${text.length > max ? `${text.slice(0, max)}..." (${text.length} characters)` : `${text}"`}`;
}
