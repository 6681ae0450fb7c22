/**
 * The library API: plain data in, plain data out. It never writes to stdout or stderr, never exits and reads no
 * process state; bad input throws an InputError (message, file:line:col, exit code). The CLI is built on it.
 */
import { dirname, resolve } from 'node:path';
import { asObject, relativeHostPaths, stringValues } from './compose/mounts.js';
import { hasOwn, own, setOwn } from './own.js';
import { redactFindings, secretValues } from './report/redact.js';
import { explainJson } from './report/explain.js';
import { loadStack, unreadOverrideFile } from './stack.js';
import { nodeReader as diskReader, type FileReader } from './node-reader.js';
import { checkArgument, checkDisplayOptions, checkLoadProjectOptions, checkModel, checkPlanOptions, checkPolicy, checkProject, checkStackOptions, type DisplayOptions, type StackOptions } from './stack-options.js';
import { BUILTIN_PREFIX, loadBuiltinPolicy as builtinPolicy, loadPolicyObject as policyObject, loadPolicyText as policyText } from './policies/load.js';
import { findDriver as driverNamed } from './policies/catalog/index.js';
import type { DriverSpec } from './policies/catalog/types.js';
import { exitFor as exitRule } from './findings.js';
import type { Policy } from './policies/types.js';
import { starterPolicy as starter, type Starter, type StarterOptions } from './policies/starter.js';

export { COMPOSE_FILE_NAMES, policyEnvironments } from './stack.js';
import { renderProject as render, type RenderOptions, type RenderResult } from './transform/pipeline.js';
import { planVolumes as plan, type PlanOptions, type PlanResult } from './transform/plan.js';
import { loadProject as load, type ComposeProject, type LoadProjectOptions } from './compose/project.js';
import type { PolicyDocument } from './policies/types.js';
import { declaredClass, writeClasses, type ClassChoice } from './transform/classes.js';
import { classifyingPolicy } from './policies/adoption.js';
import type { Finding, Location } from './findings.js';
import { validateModel } from './schema/validate.js';

export type { RenderResult, RenderOptions } from './transform/pipeline.js';
export type { VolumePlan } from './plan/volume-plan.js';
export type { Edit } from './transform/apply.js';
export type { ComposeProject, LoadProjectOptions } from './compose/project.js';
export type { PlanOptions, PlanResult } from './transform/plan.js';
export type { Policy, PolicyDocument } from './policies/types.js';
export { builtinDrivers } from './policies/catalog/index.js';
export type { Finding, Severity, Location } from './findings.js';
export { EXIT, InputError, formatLocation } from './findings.js';
export type { FileReader } from './node-reader.js';
export type { StackOptions, StackSource } from './stack.js';
export type { DisplayOptions } from './stack-options.js';
export { rules as findingRules, type Rule } from './checks/index.js';
export { VERSION } from './version.js';
export type { ClassChoice } from './transform/classes.js';
export { PLATFORMS } from './policies/starter.js';

/*
 * The helpers below check their arguments, for callers without a type checker: a wrong one is an InputError that
 * names the function and the argument, never a TypeError from inside nor a message about something else.
 */

/** A policy read from its text; `origin` names it in messages (a file name). */
export function loadPolicyText(text: string, origin = '<policy text>'): Policy {
  checkArgument('loadPolicyText', 'the text', text, 'string');
  checkArgument('loadPolicyText', 'the origin', origin, 'string');
  return policyText(text, origin);
}

/** A built-in policy: `builtin:aws`, or the bare name `aws`. */
export function loadBuiltinPolicy(reference: string): Policy {
  checkArgument('loadBuiltinPolicy', 'the name', reference, 'string');
  return builtinPolicy(reference.startsWith(BUILTIN_PREFIX) ? reference : `${BUILTIN_PREFIX}${reference}`);
}

/** The catalog's driver of that name (or alias), or one of `extra`, the custom drivers a policy describes. */
export function findDriver(name: string, extra?: readonly DriverSpec[]): DriverSpec | undefined {
  checkArgument('findDriver', 'the name', name, 'string');
  checkArgument('findDriver', 'the custom drivers', extra, 'array', true);
  return driverNamed(name, extra);
}

/** A policy from data (a parsed YAML or JSON document); `origin` names it in messages. */
export function loadPolicyObject(data: PolicyDocument | object, origin = '<policy object>'): Policy {
  checkArgument('loadPolicyObject', 'the policy document', data, 'object');
  checkArgument('loadPolicyObject', 'the origin', origin, 'string');
  return policyObject(data, origin);
}

