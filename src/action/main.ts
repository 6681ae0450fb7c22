/**
 * The GitHub Action's entry (bundled into dist-action/index.cjs): read the inputs, check every stack in every
 * environment in this process, then write annotations, outputs, the job summary and the SARIF file.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { findingRules, formatLocation, InputError, VERSION } from '../index.js';
import { systemReason } from '../node-errors.js';
import { formatFinding, plain } from '../report/findings.js';
import { printable, printableJsonText, printableLine } from '../report/printable.js';
import { CODE_SCANNING_MAX_RESULTS, inRepository, sarifLog, type SarifEntry } from '../report/sarif.js';
import { annotationsOf, capAnnotations, workspacePath } from './annotations.js';
import { fitOutputs, leftOutMessage } from './outputs.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { countFindings, runAction, volumesJson, type RunReport } from './run.js';
import { statPath } from './stat.js';
import { countsText, summaryOf } from './summary.js';
import { inputWording } from './wording.js';
import { writeAtomic } from './write.js';

function fails(inputs: ActionInputs, counts: ReturnType<typeof countFindings>): boolean {
  if (inputs.failOn === 'never') return false;
  return counts.error > 0 || (inputs.failOn === 'warning' && counts.warning > 0);
}

/**
 * A line of the log. Folder, file and driver names come from the repository: an escape sequence, a carriage
 * return or a bidirectional override in one is written as an escape (`\x1b`), so it cannot restyle, hide or
 * reorder the log around it, and a line break cannot start a line of its own.
 */
const say = (text: string) => core.info(printableLine(text));

/**
 * The log of every stack and finding. Names and messages come from the files checked: a folder, volume or message
 * holding a line break and `::error::` would be read by the runner as a workflow command, so the runner is told to
 * read none until the log is done.
 */
function log(report: RunReport): void {
  const token = randomUUID();
  core.info(`::stop-commands::${token}`);
  for (const check of report.checks) {
    const where = `${check.stack.name}${check.environment === undefined ? '' : ` [${check.environment}]`}`;
    say(`${where}: ${check.result ? `${check.result.plans.length} volume(s), ` : ''}${countsText(check.findings)}${check.written ? `, written to ${check.written}` : ''}`);
    for (const finding of check.findings) core.info(`  ${formatFinding(finding, plain).replace(/\n/g, '\n  ')}`);
  }
  core.info(`::${token}::`);
}

/** Code scanning refuses a SARIF file of more runs than this. */
const CODE_SCANNING_MAX_RUNS = 20;

function writeSarif(path: string, report: RunReport, inputs: ActionInputs, cwd: string, workspace: string): void {
  const entries: SarifEntry[] = report.checks.map((check) => ({
    environment: check.environment,
    stack: report.checks.some((c) => c.stack.name !== check.stack.name) ? check.stack.name : undefined,
    findings: check.findings,
    file: check.inputName ?? check.stack.files[0] ?? check.stack.found,
  }));
  // Code scanning closes an alert only when a later analysis of its category leaves it out. Under `environment:
  // all`, a stack that has no environment this time (its policy unreadable) puts its error in the run without one:
  // that run is then always written, empty when it has nothing, so the alert closes once the stack is fixed. With
  // environments named, no finding goes there, and an empty run would close the alerts another job reports there.
  if (inputs.environments[0] === 'all' && !entries.some((entry) => entry.environment === undefined)) entries.push({ findings: [] });
  const runs = new Set(entries.map((entry) => entry.environment)).size;
  if (runs > CODE_SCANNING_MAX_RUNS) {
    throw new InputError(
      `input sarif: ${runs} runs (one per environment${inputs.environments[0] === 'all' ? ', and one without' : ''}), more than the ${CODE_SCANNING_MAX_RUNS} code scanning takes in one file: nothing was written`,
      undefined,
      'check fewer environments in a step (a matrix over environment, each with its own sarif file)',
    );
  }
  const sarif = sarifLog(entries, { version: VERSION, rules: findingRules, root: workspace, cwd, maxResults: CODE_SCANNING_MAX_RESULTS });
  // Escaped as the log is: code scanning shows messages as they are, bidirectional overrides included.
  writeAtomic('sarif', path, printableJsonText(JSON.stringify(sarif, null, 2)) + '\n');
  say(`SARIF written to ${path}`);
  for (const run of sarif.runs) {
    const leftOut = run.properties?.resultsLeftOut;
    if (leftOut) core.info(`SARIF: ${leftOut} least severe result(s) of ${run.automationDetails.id} left out: code scanning refuses a run of more than ${CODE_SCANNING_MAX_RESULTS}. All are in the log above.`);
  }
}

