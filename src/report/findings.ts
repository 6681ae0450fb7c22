/** Findings as text for people, JSON for machines, workflow commands for GitHub annotations. */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { formatLocation, type Finding } from '../findings.js';
import { printable, printableJson, printableLine } from './printable.js';

export type FindingsFormat = 'text' | 'json' | 'github';

export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  green(text: string): string;
}

const code = (n: number) => (text: string) => `\u001b[${n}m${text}\u001b[0m`;
export const colors: Style = { red: code(31), yellow: code(33), cyan: code(36), dim: code(2), bold: code(1), green: code(32) };
export const plain: Style = { red: (t) => t, yellow: (t) => t, cyan: (t) => t, dim: (t) => t, bold: (t) => t, green: (t) => t };

export function formatFinding(finding: Finding, style: Style = plain): string {
  const where = printableLine(formatLocation(finding));
  const paint = finding.severity === 'error' ? style.red : finding.severity === 'warning' ? style.yellow : style.cyan;
  const head = `${where ? where + ': ' : ''}${paint(finding.severity)} ${style.dim(finding.code)}: ${printableLine(finding.message)}`;
  return finding.hint ? `${head}\n  ${style.dim('hint:')} ${printableLine(finding.hint)}` : head;
}

export function formatSummary(findings: readonly Finding[], style: Style = plain): string {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  const parts = [`${count('error')} error(s)`, `${count('warning')} warning(s)`, `${count('info')} info`];
  return style.bold(parts.join(', '));
}

function githubEscape(text: string, property = false): string {
  let out = printable(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (property) out = out.replace(/:/g, '%3A').replace(/,/g, '%2C');
  return out;
}

/**
 * Where the files of findings are: the runner reads an annotation's relative `file` from the repository root
 * (GITHUB_WORKSPACE), not from the folder the tool ran in.
 */
export interface Places {
  /** Absolute path of the repository root. */
  root: string;
  /** Absolute directory that relative file names in findings are relative to. */
  cwd: string;
}

/** A finding's file as a path of the repository, `/`-separated; undefined for one outside it, `builtin:NAME` or standard input. */
export function repositoryPath(file: string, places: Places): string | undefined {
  if (file === '-' || file === '<stdin>' || file.startsWith('builtin:')) return undefined;
  const rel = relative(places.root, resolve(places.cwd, file));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/**
 * A workflow command for one finding. With `places`, its file is written relative to the repository root, as the
 * runner reads it; a finding in no file of the repository (a built-in policy, standard input, a file outside the
 * root) is annotated without a file, its place said in the message, rather than at a path the runner cannot find.
 */
export function formatGithub(finding: Finding, places?: Places): string {
  const command = finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'notice';
  const file = finding.file === undefined || places === undefined ? finding.file : repositoryPath(finding.file, places);
  const props = [
    file ? `file=${githubEscape(file, true)}` : '',
    file && finding.line ? `line=${finding.line}` : '',
    file && finding.col ? `col=${finding.col}` : '',
    `title=${githubEscape(`compose-voldriver ${finding.code}`, true)}`,
  ].filter(Boolean);
  const elsewhere = finding.file && !file ? ` (at ${formatLocation(finding)})` : '';
  const message = `${finding.message}${elsewhere}${finding.hint ? `\n${finding.hint}` : ''}`;
  return `::${command} ${props.join(',')}::${githubEscape(message)}`;
}

/** `places` says where the repository is, for the github format's file paths. */
export function formatFindings(findings: readonly Finding[], format: FindingsFormat, style: Style = plain, places?: Places): string {
  if (format === 'json') return printableJson(findings.map(findingJson));
  if (format === 'github') return findings.map((finding) => formatGithub(finding, places)).join('\n') + (findings.length ? '\n' : '');
  return findings.map((f) => formatFinding(f, style)).join('\n') + (findings.length ? '\n' : '');
}

export function findingJson(finding: Finding) {
  return {
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
    ...(finding.hint ? { hint: finding.hint } : {}),
    ...(finding.volume !== undefined ? { volume: finding.volume } : {}),
    ...(finding.file !== undefined ? { file: finding.file, line: finding.line, col: finding.col } : {}),
  };
}
