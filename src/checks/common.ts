/** What several checks need: which volumes to look at, where a value was written, and what Swarm does with a service. */
import { own } from '../own.js';
import { asObject } from '../compose/mounts.js';
import type { DocPath, Finding, Location } from '../findings.js';
import { findDriver, findOption } from '../policies/catalog/index.js';
import type { DriverSpec } from '../policies/catalog/types.js';
import { placeholdersIn } from '../policies/placeholders.js';
import type { ValueOrigin, VolumePlan } from '../plan/volume-plan.js';
import type { CheckContext } from './types.js';

export type Where = Pick<Finding, 'path' | 'source'> & Partial<Location>;

/** Volumes whose options will reach a driver: the class-mapped ones and those that name their own driver. */
export function checkedPlans(ctx: CheckContext): VolumePlan[] {
  return ctx.plans.filter((plan) => !plan.external && (plan.managed || plan.reason === 'explicit'));
}

/** Same, limited to drivers the catalog (or the policy's `drivers:`) describes. */
export function knownPlans(ctx: CheckContext): (VolumePlan & { driverSpec: DriverSpec })[] {
  return checkedPlans(ctx).filter((plan): plan is VolumePlan & { driverSpec: DriverSpec } => plan.driverSpec !== undefined);
}

/**
 * The spec the options are read with. Driver "nfs" is both netshare's and the usual alias of trajano's NFS plugin;
 * only the latter takes `device`, so that option tells which one is installed.
 */
export function optionSpecOf(plan: VolumePlan & { driverSpec: DriverSpec }, ctx: CheckContext): DriverSpec {
  const spec = plan.driverSpec;
  if (spec.family === 'netshare' && spec.name === 'nfs' && findOption(spec, 'device') === undefined && 'device' in plan.driver_opts) {
    return findDriver('trajano/nfs-volume-plugin', ctx.policy.data.drivers) ?? spec;
  }
  return spec;
}

/** Whether a value still holds a `{placeholder}` or `${VAR}`: its final text is not known, so it is not judged. */
export function unresolved(value: string): boolean {
  return placeholdersIn(value).length > 0 || value.includes('${');
}

/** A place from the plan's provenance, as a finding's: policy paths say so, compose paths are the default. */
function whereOf(origin: ValueOrigin): Where {
  return origin.source === 'policy' ? { source: 'policy', path: origin.path } : { path: origin.path };
}

/** Where option `key` of the volume is written, or would be (in the policy for class-mapped volumes). */
export function optionWhere(plan: VolumePlan, key: string): Where {
  const { options, optionsAt } = plan.provenance;
  return whereOf(own(options, key) ?? { ...optionsAt, path: [...optionsAt.path, key] });
}

export function driverWhere(ctx: CheckContext, plan: VolumePlan): Where {
  const driver = plan.provenance.driver;
  return driver ? whereOf(driver) : volumeKeyWhere(ctx, plan.volume);
}

/** Where the engine name comes from: the class's `name:`, the volume's `name:`, or the volume key. */
export function nameWhere(ctx: CheckContext, plan: VolumePlan): Where {
  const name = plan.provenance.name;
  return name ? whereOf(name) : volumeKeyWhere(ctx, plan.volume);
}

/** The volume's key itself: for findings about something the volume leaves out. */
export function volumeKeyWhere(ctx: CheckContext, volume: string): Where {
  const path: DocPath = ['volumes', volume];
  return { path, ...ctx.project.locate(path, 'key') };
}

/** The `name:` the output will carry: the class's, else the one written on the volume. */
export function volumeName(plan: VolumePlan): string | undefined {
  return plan.name ?? plan.provenance.previous.name;
}

/** Docker templates that make the engine name differ per task or per node, so no two nodes share one volume. */
const PER_TASK_TEMPLATE = /\{\{\s*\.(?:Task\.(?:Slot|ID|Name)|Node\.(?:ID|Hostname))\s*\}\}/;

export function perTaskName(name: string | undefined): boolean {
  return name !== undefined && PER_TASK_TEMPLATE.test(name);
}

export interface ServiceFacts {
  name: string;
  hasDeploy: boolean;
  mode: string;
  /** deploy.replicas, else Compose's `scale`, when it is a whole number (or a string of digits). */
  replicas?: number;
  /** Where that count is written. */
  replicasAt: DocPath;
  /** Constraints written on the service plus those the classes of its volumes add. */
  constraints: string[];
}

function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Constraints the plan adds, per service: computed once per run, not once per service (that was quadratic). */
const addedPlacement = new WeakMap<CheckContext, Map<string, string[]>>();

function placementAdded(ctx: CheckContext, service: string): string[] {
  let byService = addedPlacement.get(ctx);
  if (!byService) {
    byService = new Map();
    for (const plan of ctx.plans) {
      if (!plan.managed || plan.placement.length === 0) continue;
      for (const name of plan.services) byService.set(name, [...(byService.get(name) ?? []), ...plan.placement]);
    }
    addedPlacement.set(ctx, byService);
  }
  return byService.get(service) ?? [];
}

export function serviceFacts(ctx: CheckContext, service: string): ServiceFacts {
  const definition = asObject(asObject(ctx.model.services)[service]);
  const deploy = asObject(definition.deploy);
  const written = asObject(deploy.placement).constraints;
  const constraints = Array.isArray(written) ? written.filter((c): c is string => typeof c === 'string') : [];
  constraints.push(...placementAdded(ctx, service));
  return {
    name: service,
    hasDeploy: definition.deploy !== undefined && definition.deploy !== null,
    mode: typeof deploy.mode === 'string' ? deploy.mode : 'replicated',
    // docker compose runs `scale` containers (the load refuses a scale that differs from deploy.replicas);
    // --target swarm removes scale, so its model has none.
    replicas: wholeNumber(deploy.replicas) ?? wholeNumber(definition.scale),
    replicasAt: wholeNumber(deploy.replicas) === undefined && wholeNumber(definition.scale) !== undefined ? ['services', service, 'scale'] : ['services', service, 'deploy', 'replicas'],
    constraints,
  };
}

/**
 * A constraint that keeps the service on one node or one labelled group of nodes. Node labels count: labelling
 * the node (or the zone) that holds the data is the usual way to pin a stateful service. Roles and platforms do
 * not: a cluster may have several managers or several linux nodes.
 */
const PINNING = /^\s*(?:node\.hostname|node\.id|node\.labels\.[^\s=!]+|engine\.labels\.[^\s=!]+)\s*==\s*\S/;

export function isPinned(facts: ServiceFacts): boolean {
  return facts.constraints.some((constraint) => PINNING.test(constraint));
}

export function isGlobal(facts: ServiceFacts): boolean {
  return facts.mode === 'global' || facts.mode === 'global-job';
}

/** Whether the stack is meant for several nodes: a swarm target, or a service that carries a `deploy` section. */
export function forSwarm(ctx: CheckContext, facts: ServiceFacts): boolean {
  return ctx.target === 'swarm' || facts.hasDeploy;
}

/** The first place the service mounts the volume, for findings about that service's use of it. */
export function mountPath(plan: VolumePlan, service: string): DocPath {
  return plan.mounts.find((mount) => mount.service === service)?.path ?? ['services', service];
}
