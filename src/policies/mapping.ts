/** A class's mapping for one environment. */
import { own } from '../own.js';
import { placeholdersIn } from './placeholders.js';
import type { ClassMapping, Policy, Scalar } from './types.js';

/** The class's mapping for the environment: a different driver replaces driver_opts wholesale. */
export function effectiveMapping(policy: Policy, className: string, env: string | undefined): ClassMapping & { driver: string } {
  const spec = own(policy.data.classes, className)!;
  const override = env !== undefined ? own(spec.environments, env) : undefined;
  if (!override) return spec;
  const driverChanged = override.driver !== undefined && override.driver !== spec.driver;
  return {
    driver: override.driver ?? spec.driver,
    driver_opts: driverChanged ? (override.driver_opts ?? {}) : { ...spec.driver_opts, ...override.driver_opts },
    parameters: { ...spec.parameters, ...override.parameters },
    labels: { ...spec.labels, ...override.labels },
    placement: override.placement ?? spec.placement,
    name: override.name ?? spec.name,
  };
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
  const templates = (mapping: ClassMapping) => [
    mapping.driver ?? '',
    mapping.name ?? '',
    ...Object.values(mapping.driver_opts ?? {}).map(String),
    ...Object.values(mapping.labels ?? {}).map(String),
    ...(mapping.placement ?? []),
    ...Object.values(mapping.parameters ?? {}).map(String),
  ];
  for (const mapping of [spec, ...Object.values(spec.environments ?? {})]) {
    for (const template of templates(mapping)) for (const name of placeholdersIn(template)) names.add(name);
  }
  return names;
}
