/**
 * One Action run: every stack in every environment asked for, rendered by the library in this one process.
 * Files are read once through a shared reader; in render mode each clean result is written where `output` says.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, movedPathsFinding, nodeReader, policyEnvironments, renderStack, type FileReader, type Finding, type StackResult } from '../index.js';
import { inputErrorFinding } from '../findings.js';
import { readPolicy } from '../stack.js';
import { boundedDiff } from '../report/diff.js';
import { plain } from '../report/findings.js';
import { redactCompose, redactFindings, redactor, redactText, shownOptions } from '../report/redact.js';
import type { ActionInputs } from './inputs.js';
import { findStacks, type StackRef } from './stacks.js';
import { useRealPaths } from './real-paths.js';
import { statPath } from './stat.js';
import { systemReason } from '../node-errors.js';
import { forAction } from './wording.js';
import { writeAtomic } from './write.js';

/** What the Action knows of its surroundings. */
export interface RunContext {
  /** Absolute working directory (the working-directory input resolved against the workspace). */
  cwd: string;
  /** Where rendered files go when the output input is empty. */
  tempDir: string;
  /**
   * The step's name in its job (GITHUB_ACTION: its id, or `__owner_repo` with `_2`... for a second use): the
   * default output is kept apart per step, so that a second step of the job renders beside the first, not over
   * the file the first one's rendered-file names.
   */
  step?: string;
  /** Absolute path of the repository checkout: render mode writes inside it or inside tempDir only. */
  workspace: string;
  /** Variables for interpolation: the step's environment. */
  variables: Record<string, string | undefined>;
}

/** Past this many added and removed lines, a stack's diff is left out of the summary: it would take minutes to make. */
export const DIFF_MAX_EDITS = 1000;

/** One stack in one environment. */
export interface StackCheck {
  stack: StackRef;
  environment?: string;
  /** The library's result; undefined when the input could not be read at all. */
  result?: StackResult;
  /** Findings with credentials redacted; file names as the library gives them (relative to cwd). */
  findings: Finding[];
  /** The rendered file's diff against its input, credentials redacted; empty when nothing changes. */
  diff: string;
  /** The file changes in more than DIFF_MAX_EDITS lines: no diff is made. */
  diffLeftOut?: boolean;
  /** The input file the diff is against. */
  inputName?: string;
  /** Absolute path of the file written (render mode, no error). */
  written?: string;
}

export interface RunReport {
  mode: ActionInputs['mode'];
  checks: StackCheck[];
}

/** The environment names to check for one stack. */
function environmentsFor(inputs: ActionInputs, stack: StackRef, reader: FileReader, cwd: string): (string | undefined)[] {
  if (inputs.environments.length === 0) return [undefined];
  if (inputs.environments[0] !== 'all') return inputs.environments;
  const names = policyEnvironments({ files: stack.files.length ? stack.files : undefined, policy: inputs.policy, cwd, reader });
  return names.length ? names : [undefined];
}

/** Reads each file once for the whole run: stacks in several environments read the same files. */
function cachingReader(cwd: string): FileReader & { read: Map<string, unknown> } {
  const base = nodeReader(cwd);
  const texts = new Map<string, string | InputError>();
  const exists = new Map<string, boolean>();
  return {
    read: texts,
    readFile(path) {
      const key = resolve(cwd, path);
      let text = texts.get(key);
      if (text === undefined) {
        try {
          text = base.readFile(path);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          text = error;
        }
        texts.set(key, text);
      }
      if (text instanceof InputError) throw text;
      return text;
    },
    exists(path) {
      const key = resolve(cwd, path);
      let found = exists.get(key);
      if (found === undefined) exists.set(key, (found = base.exists(path)));
      return found;
    },
    present: (path) => base.present(path),
    isDirectory: (path) => base.isDirectory(path),
    readStdin: () => '',
  };
}

