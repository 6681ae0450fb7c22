import type { Finding } from '../findings.js';
import type { IO } from '../io.js';
import { dirname, join } from 'node:path';
import { findingRules, VERSION } from '../index.js';
import { colors, plain, type Style } from '../report/findings.js';
import { formatSarif, type SarifEntry } from '../report/sarif.js';

/** 0 ok; 1 findings or a --check difference; 2 unusable input or a usage error. */
export const EXIT = { ok: 0, findings: 1, input: 2 } as const;

export type CommandResult = (code: number) => void;

/** Findings that mean the input itself is unusable, like a YAML error or a file the schema refuses: exit code 2, not 1. */
const INPUT_CODES = new Set(['unknown-class', 'invalid-x-voldriver', 'schema']);

export function exitFor(findings: readonly Finding[], strict = false): number {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.some((f) => INPUT_CODES.has(f.code))) return EXIT.input;
  if (errors.length > 0 || (strict && findings.some((f) => f.severity === 'warning'))) return EXIT.findings;
  return EXIT.ok;
}

/** The style for io's streams, decided when something is first styled: asking whether stdout is a terminal opens it. */
export function styleFor(io: IO): Style {
  let chosen: Style | undefined;
  const pick = () => (chosen ??= io.color ? colors : plain);
  return {
    red: (text) => pick().red(text),
    yellow: (text) => pick().yellow(text),
    cyan: (text) => pick().cyan(text),
    dim: (text) => pick().dim(text),
    bold: (text) => pick().bold(text),
    green: (text) => pick().green(text),
  };
}

/** The repository a run belongs to: GITHUB_WORKSPACE in a workflow, else the nearest folder holding .git, else cwd. */
export function repositoryRoot(io: IO): string {
  const workspace = io.env.GITHUB_WORKSPACE;
  if (workspace && (io.cwd === workspace || io.cwd.startsWith(workspace.endsWith('/') ? workspace : `${workspace}/`))) return workspace;
  for (let dir = io.cwd; ; dir = dirname(dir)) {
    if (io.exists(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return io.cwd;
  }
}

/** Findings of one stack as a SARIF 2.1.0 log, locations relative to the repository. */
export function sarifText(io: IO, entry: SarifEntry): string {
  return sarifLogText(io, [entry]);
}

/** One SARIF log with a run per entry (per environment). */
export function sarifLogText(io: IO, entries: readonly SarifEntry[]): string {
  return formatSarif(entries, { version: VERSION, rules: findingRules, root: repositoryRoot(io), cwd: io.cwd });
}
