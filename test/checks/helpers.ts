/** Runs a fixture through the real pipeline: load the compose file and the policy, render, keep the findings. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/compose/project.js';
import type { Finding } from '../../src/findings.js';
import { loadPolicyText } from '../../src/policies/load.js';
import type { Policy } from '../../src/policies/types.js';
import { renderProject, type RenderResult } from '../../src/transform/pipeline.js';

export const io = { readFile: (path: string) => readFileSync(path, 'utf8') };

export function fixture(code: string, name: string): string {
  return join('fixtures/checks', code, name);
}

/** `file:line:col` of a fixture of check `code`, as findings print it. */
export function locator(code: string): (file: string, line: number, col: number) => string {
  return (file, line, col) => `${fixture(code, file)}:${line}:${col}`;
}

export function policyFile(path: string): Policy {
  return loadPolicyText(readFileSync(path, 'utf8'), path);
}

export interface RunOptions {
  policy?: string;
  env?: string;
  target?: 'compose' | 'swarm';
  set?: Record<string, string>;
  projectName?: string;
}

export function run(code: string, file: string, options: RunOptions = {}): RenderResult {
  const project = loadProject({ files: [fixture(code, file)], io });
  const policy = policyFile(fixture(code, options.policy ?? 'voldriver.yml'));
  return renderProject(project, policy, { env: options.env, set: options.set, target: options.target, projectName: options.projectName ?? project.projectName });
}

export interface Seen {
  severity: Finding['severity'];
  at: string;
  volume?: string;
}

/** The findings of one code, as severity, file:line:col and volume, in the order the pipeline sorts them. */
export function seen(result: Pick<RenderResult, 'findings'>, code: string): Seen[] {
  return result.findings
    .filter((finding) => finding.code === code)
    .map((finding) => ({ severity: finding.severity, at: `${finding.file}:${finding.line}:${finding.col}`, volume: finding.volume }));
}

export function messages(result: Pick<RenderResult, 'findings'>, code: string): string[] {
  return result.findings.filter((finding) => finding.code === code).map((finding) => `${finding.message}\n${finding.hint ?? ''}`);
}
