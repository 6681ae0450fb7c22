import type { IO } from '../io.js';
import { dirname, join } from 'node:path';
import { findingRules, VERSION } from '../index.js';
import type { Finding } from '../findings.js';
import { colors, formatFindings, plain, type FindingsFormat, type Style } from '../report/findings.js';
import { formatSarif, type SarifEntry } from '../report/sarif.js';

export { EXIT, exitFor } from '../findings.js';

export type CommandResult = (code: number) => void;

/**
 * The style for text written to one of io's streams (stdout unless said), coloured when that stream is a terminal;
 * decided when something is first styled: asking whether a stream is a terminal opens it.
 */
export function styleFor(io: IO, stream: 'stdout' | 'stderr' = 'stdout'): Style {
  let chosen: Style | undefined;
  const pick = () => (chosen ??= (stream === 'stderr' ? (io.colorErr ?? io.color) : io.color) ? colors : plain);
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

/** Findings in a format for the standard streams; in the github format, files relative to the repository root. */
export function findingsText(io: IO, findings: readonly Finding[], format: FindingsFormat, style?: Style): string {
  return formatFindings(findings, format, style, format === 'github' ? { root: repositoryRoot(io), cwd: io.cwd } : undefined);
}