/** Files on disk; relative paths are taken from `cwd` when it is given, else from the process's directory. */
export function nodeReader(cwd?: string): Required<FileReader> {
  checkArgument('nodeReader', 'cwd', cwd, 'string', true);
  return diskReader(cwd);
}

/** The compose files loaded, merged and interpolated into one project, as docker compose reads them. */
export function loadProject(options: LoadProjectOptions): ComposeProject {
  return load(checkLoadProjectOptions(options) as unknown as LoadProjectOptions);
}

/** What each named volume of a project's model becomes under a policy (`renderProject` does this first). */
export function planVolumes(model: Record<string, unknown>, policy: Policy, options: PlanOptions = {}): PlanResult {
  checkModel('planVolumes', model);
  checkPolicy('planVolumes', policy);
  return plan(model, policy, checkPlanOptions('planVolumes', options) as PlanOptions);
}

/** Plan, check and apply a loaded project under a loaded policy: renderStack's steps after loading. */
export function renderProject(project: ComposeProject, policy: Policy, options: RenderOptions = {}): RenderResult {
  checkProject('renderProject', project);
  checkPolicy('renderProject', policy);
  return render(project, policy, checkPlanOptions('renderProject', options) as RenderOptions);
}

/** The exit code for a run's findings (see EXIT). */
export function exitFor(findings: readonly Finding[], strict = false): number {
  checkArgument('exitFor', 'the findings', findings, 'array');
  checkArgument('exitFor', 'strict', strict, 'boolean');
  return exitRule(findings, strict);
}

/** The starter policy `init --policy` writes. */
export function starterPolicy(options: StarterOptions): Starter {
  checkArgument('starterPolicy', 'the options', options, 'object');
  for (const key of ['classes', 'platforms'] as const) checkArgument('starterPolicy', `option ${key}`, options[key], 'array of strings');
  for (const key of ['stack', 'schema'] as const) checkArgument('starterPolicy', `option ${key}`, options[key], 'string');
  return starter(options);
}

export interface StackResult extends RenderResult {
  /** Whether the output differs from the input it was made from. */
  changed: boolean;
  /**
   * patch: the output is the one input file, edited; resolved: one merged, interpolated file (several files,
   * include or extends, or the resolve option), which no input file is.
   */
  mode: 'patch' | 'resolved';
  /** The policy used: a path, builtin:NAME, or "<policy object>". */
  policy: string;
  /** Credential values in the input's and the output's volume options, to redact from what is shown. */
  secrets: string[];
  /** The file the output corresponds to, for diff headers. */
  inputName?: string;
  /**
   * The project directory (as given, or the first file's folder): relative paths in the output (bind mounts,
   * env_file, build) are relative to it, so whoever reads the output resolves them from there.
   */
  projectDirectory: string;
  /**
   * Where the value at a path of the merged stack is written (`file:line:col`; a path that is not written resolves
   * to its nearest written ancestor): for what is judged after render, like deploy's preflight.
   */
  locate(path: (string | number)[], prefer?: 'value' | 'key'): Location;
  /** The output's host paths that are relative to `projectDirectory` (bind mounts, env_file, build, secret and config files). */
  relativePaths: { path: (string | number)[]; value: string }[];
}

/**
 * A warning when the output is written into another folder than the project directory its relative paths are
 * relative to: `docker compose -f OUT` would read `./data` from OUT's folder, and create it there empty. `output`
 * is the path as the user wrote it, relative to `cwd`.
 */
export function movedPathsFinding(result: StackResult, cwd: string, output: string): Finding | undefined {
  checkArgument('movedPathsFinding', 'the result', result, 'object');
  checkArgument('movedPathsFinding', 'cwd', cwd, 'string');
  checkArgument('movedPathsFinding', 'the output', output, 'string');
  const from = resolve(cwd, result.projectDirectory);
  const to = dirname(resolve(cwd, output));
  if (from === to || result.relativePaths.length === 0) return undefined;
  const shown = result.relativePaths.slice(0, 3).map(({ path, value }) => `${value} (${path.join('.')})`);
  const more = result.relativePaths.length > 3 ? ` and ${result.relativePaths.length - 3} more` : '';
  return {
    code: 'relative-paths-moved',
    severity: 'warning',
    message: `${output} is written in ${to}, not in the project directory ${from} that its relative paths are relative to: ${shown.join(', ')}${more}; docker compose -f ${output} would look for them beside the output`,
    hint: `write the output in ${from}, or give its reader the project directory (docker compose --project-directory ${from} -f ${output})`,
  };
}