/**
 * What `{stack}` stands for in an output path: the stack's name without the parts that would lead elsewhere. A
 * stack outside working-directory is named `../stacks/web`: written as it is, `out/{stack}/compose.yml` would
 * be `stacks/web/compose.yml` beside out/, over a file no one asked to write. Its `..`, `.` and root parts are
 * left out (`stacks/web`, under out/); a stack that is only those (`..`) is its folder's own name.
 */
export function stackPathPart(stack: StackRef, cwd: string): string {
  const kept = stack.name.split('/').filter((part) => part !== '' && part !== '.' && part !== '..');
  return kept.length ? kept.join('/') : basename(resolve(cwd, stack.dir)) || 'stack';
}

export function outputPath(template: string, environment: string | undefined, stack: string): string {
  return template.replace(/\{env\}/g, environment ?? 'default').replace(/\{stack\}/g, stack);
}

/** Where a path leads, symbolic links of its existing part followed; what does not exist yet is kept as written. */
function realFolder(path: string): string {
  const rest: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      if (dirname(at) === at) return path;
      rest.push(basename(at));
    }
  }
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/** The longest file or folder name, in bytes, that Linux and macOS file systems take. */
const NAME_MAX = 255;

/**
 * Where render mode and the SARIF file may not go: outside the workspace and the runner's temporary folder, over a
 * file the run read, or (a rendered file) at a path with a line break.
 */
