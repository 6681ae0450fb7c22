/**
 * What deploy prints: the plan per volume, the preflight findings with their fixes, progress and the outcome. Names,
 * values and the engine's words in it go through printable / printableLine: an escape sequence or a bidirectional
 * control in an option value, a name or a task error is shown as an escape, not acted on by the terminal.
 */
import { redactOptions, redactText } from '../report/redact.js';
import { printable, printableJsonText, printableLine } from '../report/printable.js';
import type { DeployReport } from './report.js';
import type { ServiceProgress } from './wait.js';

export interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

function shownOptions(report: DeployReport, volume: string, options: Record<string, string>, showSecrets: boolean): Record<string, string> {
  if (showSecrets) return options;
  const redacted = redactOptions(options, report.secretOptions[volume] ?? []);
  for (const key of Object.keys(redacted)) redacted[key] = redactText(redacted[key], report.secrets);
  return redacted;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd());
}

export function engineLine(report: DeployReport): string {
  const engine = report.engine;
  const version = engine.version ? `Docker ${engine.version} (API ${engine.api})` : 'not reached';
  return printableLine(`engine: ${engine.host} (${engine.from}), ${version}`);
}

export function formatPlan(report: DeployReport, paint: Paint, showSecrets = false): string {
  if (report.volumes.length === 0) return `stack ${report.stack}: no named volumes mounted by its services\n`;
  const state = (name: string) => (name === 'drift' ? paint.red(name) : name === 'new' ? paint.green(name) : name);
  const rows = [['volume', 'engine name', 'driver', 'options', 'state']];
  for (const volume of report.volumes) {
    const options = Object.entries(shownOptions(report, volume.volume, volume.options, showSecrets)).map(([key, value]) => `${key}=${value}`);
    const absent = volume.elsewhere === 'confirmed' ? 'external (confirmed on other nodes)' : volume.elsewhere === 'unconfirmed' ? 'external (not on this node)' : 'external (missing)';
    const status = volume.state === 'external' ? (volume.exists ? 'external' : absent) : volume.state === 'unchecked' ? 'not checked' : volume.state;
    rows.push([volume.volume, volume.engineName, volume.state === 'external' ? '-' : volume.driver, options.join(',') || '-', status].map(printableLine));
  }
  const lines = table(rows);
  return `volumes of stack ${printableLine(report.stack)}:\n${lines.map((line, i) => `  ${i === 0 ? paint.dim(line) : line.replace(/(\S+)$/, (s) => state(s))}`).join('\n')}\n`;
}

export function formatFindings(report: DeployReport, paint: Paint, showSecrets = false): string {
  if (report.findings.length === 0) return `preflight: ${paint.green('ok')}\n`;
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const out = [`preflight: ${errors} error(s), ${warnings} warning(s)`];
  for (const finding of report.findings) {
    const label = finding.severity === 'error' ? paint.red('error') : finding.severity === 'warning' ? paint.yellow('warning') : 'info';
    const hide = (text: string) => (showSecrets ? text : redactText(text, report.secrets));
    const where = finding.file === undefined ? '' : printableLine(`${finding.file}${finding.line === undefined ? '' : `:${finding.line}:${finding.col ?? 1}`}: `);
    // A message may hold lines of its own (the drift's tables); a hint is one line.
    out.push(`${label} [${finding.code}] ${where}${printable(hide(finding.message))}`);
    if (finding.hint) out.push(`  fix: ${printableLine(hide(finding.hint))}`);
  }
  return `${out.join('\n')}\n`;
}

export function progressLine(service: ServiceProgress): string {
  return printableLine(progressText(service));
}

function progressText(service: ServiceProgress): string {
  const what = service.mode.endsWith('job') ? 'completed' : 'running';
  if (service.state === 'skipped') return `${service.name}: skipped (${service.note})`;
  if (service.state === 'failed') return `${service.name}: failed: ${service.note}`;
  const counts = `${service.done}/${service.desired} ${what}`;
  return `${service.name}: ${counts}${service.state === 'converged' ? ', done' : service.note ? ` (${service.note})` : ''}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatOutcome(report: DeployReport, paint: Paint, showSecrets = false): string {
  const hide = (text: string) => printableLine(showSecrets ? text : redactText(text, report.secrets));
  switch (report.outcome) {
    case 'refused':
      return `${paint.red('refused')}: nothing deployed\n`;
    case 'planned':
      return `dry run: nothing deployed; a deploy would go ahead\n`;
    case 'deploy-failed': {
      const finding = report.findings.find((f) => f.code === 'stack-deploy-failed');
      const what = finding ? hide(finding.message) : `docker stack deploy exited with code ${report.deployExit}`;
      return `${paint.red('failed')}: ${what}\n${finding?.hint ? `  fix: ${hide(finding.hint)}\n` : ''}`;
    }
    case 'deployed':
      return `deployed stack ${report.stack} (not waiting: --detach)\n`;
    case 'converged':
      return `${paint.green('converged')}: every service of stack ${report.stack} is running (${seconds(report.wait?.elapsedMs ?? 0)})\n`;
    case 'failed': {
      const failure = report.wait?.failure;
      return `${paint.red('failed')}: ${hide(failure?.explanation ?? 'a task failed')}\n`;
    }
    case 'interrupted': {
      const signal = report.interrupted ?? 'a signal';
      const finding = report.findings.find((f) => f.code === 'deploy-interrupted');
      if (finding) return `${hide(finding.message).replace(/^interrupted/, paint.red('interrupted'))}\n`;
      if (!report.wait) return `${paint.red('interrupted')} by ${signal}: docker stack deploy had finished, so stack ${report.stack} is deployed; its services were not waited for\n`;
      const pending = report.wait.pending;
      return (
        `${paint.red('interrupted')} by ${signal} while waiting: stack ${report.stack} is deployed and Swarm goes on with it` +
        `${pending.length > 0 ? `; not running yet:\n${pending.map((p) => `  ${hide(p)}`).join('\n')}` : ''}\n`
      );
    }
    case 'timeout':
      return `${paint.red('timed out')} after ${seconds(report.wait?.elapsedMs ?? 0)}, still waiting for:\n${(report.wait?.pending ?? []).map((p) => `  ${hide(p)}`).join('\n')}\n`;
  }
}

/** The whole report as text: engine, plan, preflight, outcome. */
export function formatReport(report: DeployReport, paint: Paint, showSecrets = false): string {
  return `${engineLine(report)}\n${formatPlan(report, paint, showSecrets)}${formatFindings(report, paint, showSecrets)}${formatOutcome(report, paint, showSecrets)}`;
}

/** The report as one JSON document, secrets hidden unless asked. */
export function reportJson(report: DeployReport, showSecrets = false): string {
  const volumes = report.volumes.map((volume) => ({
    ...volume,
    options: shownOptions(report, volume.volume, volume.options, showSecrets),
    differences: volume.differences.map((d) => ({ ...d, options: shownOptions(report, volume.volume, d.options, showSecrets) })),
  }));
  const { secretOptions: _keys, secrets: _values, ...rest } = report;
  const text = JSON.stringify({ ...rest, volumes }, null, 2);
  return `${printableJsonText(showSecrets ? text : redactText(text, report.secrets))}\n`;
}