/**
 * Load the stack and policy the options name, then plan, check and apply. Findings with severity "error" mean
 * the output must not be used.
 */
export function renderStack(given: StackOptions = {}): StackResult {
  const options = checkStackOptions(given);
  const { project, policy, parameters } = loadStack(options);
  const result = render(project, policy, {
    env: options.environment,
    set: parameters,
    variables: project.variables,
    projectName: project.projectName,
    target: options.target,
  });
  const inputOptions = Object.values(asObject(project.model.volumes)).map((volume) => stringValues(asObject(volume).driver_opts));
  const secrets = [
    ...result.plans.flatMap((plan) => secretValues(plan.driver_opts, plan.secretOptions)),
    ...inputOptions.flatMap((options) => secretValues(options, [])),
  ];
  return { ...result, changed: result.output !== result.input, mode: project.mode, policy: policy.origin, inputName: project.sources[0]?.file, secrets, projectDirectory: project.projectDir, relativePaths: relativeHostPaths(project.model), locate: project.locate };
}

/**
 * The render's result plus what `explain --format json` prints: per volume, its class and why, the driver, its
 * options and the findings; credential values shown as *** unless `showSecrets`.
 */
export function explainStack(given: StackOptions = {}, shown: DisplayOptions = {}) {
  const options = checkStackOptions(given);
  const display = checkDisplayOptions(shown);
  const result = renderStack(options);
  const findings = redactFindings(result.findings, display.showSecrets ? [] : result.secrets, result.plans);
  return { ...result, explain: explainJson(result.plans, findings, { showSecrets: display.showSecrets, env: options.environment, policy: result.policy }) };
}

export interface InitResult {
  /** The compose file the classes are written into. */
  file: string;
  input: string;
  output: string;
  changed: boolean;
  /** Each volume that had no class: the class chosen and why, and whether it could be written. */
  choices: ClassChoice[];
  /** Every class the stack uses once the choices are written. */
  classes: string[];
  /** The policy classified by: a path or builtin:NAME. */
  policy: string;
  /** Whether its own rules and default class decided, rather than the built-in rules (it has none). */
  ownRules: boolean;
  findings: Finding[];
}

/**
 * What `init` writes: `x-voldriver: CLASS  # why` on every named volume of the (first) compose file that has no
 * class, not external and no driver of its own; the rest of the file byte for byte. Every Compose profile counts:
 * a volume shared with a service of a profile is shared.
 */
export function initStack(given: StackOptions = {}): InitResult {
  const options = checkStackOptions(given);
  const { project, policy } = loadStack({ ...options, profiles: ['*'], resolve: false });
  const classifier = classifyingPolicy(policy);
  const source = project.sources[0];
  // A file Compose refuses as written (`volumes: [data]`, `labels: x`) is reported, not classed as if it were valid.
  const invalid = validateModel('compose', project.model, project.locate, source.file);
  const result = writeClasses(source, withOverride(options, source.file, project.model), classifier);
  const declared = namedVolumeClasses(project.model);
  const classes = [...new Set([...declared, ...result.choices.map((choice) => choice.class)])];
  return {
    file: source.file,
    input: source.text,
    output: result.output,
    changed: result.output !== source.text,
    choices: result.choices,
    classes,
    policy: policy.origin,
    ownRules: classifier === policy,
    findings: [...invalid, ...result.findings.map((finding) => ({ ...finding, ...project.locate(finding.path!, 'key') }))],
  };
}

/**
 * The file's volumes as docker compose sees them with the override file it merges by default (`-f compose.yml`
 * given alone beside compose.override.yml): a volume the override gives a driver, a class or `external` keeps
 * them, and the override's services count for the rules. Init writes into the file either way.
 */
function withOverride(options: StackOptions, file: string, model: Record<string, unknown>): Record<string, unknown> {
  const override = unreadOverrideFile(options);
  if (override === undefined) return model;
  const merged = loadStack({ ...options, files: [file, override], profiles: ['*'], resolve: false }).project.model;
  const declared = asObject(model.volumes);
  const all = asObject(merged.volumes);
  const volumes: Record<string, unknown> = {};
  for (const key of Object.keys(declared)) setOwn(volumes, key, hasOwn(all, key) ? own(all, key) : own(declared, key));
  return { ...merged, volumes };
}

function namedVolumeClasses(model: Record<string, unknown>): string[] {
  return Object.values(asObject(model.volumes)).flatMap((volume) => declaredClass(asObject(volume)) ?? []);
}