function refuseTarget(input: 'output' | 'sarif', template: string, path: string, context: RunContext, read: ReadonlySet<string>): void {
  // `rendered/` or `.` names a folder: the file would be written under the folder's own name, or not at all
  // once some files are written. Judged before anything is.
  // A file or folder name longer than file systems take (255 bytes), from a long {stack} or template: refused
  // before any folder is made for it.
  if (path.split(/[\\/]/).some((part) => Buffer.byteLength(part, 'utf8') > NAME_MAX)) throw new InputError(`input ${input}: cannot write ${path}: ${systemReason({ code: 'ENAMETOOLONG' })}`);
  const at = statPath(path);
  // A loop of symbolic links on the way: nothing can be written there.
  if (at.reason !== undefined) throw new InputError(`input ${input}: cannot write ${path}: ${at.reason}`);
  if (/(^|\/)(\.\.?)?\/*$/.test(template) || at.stats?.isDirectory()) {
    const example = input === 'sarif' ? 'reports/results.sarif' : 'rendered/{stack}/{env}.yml';
    throw new InputError(`input ${input}: "${template}" names a folder (${path}), not a file: give a file name, e.g. ${example}`);
  }
  // A folder on the way may be a symbolic link (out -> /etc, from the repository): the file goes where it leads.
  // The file's own name is not followed: a link there is replaced, not written through.
  const lands = join(realFolder(dirname(path)), basename(path));
  const within = (at: string) => (inside(context.workspace, at) || inside(context.tempDir, at)) && (inside(realFolder(context.workspace), lands) || inside(realFolder(context.tempDir), lands));
  if (!within(path)) {
    const through = lands === path ? '' : ` (through a symbolic link: ${lands})`;
    throw new InputError(`input ${input}: "${template}" would write ${path}${through}, outside the workspace (${context.workspace}) and RUNNER_TEMP (${context.tempDir})`);
  }
  if (read.has(path) || read.has(lands)) {
    throw new InputError(`input ${input}: "${template}" would write over ${lands === path ? path : `${path} (${lands})`}, a file this run reads`);
  }
  if (input === 'output' && /[\r\n]/.test(path)) {
    throw new InputError(`input output: "${template}" would write ${JSON.stringify(path)}, whose line break the rendered-file output (one path a line) cannot hold`);
  }
}

export function runAction(inputs: ActionInputs, context: RunContext): RunReport {
  const { cwd } = context;
  const stacks = findStacks(cwd, inputs.files, inputs.stacks);
  const reader = cachingReader(cwd);
  if (inputs.policy !== undefined) {
    // One policy for every stack: one that cannot be read or is not a policy leaves nothing checked, and fails the
    // step whatever fail-on says, as any unusable input does.
    try {
      readPolicy(inputs.policy, reader);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(`input policy: ${error.message}`, error.location, error.hint);
    }
  }
  const checks: StackCheck[] = [];
  for (const stack of stacks) {
    let environments: (string | undefined)[];
    try {
      environments = environmentsFor(inputs, stack, reader, cwd);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      checks.push({ stack, findings: [inputErrorFinding(error)], diff: '' });
      continue;
    }
    for (const environment of environments) checks.push(checkOne(inputs, context, reader, stack, environment));
  }
  forgiveSharedParameters(checks);
  for (const check of checks) check.findings = check.findings.map(forAction);
  useRealPaths(checks, cwd, context.workspace);
  // The SARIF file is written after the rendered files: its place is checked before any of them is written.
  // The files read, by the path they were read at and the one it leads to.
  const read = new Set([...reader.read.keys()].flatMap((file) => [file, realFolder(file)]));
  if (inputs.sarif !== undefined) refuseTarget('sarif', inputs.sarif, resolve(cwd, inputs.sarif), context, read);
  const step = context.step ? [/^\.*$/.test(context.step) ? '_' : context.step.replace(/[^A-Za-z0-9_.-]/g, '_')] : [];
  const template = inputs.output ?? join(context.tempDir, 'compose-voldriver', ...step, '{stack}', '{env}.yml');
  if (inputs.mode === 'render') {
    const several = checks.length > 1;
    if (several && !template.includes('{env}') && new Set(checks.map((c) => c.environment)).size > 1) {
      throw new InputError(`input output: "${template}" needs {env} in it: several environments are rendered`);
    }
    if (several && !template.includes('{stack}') && new Set(checks.map((c) => c.stack.name)).size > 1) {
      throw new InputError(`input output: "${template}" needs {stack} in it: several stacks are rendered`);
    }
    // A stack is written only when its findings leave the step passing: never with an error, and not with a
    // warning under fail-on: warning, as --strict writes nothing. The warning that the file's relative paths are
    // written away from its project directory is known before it is written, and counts too.
    const failing = (finding: Finding) => finding.severity === 'error' || (inputs.failOn === 'warning' && finding.severity === 'warning');
    const candidates = checks.flatMap((check) =>
      check.result && !check.findings.some(failing)
        ? [{ check, text: check.result.output, name: outputPath(template, check.environment, stackPathPart(check.stack, cwd)) }].map((write) => ({ ...write, path: resolve(cwd, write.name) }))
        : [],
    );
    for (const { check, name } of candidates) {
      const moved = movedPathsFinding(check.result!, cwd, name);
      if (moved) check.findings.push(forAction(moved));
    }
    const writes = candidates.filter(({ check }) => !check.findings.some(failing));
    // Every target is checked before any is written: a refused one leaves nothing half done.
    for (const { path } of writes) refuseTarget('output', template, path, context, read);
    // Two renders to one file (`{env}-{stack}` for prod + eu-web and prod-eu + web) would leave only the last.
    const byPath = new Map<string, StackCheck>();
    const key = (path: string) => (process.platform === 'darwin' || process.platform === 'win32' ? path.toLowerCase() : path);
    for (const { check, path } of writes) {
      const other = byPath.get(key(path));
      if (other) {
        const what = (c: StackCheck) => `${c.stack.name}${c.environment === undefined ? '' : ` [${c.environment}]`}`;
        throw new InputError(`input output: "${template}" writes ${path} for both ${what(other)} and ${what(check)}: nothing was written`, undefined, 'keep {stack} and {env} apart, e.g. rendered/{stack}/{env}.yml');
      }
      byPath.set(key(path), check);
    }
    const sarif = inputs.sarif === undefined ? undefined : resolve(cwd, inputs.sarif);
    if (sarif !== undefined && writes.some((write) => write.path === sarif)) throw new InputError(`inputs output and sarif: both would write ${sarif}`);
    for (const { check, text, path } of writes) {
      writeAtomic('output', path, text);
      check.written = path;
    }
  }
  return { mode: inputs.mode, checks };
}

const PARAMETER_FINDING = /^--set ([A-Za-z_][A-Za-z0-9_]*)[: ]/;

/** The `set` key a finding says is unused here, unless it is a typo (an error). */
function unusedKey(finding: Finding): string | undefined {
  if (finding.severity === 'error' || (finding.code !== 'unknown-parameter' && finding.code !== 'unused-parameter')) return undefined;
  return PARAMETER_FINDING.exec(finding.message)?.[1];
}

/**
 * `set` is one list for every stack and environment of the run: a key that one of them uses is no mistake in
 * the others, so their "not used" findings are dropped. A key no stack uses anywhere is still reported.
 */
function forgiveSharedParameters(checks: StackCheck[]): void {
  const unusedIn = new Map<string, number>();
  for (const check of checks) {
    for (const key of new Set(check.findings.map(unusedKey).filter((k) => k !== undefined))) unusedIn.set(key, (unusedIn.get(key) ?? 0) + 1);
  }
  const rendered = checks.filter((check) => check.result).length;
  for (const check of checks) {
    check.findings = check.findings.filter((finding) => {
      const key = unusedKey(finding);
      return key === undefined || (unusedIn.get(key) ?? 0) >= rendered;
    });
  }
}

function checkOne(inputs: ActionInputs, context: RunContext, reader: FileReader, stack: StackRef, environment: string | undefined): StackCheck {
  try {
    const result = renderStack({
      files: stack.files.length ? stack.files : undefined,
      cwd: context.cwd,
      policy: inputs.policy,
      environment,
      parameters: inputs.parameters,
      variables: context.variables,
      target: inputs.target,
      reader,
    });
    const findings = redactFindings(result.findings, result.secrets, result.plans);
    const inputName = result.inputName;
    // Credentials hidden where they stand before diffing, whatever their length, then wherever else they appear.
    const keys = result.plans.flatMap((plan) => plan.secretOptions);
    // A stack without a credential in its volume options has nothing to hide: no second reading of its YAML.
    const shown = (text: string) => (result.secrets.length ? redactCompose(text, result.secrets, keys) : text);
    const diff = result.changed ? boundedDiff(inputName ?? 'stack.yml', shown(result.input), shown(result.output), plain, DIFF_MAX_EDITS) : '';
    return { stack, environment, result, findings, diff: diff === undefined ? '' : redactText(diff, result.secrets, keys), diffLeftOut: diff === undefined, inputName };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { stack, environment, findings: [inputErrorFinding(error)], diff: '' };
  }
}

/** The `volumes` output: per environment, per stack, per volume its class, driver, options (redacted) and services. */
export function volumesJson(report: RunReport) {
  const out: Record<string, Record<string, Record<string, { class: string | null; driver: string; options: Record<string, string>; services: string[] }>>> = {};
  for (const check of report.checks) {
    if (!check.result) continue;
    const byStack = (out[check.environment ?? 'default'] ??= {});
    const volumes: (typeof byStack)[string] = (byStack[check.stack.name] = {});
    const hide = redactor(check.result.secrets);
    for (const plan of check.result.plans) {
      volumes[plan.volume] = {
        class: plan.class ?? null,
        driver: plan.driver ?? 'local',
        options: shownOptions(plan, hide),
        services: plan.services,
      };
    }
  }
  return out;
}

export function countFindings(report: RunReport): Record<'error' | 'warning' | 'info', number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const check of report.checks) for (const finding of check.findings) counts[finding.severity]++;
  return counts;
}
