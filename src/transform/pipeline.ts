/** load -> plan -> check -> apply -> emit, tied together. Pure: no fs, no process, no console. */
import type { ComposeProject } from '../compose/project.js';
import { parseYamlSource, toPlain, type SourceFile } from '../compose/load.js';
import { applyLevels, runChecks } from '../checks/index.js';
import { severityRank, type Finding } from '../findings.js';
import type { Policy } from '../policies/types.js';
import { validateModel } from '../schema/validate.js';
import { applyPlan, type Edit } from './apply.js';
import { planVolumes, type PlanOptions, type VolumePlan } from './plan.js';

export interface RenderOptions extends PlanOptions {
  target?: 'compose' | 'swarm';
}

export interface RenderResult {
  /** The text render started from: the input file (patch mode) or the resolved file. */
  input: string;
  output: string;
  plans: VolumePlan[];
  findings: Finding[];
  edits: Edit[];
}

/** The text the edits are made on: the input itself in patch mode, the resolved document otherwise. */
function baseSource(project: ComposeProject): SourceFile {
  if (project.mode === 'patch') return project.sources[0];
  return parseYamlSource(project.output.toString({ lineWidth: 0 }), project.sources[0]?.file ?? '<resolved>');
}

export function renderProject(project: ComposeProject, policy: Policy, options: RenderOptions = {}): RenderResult {
  const target = options.target ?? 'compose';
  const { plans, findings: planFindings } = planVolumes(project.model, policy, options);
  const ctx = { project, model: project.model, plans, policy, target, env: options.env };
  const base = baseSource(project);
  const applied = applyPlan(base, plans);
  let findings = [...project.findings, ...planFindings, ...runChecks(ctx), ...applied.findings];
  if (!findings.some((f) => f.severity === 'error')) {
    const rendered = parseYamlSource(applied.text, base.file);
    findings.push(...validateModel(target, toPlain(rendered), project.locate, base.file));
  }
  findings = applyLevels(findings, ctx).map((finding) => locateFinding(finding, project, policy));
  return { input: base.text, output: applied.text, plans, findings: sortFindings(findings), edits: applied.edits };
}

export function locateFinding(finding: Finding, project: ComposeProject, policy: Policy): Finding {
  if (finding.file !== undefined || finding.path === undefined) return finding;
  const where = finding.source === 'policy' ? policy.locate(finding.path) : project.locate(finding.path);
  return { ...finding, ...where };
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        (a.finding.file ?? '').localeCompare(b.finding.file ?? '') ||
        (a.finding.line ?? 0) - (b.finding.line ?? 0) ||
        (a.finding.col ?? 0) - (b.finding.col ?? 0) ||
        severityRank[b.finding.severity] - severityRank[a.finding.severity] ||
        a.index - b.index,
    )
    .map(({ finding }) => finding);
}
