/** A check is data plus a function: it reads the plan and reports findings by document path, never by line. */
import type { ComposeProject } from '../compose/project.js';
import type { Finding, Severity } from '../findings.js';
import type { Policy } from '../policies/types.js';
import type { VolumePlan } from '../plan/volume-plan.js';

export interface CheckContext {
  /** The loaded files: for checks that need the source text (how a value was written, not just what it is). */
  project: ComposeProject;
  model: Record<string, unknown>;
  plans: readonly VolumePlan[];
  policy: Policy;
  /** What the output is for: swarm means `docker stack deploy`. */
  target: 'compose' | 'swarm';
  env?: string;
}

export interface Check {
  code: string;
  severity: Severity;
  /** One line for listings. */
  summary: string;
  /** Section of docs/checks.md that explains it, with an example. */
  docs: string;
  run(ctx: CheckContext): Omit<Finding, 'code' | 'severity'>[] | Finding[];
}