async function run(): Promise<void> {
  const inputs = readInputs((name) => core.getInput(name));
  const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const cwd = resolve(workspace, inputs.workingDirectory);
  // A folder that is not there would let compose file discovery climb to a parent and check another stack.
  const folder = statPath(cwd);
  if (!folder.stats?.isDirectory()) {
    throw new InputError(`input working-directory: "${inputs.workingDirectory}" is not a folder of the workspace (${cwd})${folder.reason ? `: ${folder.reason}` : ''}`);
  }
  const report = runAction(inputs, { cwd, workspace, tempDir: process.env.RUNNER_TEMP || tmpdir(), step: process.env.GITHUB_ACTION, variables: process.env });
  const counts = countFindings(report);
  const failed = fails(inputs, counts);

  log(report);
  // Before the annotations: a SARIF path that cannot be written is then the step's one error annotation, not an 11th.
  if (inputs.sarif) writeSarif(resolve(cwd, inputs.sarif), report, inputs, cwd, workspace);
  const written = report.checks.flatMap((check) => (check.written ? [check.written] : []));
  // Smallest first: the counts and `changed` are always set; a list or JSON too large for GitHub is left out whole.
  const outputs = fitOutputs([
    { name: 'findings', value: JSON.stringify(counts) },
    { name: 'changed', value: String(report.checks.some((check) => check.result?.changed)) },
    { name: 'rendered-file', value: written.join('\n') },
    { name: 'volumes', value: JSON.stringify(volumesJson(report)) },
  ]);
  // Before the findings' annotations, and counted among the runner's ten warnings.
  for (const output of outputs.leftOut) core.warning(leftOutMessage(output), { title: 'output-too-large' });
  const { shown, dropped } = capAnnotations(annotationsOf(report, cwd, workspace), { warning: outputs.leftOut.length });
  for (const annotation of shown) {
    // The runner shows the message and title in the log and on the pull request: escaped as the log is. The file
    // is a path of the workspace, escaped alike, as formatGithub does, so that it cannot restyle the log either.
    const properties = { title: printableLine(annotation.code), file: annotation.file === undefined ? undefined : printableLine(annotation.file), startLine: annotation.line, startColumn: annotation.col };
    const message = printable(annotation.message);
    if (annotation.severity === 'error') core.error(message, properties);
    else if (annotation.severity === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  }
  const unannotated = dropped.error + dropped.warning + dropped.info;
  const summary = process.env.GITHUB_STEP_SUMMARY
    ? summaryOf(report, { failOn: inputs.failOn, failed, unannotated, sarif: inputs.sarif !== undefined, shownPath: (file) => (inRepository(file) ? (workspacePath(file, cwd, workspace) ?? file) : file) })
    : undefined;
  if (unannotated > 0) {
    const places = ['the log above', ...(summary?.everyFinding ? ['the job summary'] : []), ...(inputs.sarif ? ['the SARIF file'] : [])];
    core.info(`${unannotated} more finding(s) (${dropped.error} error(s), ${dropped.warning} warning(s), ${dropped.info} info) have no annotation: the runner shows 10 per severity. All are in ${places.length > 2 ? `${places.slice(0, -1).join(', ')} and ${places[places.length - 1]}` : places.join(' and ')}.`);
  }

  try {
    for (const { name, value } of outputs.kept) core.setOutput(name, value);
  } catch (error) {
    // The runner's file for outputs is missing or cannot be written (a runner set up by hand): said in one line.
    throw new InputError(`cannot set the step's outputs in GITHUB_OUTPUT (${process.env.GITHUB_OUTPUT ?? ''}): ${(error as Error).message}`);
  }

  if (summary) {
    try {
      await core.summary.addRaw(summary.text).write();
    } catch (error) {
      // GitHub itself leaves a step's status alone when its summary cannot be kept: a warning, not a failed check.
      core.warning(printable(`job summary not written: ${(error as Error).message}`), { title: 'summary-not-written' });
    }
  }

  if (failed) {
    // Not setFailed: its own error annotation would take one of the runner's ten from a finding.
    core.info(`Failing: ${countsText(report.checks.flatMap((c) => c.findings))} (fail-on: ${inputs.failOn}).`);
    process.exitCode = 1;
  }
}

run().catch((error: unknown) => {
  if (error instanceof InputError) {
    const where = formatLocation(error.location);
    core.setFailed(printable(`${where ? `${where}: ` : ''}${inputWording(error.message)}${error.hint ? `\nhint: ${inputWording(error.hint)}` : ''}`));
    return;
  }
  // A file operation the checks before it did not foresee refused: what the system said, not the bundle's stack.
  const system = error as NodeJS.ErrnoException;
  if (system instanceof Error && typeof system.syscall === 'string' && typeof system.code === 'string') {
    core.setFailed(printable(`cannot ${system.syscall}${system.path ? ` ${system.path}` : ''}: ${systemReason(error)}`));
    return;
  }
  core.setFailed(printable(`internal error: ${(error as Error).stack ?? String(error)}`));
});
