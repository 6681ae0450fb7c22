/** The policy file, version 1, as loaded and validated. */
import type { DocPath, Location, Severity } from '../findings.js';
import type { DriverSpec } from './catalog/types.js';

export type Scalar = string | number | boolean;
export type CheckLevel = Severity | 'off';

/** What a class maps to; every field can be overridden per environment. */
export interface ClassMapping {
  driver?: string;
  driver_opts?: Record<string, Scalar>;
  parameters?: Record<string, Scalar>;
  labels?: Record<string, Scalar>;
  placement?: string[];
  name?: string;
}

/** A class's values for one environment: a null key, or a null name, takes the class's away. */
export interface ClassOverride extends Omit<ClassMapping, 'driver_opts' | 'labels' | 'name'> {
  driver_opts?: Record<string, Scalar | null>;
  labels?: Record<string, Scalar | null>;
  name?: string | null;
}

export interface ClassSpec extends ClassMapping {
  driver: string;
  description?: string;
  access?: 'single' | 'multi';
  checks?: Record<string, CheckLevel>;
  environments?: Record<string, ClassOverride>;
}

export interface RuleSpec {
  match: { volume?: string | string[]; service?: string | string[]; image?: string | string[]; min_services?: number };
  class: string;
  parameters?: Record<string, Scalar>;
}

/** One entry of the mapping form of `environments:`. */
export interface EnvironmentSpec {
  description?: string;
  parameters?: Record<string, Scalar>;
}

export interface PolicyDocument {
  version: 1;
  description?: string;
  default_class?: string;
  /** A list of names, or a mapping of name to its description and site parameters. */
  environments?: string[] | Record<string, EnvironmentSpec | null>;
  parameters?: Record<string, Scalar>;
  classes: Record<string, ClassSpec>;
  rules?: RuleSpec[];
  drivers?: DriverSpec[];
  checks?: Record<string, CheckLevel>;
}

export interface Policy {
  /** Where it came from: a path, or builtin:NAME. */
  origin: string;
  data: PolicyDocument;
  /** Position of a path inside the policy file, for findings about the policy. */
  locate(path: DocPath, prefer?: 'value' | 'key'): Location;
  /** Every environment name the policy knows. */
  environments: string[];
}
