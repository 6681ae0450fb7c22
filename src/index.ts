/** The library API that the CLI and the GitHub Action both use. */
import type { IO } from './io.js';
import { loadInputs, type StackOptions } from './cli/inputs.js';
import { asObject, stringValues } from './compose/mounts.js';
import { secretValues } from './report/redact.js';
import { renderProject, type RenderResult } from './transform/pipeline.js';

export { renderProject, type RenderResult, type RenderOptions } from './transform/pipeline.js';
export { planVolumes, type VolumePlan } from './transform/plan.js';
export { loadProject, type ComposeProject } from './compose/project.js';
export { loadPolicyText, loadBuiltinPolicy } from './policies/load.js';
export { builtinDrivers, findDriver } from './policies/catalog/index.js';
export type { Finding, Severity } from './findings.js';
export { InputError } from './findings.js';

export interface StackResult extends RenderResult {
  /** The policy used: a path or builtin:NAME. */
  policy: string;
  /** Credential values in the input's and the output's volume options, to redact from what is shown. */
  secrets: string[];
  /** The file the output corresponds to, for diff headers. */
  inputName?: string;
}

/** Load the stack and policy named by the options, then plan, check and apply. */
export function renderStack(options: StackOptions, io: IO): StackResult {
  const { project, policy, set } = loadInputs(options, io);
  const result = renderProject(project, policy, {
    env: options.env,
    set,
    environ: project.env,
    projectName: project.projectName,
    target: options.target,
  });
  const inputOptions = Object.values(asObject(project.model.volumes)).map((volume) => stringValues(asObject(volume).driver_opts));
  const secrets = [
    ...result.plans.flatMap((plan) => secretValues(plan.driver_opts, plan.secretOptions)),
    ...inputOptions.flatMap((options) => secretValues(options, [])),
  ];
  return { ...result, policy: policy.origin, inputName: project.sources[0]?.file, secrets };
}
