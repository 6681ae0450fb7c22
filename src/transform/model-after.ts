/**
 * The plain model as render leaves it, computed from the plan instead of parsing the output again (a second
 * parse doubled the time on large stacks). The golden tests check that it matches the parsed output.
 */
import { asObject } from '../compose/mounts.js';
import type { VolumePlan } from './plan.js';

type Obj = Record<string, unknown>;

const isObject = (value: unknown): boolean => value === undefined || (!!value && typeof value === 'object' && !Array.isArray(value));

function labelsWith(labels: unknown, added: Record<string, string>): unknown {
  if (Array.isArray(labels)) {
    const kept = labels.filter((entry) => !(String(entry).split('=')[0] in added));
    return [...kept, ...Object.entries(added).map(([k, v]) => `${k}=${v}`)];
  }
  return { ...asObject(labels), ...added };
}

/** Placement constraints that differ only in spacing are the same constraint. */
export const sameConstraint = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

export function modelAfterPlan(model: Obj, plans: readonly VolumePlan[]): Obj {
  // A top level of the wrong type stays as it is, so that validation reports it.
  if (!isObject(model.volumes) || !isObject(model.services)) return model;
  const volumes: Obj = { ...asObject(model.volumes) };
  const services: Obj = { ...asObject(model.services) };
  for (const plan of plans) {
    if (!plan.managed) continue;
    const { driver_opts: _options, ...before } = asObject(volumes[plan.volume]);
    // Built without `delete`, which would turn every definition into a slow dictionary object for validation.
    const after: Obj = { ...before, driver: plan.driver, labels: labelsWith(before.labels, plan.labels) };
    if (Object.keys(plan.driver_opts).length > 0) after.driver_opts = { ...plan.driver_opts };
    if (plan.name !== undefined) after.name = plan.name;
    volumes[plan.volume] = after;
    if (plan.placement.length === 0) continue;
    for (const service of plan.services) {
      const definition = asObject(services[service]);
      const deploy = asObject(definition.deploy);
      const placement = asObject(deploy.placement);
      const constraints = Array.isArray(placement.constraints) ? [...placement.constraints] : [];
      for (const c of plan.placement) if (!constraints.some((e) => typeof e === 'string' && sameConstraint(e, c))) constraints.push(c);
      services[service] = { ...definition, deploy: { ...deploy, placement: { ...placement, constraints } } };
    }
  }
  return { ...model, volumes, services };
}
