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
  /** Where the plan's values come from and what the volume was before: checks and explain read it, never work it out again. */
  provenance: Provenance;
}

/** Where a value is written: a path in the policy or in the compose model. */
export interface ValueOrigin {
  source: 'policy' | 'compose';
  path: DocPath;
  /** The values its {placeholders} were filled with. */
  placeholders?: Record<string, string>;
}

export interface Provenance {
  /** Where the driver is written; undefined when nothing names one (Docker's `local`). */
  driver?: ValueOrigin;
  /** Per driver option. */
  options: Record<string, ValueOrigin>;
  /** Where an option the volume does not have would be written: for findings about a missing one. */
  optionsAt: ValueOrigin;
  /** Where the `name:` the output carries is written; undefined when there is none. */
  name?: ValueOrigin;
  /** The volume as the input has it, before render. */
  previous: PreviousVolume;
}

export interface PreviousVolume {
  /** The driver written on the volume; undefined means Docker's `local`. */
  driver?: string;
  /** Its driver_opts; undefined when it has none written. */
  driver_opts?: Record<string, string>;
  /** Its `name:`. */
  name?: string;
  /** The name the engine gave it: its `name:`, or `<project>_<key>`; undefined when the project is unknown. */
  engineName?: string;
}

/** What an earlier render of a volume may have written (see transform/owned.ts). */
export interface Owned {
  /** Label keys the class sets in some environment. */
  labels: string[];
  /** `name:` templates of the class across environments. */
  names: string[];
  /** Placement constraint templates of the class across environments. */
  placement: string[];
  /**
   * The volume's `name:` as the compose files write it unquoted or single-quoted: render writes every value
   * double-quoted, so such a name is the user's, whatever template it matches.
   */
  userNames?: string[];
  /** Likewise the constraints each service mounting the volume writes unquoted or single-quoted. */
  userPlacement?: Record<string, string[]>;
}
