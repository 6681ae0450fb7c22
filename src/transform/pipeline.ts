/** load -> plan -> check -> apply -> emit, tied together. Pure: no fs, no process, no console. */
import type { ComposeProject } from '../compose/project.js';
import type { Document } from 'yaml';
import { documentCopy, documentPlain, parseYamlSource, toPlain, type SourceFile } from '../compose/load.js';
import { withMergeKeys } from '../compose/interpolate.js';
import { hasOwn, own, setOwn } from '../own.js';
import { composeYamlOptions } from '../compose/project.js';
import { applyTarget, targetOutput, type TargetOutput } from '../compose/target.js';
import { applyLevels, runChecks, unknownCodes } from '../checks/index.js';
import { severityRank, type Finding } from '../findings.js';
import type { Policy } from '../policies/types.js';
import { validateModel } from '../schema/validate.js';
import { applyPlan, type Edit } from './apply.js';
import { modelAfterPlan } from './model-after.js';
import type { VolumePlan } from '../plan/volume-plan.js';
import { planVolumes, type PlanOptions } from './plan.js';
import { userWritten } from './owned.js';
import { sameShape, spliceDocument } from './splice-document.js';

export interface RenderOptions extends PlanOptions {
  target?: 'compose' | 'swarm';
}

export interface RenderResult {
  /**
   * What the output replaces: the input file as it is on disk (patch mode), or the resolved file. Diffs and
   * --check compare with it.
   */
  input: string;
  output: string;
  plans: VolumePlan[];
  findings: Finding[];
  edits: Edit[];
}

const STRINGIFY = { lineWidth: 0 } as const;

/**
 * The text the edits are made on: the input itself in patch mode, unless the target had to change the document
 * (then its re-serialised text); the resolved document otherwise.
 */
function baseSource(project: ComposeProject, step: TargetStep): SourceFile {
  const file = project.sources[0]?.file ?? '<resolved>';
  if (step.source) return step.source;
  if (project.mode === 'patch' && !step.changed) return project.sources[0];
  return parseYamlSource(step.document().toString(STRINGIFY), file, composeYamlOptions);
}

/** Plain value of a document with `<<` merge keys applied, as Compose reads it; a "__proto__" key stays a key. */
function mergedPlain(value: unknown, memo = new WeakMap<object, Record<string, unknown>>()): unknown {
  if (Array.isArray(value)) return value.map((item) => mergedPlain(item, memo));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(withMergeKeys(value as Record<string, unknown>, memo))) setOwn(out, key, mergedPlain(child, memo));
  return out;
}

export function renderProject(project: ComposeProject, policy: Policy, options: RenderOptions = {}): RenderResult {
  const target = options.target ?? 'compose';
  const { plans, findings: planFindings } = planVolumes(project.model, policy, {
    ...options,
    userWritten: userWritten(project.sources),
    offServices: project.offServices,
  });
  const ctx = { project, model: project.model, plans, policy, target, env: options.env };
  const step = targetStep(project, target);
  const base = baseSource(project, step);
  const applied = applyPlan(base, plans);
  let findings = [...project.findings, ...step.findings, ...planFindings, ...runChecks(ctx), ...unknownCodes(ctx), ...applied.findings];
  // Swarm output may differ from the input beyond the volumes (name:, profiles...): validate what is written.
  const written = target === 'swarm' ? (mergedPlain(step.plain(base.file)) as Record<string, unknown>) : project.model;
  const after = modelAfterPlan(written, plans);
  // The input as written, before render replaces anything: a `deploy: x` or `labels: 5` that render writes over is
  // still the user's error, never fixed or garbled without a word; an empty `labels:` render fills is not one. What
  // Compose itself refuses (a typo such as `DNS`) is an error for stack deploy too, not a key to drop; said once.
  const invalid = validateModel('compose', project.model, project.locate, base.file).filter((finding) => !filledByRender(finding, project.model, after));
  if (invalid.length > 0) {
    const refused = new Set(invalid.map(pathKey));
    findings = findings.filter((finding) => finding.code !== 'removed-for-stack-deploy' || !refused.has(pathKey(finding)));
    findings.push(...invalid);
  }
  const said = new Set(invalid.map((finding) => `${pathKey(finding)}\u0001${finding.message}`));
  // The compose target's output differs from the input only in the entries render replaced: the rest was checked above.
  const output = target === 'compose' ? replacedEntries(project.model, after) : after;
  for (const finding of validateModel(target, output, project.locate, base.file)) {
    if (!said.has(`${pathKey(finding)}\u0001${finding.message}`)) findings.push(finding);
  }
  findings = mergeSharedCauses(applyLevels(findings, ctx).map((finding) => locateFinding(finding, project, policy)));
  const input = project.mode === 'patch' ? project.sources[0].text : base.text;
  return { input, output: applied.text, plans, findings: sortFindings(findings), edits: applied.edits };
}

