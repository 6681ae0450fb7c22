/**
 * The plain model as render leaves it, computed from the plan instead of parsing the output again (a second
 * parse doubled the time on large stacks). The golden tests check that it matches the parsed output.
 */
import { hasOwn, own, setOwn } from '../own.js';
import { labelKey } from '../compose/labels.js';
import { asObject } from '../compose/mounts.js';
import { sameConstraint, staleConstraint, staleLabels, staleName } from './owned.js';
import type { VolumePlan } from '../plan/volume-plan.js';

type Obj = Record<string, unknown>;

const isObject = (value: unknown): boolean => value === undefined || (!!value && typeof value === 'object' && !Array.isArray(value));

function labelsWith(labels: unknown, plan: VolumePlan): unknown {
  const added = plan.labels;
  if (Array.isArray(labels)) {
    const stale = staleLabels(plan.owned, added, labels.map(labelKey));
    const kept = labels.filter((entry) => !hasOwn(added, labelKey(entry)) && !stale.has(labelKey(entry)));
    return [...kept, ...Object.entries(added).map(([k, v]) => `${k}=${v}`)];
  }
  const stale = staleLabels(plan.owned, added, Object.keys(asObject(labels)));
  return { ...Object.fromEntries(Object.entries(asObject(labels)).filter(([key]) => !stale.has(key))), ...added };
}


export function modelAfterPlan(model: Obj, plans: readonly VolumePlan[]): Obj {
  // A top level of the wrong type stays as it is, so that validation reports it.
  if (!isObject(model.volumes) || !isObject(model.services)) return model;
  const volumes: Obj = { ...asObject(model.volumes) };
  const services: Obj = { ...asObject(model.services) };
  let wanted: Map<string, string[]> | undefined;
  for (const plan of plans) {
    if (!plan.managed) continue;
    const { driver_opts: _options, name: currentName, ...before } = asObject(own(volumes, plan.volume));
    // Built without `delete`, which would turn every definition into a slow dictionary object for validation.
    const after: Obj = { ...before, driver: plan.driver, labels: labelsWith(before.labels, plan) };
    if (Object.keys(plan.driver_opts).length > 0) after.driver_opts = { ...plan.driver_opts };
    if (plan.name !== undefined) after.name = plan.name;
    else if (currentName !== undefined && !staleName(plan.owned, plan.name, currentName)) after.name = currentName;
    setOwn(volumes, plan.volume, after);
    const owned = plan.owned?.placement ?? [];
    if (plan.placement.length === 0 && owned.length === 0) continue;
    for (const service of plan.services) {
      const definition = asObject(own(services, service));
      const deploy = asObject(definition.deploy);
      const placement = asObject(deploy.placement);
      wanted ??= wantedPlacements(plans);
      const wantedHere = wanted.get(service) ?? [];
      const current = Array.isArray(placement.constraints) ? placement.constraints : [];
      const user = own(plan.owned?.userPlacement ?? {}, service) ?? [];
      const constraints = current.filter((c) => !staleConstraint(c, owned, wantedHere, user));
      for (const c of plan.placement) if (!constraints.some((e) => typeof e === 'string' && sameConstraint(e, c))) constraints.push(c);
      if (constraints.length === 0 && current.length === 0) continue;
      setOwn(services, service, { ...definition, deploy: { ...deploy, placement: { ...placement, constraints } } });
    }
  }
  return { ...model, volumes, services };
}

/** Every constraint the plans give each service, in the plans' order: one pass over the plans for all services. */
export function wantedPlacements(plans: readonly VolumePlan[]): Map<string, string[]> {
  const wanted = new Map<string, string[]>();
  for (const plan of plans) {
    if (!plan.managed) continue;
    for (const service of new Set(plan.services)) {
      const list = wanted.get(service);
      if (list) list.push(...plan.placement);
      else wanted.set(service, [...plan.placement]);
    }
  }
  return wanted;
}
