/**
 * Findings as SARIF 2.1.0, the format code scanning takes (github/codeql-action/upload-sarif). One run per
 * environment, each with its own automationDetails.id, since code scanning keeps one set of results per tool and
 * category; the stack a finding comes from is in its message and properties. Locations are relative to the
 * repository root, which the caller names.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { formatLocation, type Finding, type Severity } from '../findings.js';
import { printableJson } from './printable.js';

export interface SarifRule {
  code: string;
  severity: Severity;
  summary: string;
  /** Section of the docs that explains it, as a path relative to the repository of this tool. */
  docs?: string;
}

/** The findings of one stack in one environment. */
export interface SarifEntry {
  environment?: string;
  /** The stack's name or folder, when several are checked together. */
  stack?: string;
  findings: readonly Finding[];
  /** Where a finding without a file of its own points: the stack's first compose file. */
  file?: string;
}

export interface SarifOptions {
  version: string;
  rules: readonly SarifRule[];
  /** Absolute path of the repository root: locations are written relative to it. */
  root: string;
  /** Absolute directory that relative file names in findings are relative to. */
  cwd: string;
  /** At most this many results in a run, the most severe kept; how many were left out is in the run's properties. */
  maxResults?: number;
}

/** Code scanning refuses a SARIF file with a run of more results than this. */
export const CODE_SCANNING_MAX_RESULTS = 25_000;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The results a run keeps: all, or the most severe `max` (in their order otherwise). */
function capped<T extends { finding: Finding }>(results: T[], max: number | undefined): { kept: T[]; leftOut: number } {
  if (max === undefined || results.length <= max) return { kept: results, leftOut: 0 };
  const kept = [...results].sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity]).slice(0, max);
  return { kept, leftOut: results.length - max };
}

const TOOL = 'compose-voldriver';
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A file name as a URI reference relative to the root, or a file: URI when it lies outside the root. */
export function sarifUri(file: string, options: Pick<SarifOptions, 'root' | 'cwd'>): { uri: string; uriBaseId?: string } {
  const absolute = resolve(options.cwd, file);
  const rel = relative(options.root, absolute);
  const encode = (parts: string[]) => parts.map(encodeURIComponent).join('/');
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: `file://${encode(absolute.split(sep))}` };
  return { uri: encode(rel.split(sep)), uriBaseId: '%SRCROOT%' };
}

function ruleJson(rule: SarifRule) {
  const where = rule.docs ? `\n\nDocumented in ${rule.docs} of compose-voldriver.` : '';
  return {
    id: rule.code,
    name: rule.code.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.summary },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    help: { text: `${rule.summary}${where}`, markdown: `${rule.summary}${rule.docs ? `\n\nSee \`${rule.docs}\`.` : ''}` },
  };
}

export function sarifLog(entries: readonly SarifEntry[], options: SarifOptions) {
  const rules = [...options.rules];
  const index = new Map(rules.map((rule, i) => [rule.code, i]));
  const ruleIndex = (finding: Finding) => {
    let at = index.get(finding.code);
    if (at === undefined) {
      at = rules.push({ code: finding.code, severity: finding.severity, summary: finding.code }) - 1;
      index.set(finding.code, at);
    }
    return at;
  };
  const environments = [...new Set(entries.map((entry) => entry.environment))];
  const runs = environments.map((environment) => {
    const all = entries.filter((entry) => entry.environment === environment).flatMap((entry) => entry.findings.map((finding) => ({ finding, entry })));
    const { kept, leftOut } = capped(all, options.maxResults);
    return { environment, leftOut, results: kept.map(({ finding, entry }) => resultJson(finding, entry, ruleIndex(finding), options)) };
  });
  const ruleList = rules.map(ruleJson);
  return {
    $schema: SCHEMA,
    version: '2.1.0' as const,
    runs: runs.map(({ environment, leftOut, results }) => {
      const properties = { ...(environment === undefined ? {} : { environment }), ...(leftOut ? { resultsLeftOut: leftOut } : {}) };
      return {
        tool: { driver: { name: TOOL, version: options.version, rules: ruleList } },
        automationDetails: { id: environment === undefined ? `${TOOL}/` : `${TOOL}/${environment}/` },
        ...(Object.keys(properties).length ? { properties } : {}),
        // Columns count UTF-16 code units, as the YAML reader's positions (and editors) do: before an emoji on
        // the line, a count of code points would put the column past the value.
        columnKind: 'utf16CodeUnits' as const,
        results,
      };
    }),
  };
}

/** A built-in policy (`builtin:NAME`) is no file of the repository: its findings point at the stack's file instead. */
export function inRepository(file: string | undefined): file is string {
  return file !== undefined && !file.startsWith('builtin:') && file !== '-';
}

/** Whether a file lies inside the root, where code scanning can show it. */
function underRoot(file: string, options: Pick<SarifOptions, 'root' | 'cwd'>): boolean {
  return sarifUri(file, options).uriBaseId !== undefined;
}

/**
 * Code scanning refuses the whole file when one result has no location, and shows none outside the repository.
 * A finding in a file of the repository is located there; one in a built-in policy or a file outside the root
 * (a policy of another checkout) is located at the stack's file, its own place said in the message; only when
 * neither is in the repository is a file outside it named.
 */
function resultFile(finding: Finding, entry: SarifEntry, options: SarifOptions): { file?: string; own: boolean } {
  const candidates = [finding.file, entry.file].filter(inRepository);
  const inside = candidates.find((file) => underRoot(file, options));
  const file = inside ?? candidates[0];
  return { file, own: file !== undefined && file === finding.file };
}

function resultJson(finding: Finding, entry: SarifEntry, ruleIndex: number, options: SarifOptions) {
  const { file, own } = resultFile(finding, entry, options);
  const where = [entry.environment && `environment ${entry.environment}`, entry.stack && `stack ${entry.stack}`].filter(Boolean).join(', ');
  const elsewhere = !own && finding.file ? ` (at ${formatLocation(finding)})` : '';
  const text = `${where ? `[${where}] ` : ''}${finding.message}${elsewhere}${finding.hint ? `\nHint: ${finding.hint}` : ''}`;
  const region = own && finding.line ? { region: { startLine: finding.line, startColumn: finding.col ?? 1 } } : {};
  return {
    ruleId: finding.code,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text },
    ...(file ? { locations: [{ physicalLocation: { artifactLocation: sarifUri(file, options), ...region } }] } : {}),
    properties: {
      ...(entry.environment !== undefined ? { environment: entry.environment } : {}),
      ...(entry.stack !== undefined ? { stack: entry.stack } : {}),
      ...(finding.volume !== undefined ? { volume: finding.volume } : {}),
    },
  };
}

export function formatSarif(entries: readonly SarifEntry[], options: SarifOptions): string {
  return printableJson(sarifLog(entries, options));
}