/**
 * The entries of `after` (modelAfterPlan's model) that are not the input's own: the volumes render defined and the
 * services whose placement it changed. modelAfterPlan changes nothing else and keeps every other entry as the same
 * object, and each entry of the compose schema is valid or not on its own, so checking these finds what checking
 * the whole would add.
 */
function replacedEntries(model: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  if (after === model) return after;
  const part: Record<string, unknown> = {};
  for (const key of ['volumes', 'services']) {
    const was = own(model, key) as Record<string, unknown> | undefined;
    const now = own(after, key) as Record<string, unknown>;
    const changed: Record<string, unknown> = {};
    for (const name of Object.keys(now)) if (own(now, name) !== own(was ?? {}, name)) setOwn(changed, name, own(now, name));
    setOwn(part, key, changed);
  }
  return part;
}

/** A schema finding about an empty value (`labels:` with nothing after it) that render's output fills. */
function filledByRender(finding: Finding, input: unknown, after: unknown): boolean {
  const path = finding.path ?? [];
  if (path.length === 0 || valueAt(input, path) !== null) return false;
  const filled = valueAt(after, path);
  return filled !== null && filled !== undefined;
}

/** The value at a document path of a plain model, or undefined. */
function valueAt(model: unknown, path: readonly (string | number)[]): unknown {
  let at = model;
  for (const step of path) {
    if (at === null || typeof at !== 'object' || !hasOwn(at, String(step))) return undefined;
    at = (at as Record<string, unknown>)[String(step)];
  }
  return at;
}

/** A finding's document path as one string, to compare paths by. */
const pathKey = (finding: Finding) => (finding.path ?? []).join('\u0000');

/** The target's output step: its findings, the document it made (built when asked for) and whether it changed the input. */
interface TargetStep {
  findings: Finding[];
  /** Whether the output differs from the input beyond the plan's edits (patch mode). */
  changed: boolean;
  /** The input with the target's changes spliced in, when they could be (patch mode): the plan's edits go on it. */
  source?: SourceFile;
  document(): Document;
  /** The plain value of the document; `file` names it in an error. */
  plain(file: string): unknown;
}

function targetStep(project: ComposeProject, target: 'compose' | 'swarm'): TargetStep {
  if (target === 'swarm' && project.mode === 'patch') return swarmPatch(project);
  // The compose target changes nothing: in patch mode the document is made only if something asks for it.
  let made: TargetOutput | undefined;
  const output = () => (made ??= targetOutput(project, target));
  const findings = target === 'compose' ? [] : output().findings;
  return { findings, changed: false, document: () => output().document, plain: (file) => documentPlain(output().document, file) };
}

/**
 * The swarm target on a file edited in place. It runs on a copy of the input (the input's own nodes keep their
 * positions for locating findings); most files come out unchanged, and are then edited as they are. The changes
 * to a file the target does change are spliced into its text, so what they do not touch is written as it was; the
 * spliced text is read back and must hold what the target made, or the document is written out whole instead.
 */
