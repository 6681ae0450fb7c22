/**
 * What each named volume becomes: the one model that transform, checks, report and deploy read. Pure data;
 * `planVolumes` (transform/plan.ts) fills it, and nothing downstream recomputes what it records.
 */
import type { DocPath } from '../findings.js';
import type { VolumeMount } from '../compose/mounts.js';
import type { AttachMode, DriverSpec } from '../policies/catalog/types.js';
import type { ClassReason } from '../policies/resolve-class.js';

export interface VolumePlan {
  volume: string;
  class?: string;
  reason: ClassReason;
  /** 1-based index of the policy rule that chose the class. */
  rule?: number;
  /** What made the rule match, in a few words ("postgres data"). */
  because?: string;
  /** Whether render changes this volume (it has a class and no error stopped it). */
  managed: boolean;
  external: boolean;
  /** Driver the volume will use: the class's, or as written (unset means Docker's `local`). */
  driver?: string;
  driver_opts: Record<string, string>;
  /** Labels the class adds (the class label included). */
  labels: Record<string, string>;
  placement: string[];
  /** `name:` the class sets, if any. */
  name?: string;
  /** Name of the volume in the engine: `<project>_<key>`, its `name:`, or undefined when the project is unknown. */
  engineName?: string;
  services: string[];
  mounts: VolumeMount[];
  attach?: AttachMode;
  scope?: 'local' | 'global';
  /** The catalog's entry for the driver, when it knows it. */
  driverSpec?: DriverSpec;
  parameters: Record<string, string>;
  /** Option keys whose values are credentials. */
  secretOptions: string[];
  /** Check codes silenced for this volume. */
  ignore: string[];
  /** Where the class's mapping lives in the policy, for findings about it. */
  policyPath?: DocPath;
  /** For a volume rendered before: what that render may have written, which render replaces. */
  owned?: Owned;
}

/** What an earlier render of a volume may have written (see transform/owned.ts). */
export interface Owned {
  /** Label keys the class sets in some environment. */
  labels: string[];
  /** `name:` templates of the class across environments. */
  names: string[];
  /** Placement constraint templates of the class across environments. */
  placement: string[];
}
