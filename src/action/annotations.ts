/**
 * Findings as annotations on the pull request's diff. The runner shows at most 10 errors, 10 warnings (and 10
 * notices) per step: the most severe are emitted first, a finding repeated in several environments is one
 * annotation naming them, and what goes past the limit is said in one line (it is all in the summary and SARIF).
 */
import { relative, resolve, sep } from 'node:path';
import { formatLocation, severityRank, type Finding } from '../findings.js';
import { inRepository } from '../report/sarif.js';
import type { RunReport } from './run.js';

export const ANNOTATION_LIMIT = 10;

export interface Annotation {
  severity: Finding['severity'];
  code: string;
  message: string;
  /** Relative to the workspace. */
  file?: string;
  line?: number;
  col?: number;
}

/** A path relative to the workspace, as annotations need it; undefined when it lies outside. */
export function workspacePath(file: string, cwd: string, workspace: string): string | undefined {
  const rel = relative(workspace, resolve(cwd, file));
  if (rel.startsWith('..') || rel === '') return undefined;
  return rel.split(sep).join('/');
}

/** Every finding of the run as an annotation, most severe first, one per place and message. */
export function annotationsOf(report: RunReport, cwd: string, workspace: string): Annotation[] {
  const merged = new Map<string, { annotation: Annotation; hint?: string; where: string[] }>();
  for (const check of report.checks) {
    const where = [check.environment, report.checks.some((c) => c.stack.name !== check.stack.name) ? check.stack.name : undefined].filter(Boolean).join(' / ');
    const fallback = check.inputName ?? check.stack.files[0] ?? check.stack.found;
    for (const finding of check.findings) {
      // A file of the repository is annotated where the finding is; one outside the workspace (a policy in
      // another checkout, /etc/...) or a built-in policy cannot be: the stack's file is, naming the place.
      const ownFile = inRepository(finding.file) ? workspacePath(finding.file, cwd, workspace) : undefined;
      const own = ownFile !== undefined;
      const file = own ? ownFile : fallback ? workspacePath(fallback, cwd, workspace) : undefined;
      const elsewhere = !own && finding.file ? ` (at ${formatLocation(finding)})` : '';
      const annotation: Annotation = {
        severity: finding.severity,
        code: finding.code,
        message: finding.message + elsewhere,
        file,
        ...(own && finding.line ? { line: finding.line, col: finding.col ?? 1 } : {}),
      };
      const key = [annotation.severity, annotation.code, annotation.file, annotation.line, annotation.col, annotation.message].join('\u0000');
      const entry = merged.get(key);
      if (entry) {
        if (where && !entry.where.includes(where)) entry.where.push(where);
      } else {
        merged.set(key, { annotation, hint: finding.hint, where: where ? [where] : [] });
      }
    }
  }
  const out = [...merged.values()].map(({ annotation, hint, where }) => ({
    ...annotation,
    message: `${where.length ? `[${where.join(', ')}] ` : ''}${annotation.message}${hint ? `\n${hint}` : ''}`,
  }));
  return out.sort((a, b) => severityRank[b.severity] - severityRank[a.severity]);
}

/** The annotations the runner will show, and how many of each severity it would drop; `taken`: shown before them. */
export function capAnnotations(all: readonly Annotation[], taken: Partial<Record<Finding['severity'], number>> = {}): { shown: Annotation[]; dropped: Record<Finding['severity'], number> } {
  const shown: Annotation[] = [];
  const dropped = { error: 0, warning: 0, info: 0 };
  const used = { error: taken.error ?? 0, warning: taken.warning ?? 0, info: taken.info ?? 0 };
  for (const annotation of all) {
    if (used[annotation.severity] < ANNOTATION_LIMIT) {
      used[annotation.severity]++;
      shown.push(annotation);
    } else {
      dropped[annotation.severity]++;
    }
  }
  return { shown, dropped };
}
