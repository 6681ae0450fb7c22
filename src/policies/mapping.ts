/** A class's mapping for one environment. */
import { own } from '../own.js';
import type { ClassMapping, Policy } from './types.js';

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