function swarmPatch(project: ComposeProject): TargetStep {
  const source = project.sources[0];
  const copy = documentCopy(source);
  const findings = applyTarget(copy.doc, project, 'swarm');
  if (sameShape(copy.doc.contents, source.doc.contents)) {
    return { findings, changed: false, document: () => copy.doc, plain: () => toPlain(copy) };
  }
  const spliced = splicedSource(source, copy.doc);
  if (spliced) {
    // The value read back for the comparison goes to the first caller; a later one gets its own.
    let held: unknown = spliced.plain;
    const plain = () => {
      const value = held ?? toPlain(spliced.source);
      held = undefined;
      return value;
    };
    return { findings, changed: true, source: spliced.source, document: () => spliced.source.doc, plain };
  }
  const full = targetOutput(project, 'swarm');
  return { findings: full.findings, changed: true, document: () => full.document, plain: (file) => documentPlain(full.document, file) };
}

/**
 * The source with `changed` spliced into its text, read again, and its plain value; undefined unless it reads as
 * `changed` does.
 */
function splicedSource(source: SourceFile, changed: Document): { source: SourceFile; plain: unknown } | undefined {
  const text = spliceDocument(source, changed);
  if (text === undefined) return undefined;
  let spliced: SourceFile;
  try {
    spliced = parseYamlSource(text, source.file, composeYamlOptions);
  } catch {
    return undefined;
  }
  if (spliced.doc.errors.length > 0) return undefined;
  const plain = toPlain(spliced);
  if (JSON.stringify(plain) !== JSON.stringify(documentPlain(changed, source.file))) return undefined;
  return { source: spliced, plain };
}

/**
 * One root cause, one finding: a mistake in a policy class (a misspelt option key) shows once, at its line, saying
 * how many volumes it affects, instead of once per volume that uses the class.
 */
export function mergeSharedCauses(findings: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: (Finding | Finding[])[] = [];
  for (const finding of findings) {
    const volume = finding.volume;
    const mention = volume === undefined ? '' : `volume "${volume}"`;
    if (finding.source !== 'policy' || volume === undefined || finding.line === undefined || !finding.message.includes(mention)) {
      out.push(finding);
      continue;
    }
    const key = [finding.code, finding.severity, finding.file, finding.line, finding.col, finding.message.replace(mention, '\u0000'), finding.hint ?? ''].join('\u0001');
    const group = groups.get(key);
    if (group) group.push(finding);
    else {
      const fresh = [finding];
      groups.set(key, fresh);
      out.push(fresh);
    }
  }
  return out.map((entry) => {
    if (!Array.isArray(entry)) return entry;
    if (entry.length === 1) return entry[0];
    const [first] = entry;
    const names = entry.map((f) => f.volume!);
    const shown = names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    const { volume: _volume, ...rest } = first;
    return { ...rest, volumes: names, message: first.message.replace(`volume "${first.volume}"`, `${names.length} volumes (${shown})`) };
  });
}

export function locateFinding(finding: Finding, project: ComposeProject, policy: Policy): Finding {
  if (finding.file !== undefined || finding.path === undefined) return finding;
  const where = finding.source === 'policy' ? policy.locate(finding.path, finding.pointAt) : project.locate(finding.path, finding.pointAt);
  return { ...finding, ...where };
}

// Plain code-unit order: localeCompare would load the ICU collator, a noticeable share of a small run.
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        compareText(a.finding.file ?? '', b.finding.file ?? '') ||
        (a.finding.line ?? 0) - (b.finding.line ?? 0) ||
        (a.finding.col ?? 0) - (b.finding.col ?? 0) ||
        severityRank[b.finding.severity] - severityRank[a.finding.severity] ||
        a.index - b.index,
    )
    .map(({ finding }) => finding);
}
