/** A class's mapping for one environment. */
import type { DocPath } from '../findings.js';
import { emptyRecord, own, setOwn } from '../own.js';
import { placeholdersIn } from './placeholders.js';
import type { ClassMapping, ClassOverride, Policy, Scalar } from './types.js';

/** Where each value of a class's mapping for one environment is written in the policy. */
export interface MappingPaths {
  driver: DocPath;
  /** Per option key. */
  driver_opts: Record<string, DocPath>;
  /** Where an option the mapping does not give would be written. */
  driverOptsAt: DocPath;
  parameters: Record<string, DocPath>;
  labels: Record<string, DocPath>;
  placement: DocPath;
  name: DocPath;
}

export interface ResolvedMapping {
  mapping: ClassMapping & { driver: string };
  paths: MappingPaths;
}

/**
 * The class's mapping for the environment, and where each of its values is written. An environment's values
 * replace the class's field by field and merge key by key, except that a different driver replaces driver_opts
 * wholesale (the class's options belong to its driver).
 */
export function resolveMapping(policy: Policy, className: string, env: string | undefined): ResolvedMapping {
  const spec = own(policy.data.classes, className)!;
  const base: DocPath = ['classes', className];
  const override = env !== undefined ? own(spec.environments, env) : undefined;
  const at: DocPath = override ? [...base, 'environments', env!] : base;
  const field = (name: keyof ClassMapping): DocPath => [...(override && own(override as Record<string, unknown>, name) !== undefined ? at : base), name];
  const keys = (name: 'driver_opts' | 'parameters' | 'labels', replaced = false) => {
    const out: Record<string, DocPath> = emptyRecord();
    if (!replaced) for (const key of Object.keys(spec[name] ?? {})) out[key] = [...base, name, key];
    for (const [key, value] of Object.entries(override?.[name] ?? {})) {
      if (value === null) delete out[key];
      else out[key] = [...at, name, key];
    }
    return out;
  };
  const driverReplaced = override?.driver !== undefined && override.driver !== spec.driver;
  const paths: MappingPaths = {
    driver: field('driver'),
    driver_opts: keys('driver_opts', driverReplaced),
    driverOptsAt: [...(driverReplaced ? at : base), 'driver_opts'],
    parameters: keys('parameters'),
    labels: keys('labels'),
    placement: field('placement'),
    name: field('name'),
  };
  if (!override) return { mapping: spec, paths };
  return {
    mapping: {
      driver: override.driver ?? spec.driver,
      driver_opts: merged(driverReplaced ? undefined : spec.driver_opts, override.driver_opts),
      parameters: { ...spec.parameters, ...override.parameters },
      labels: merged(spec.labels, override.labels),
      placement: override.placement ?? spec.placement,
      name: override.name === null ? undefined : (override.name ?? spec.name),
    },
    paths,
  };
}

/** The class's keys with the environment's over them; a key the environment sets to null is taken away. */
function merged(base: Record<string, Scalar> | undefined, over: Record<string, Scalar | null> | undefined): Record<string, Scalar> {
  const out: Record<string, Scalar> = emptyRecord();
  for (const [key, value] of Object.entries(base ?? {})) setOwn(out, key, value);
  for (const [key, value] of Object.entries(over ?? {})) {
    if (value === null) delete out[key];
    else setOwn(out, key, value);
  }
  return out;
}

/** The class's mapping for the environment (see resolveMapping). */
export function effectiveMapping(policy: Policy, className: string, env: string | undefined): ClassMapping & { driver: string } {
  return resolveMapping(policy, className, env).mapping;
}

/** The site parameters the mapping form of `environments:` gives the environment. */
export function environmentParameters(policy: Policy, env: string | undefined): Record<string, Scalar> {
  const environments = policy.data.environments;
  if (env === undefined || !environments || Array.isArray(environments)) return {};
  return own(environments, env)?.parameters ?? {};
}

/** Every placeholder name the class's mapping uses, in its base mapping or any environment. */
export function classPlaceholders(policy: Policy, className: string): Set<string> {
  const names = new Set<string>();
  const spec = own(policy.data.classes, className)!;
  const templates = (mapping: ClassMapping | ClassOverride) => [
    mapping.driver ?? '',
    mapping.name ?? '',
    ...Object.values(mapping.driver_opts ?? {}).map((value) => String(value ?? '')),
    ...Object.values(mapping.labels ?? {}).map((value) => String(value ?? '')),
    ...(mapping.placement ?? []),
    ...Object.values(mapping.parameters ?? {}).map(String),
  ];
  for (const mapping of [spec, ...Object.values(spec.environments ?? {})]) {
    for (const template of templates(mapping)) for (const name of placeholdersIn(template)) names.add(name);
  }
  return names;
}
