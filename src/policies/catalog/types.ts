/**
 * The driver catalog's data model. Every driver is plain data in this form, so a policy can describe a custom
 * driver the same way (under `drivers:` in the policy file).
 */

/** How the driver wants sizes written. */
export interface SizeFormat {
  /**
   * int: a bare whole number in `unit` ("50" for 50 GiB when unit is GiB);
   * suffix: a number followed by one of `suffixes` (the first is the one written), e.g. "50G".
   */
  style: 'int' | 'suffix';
  /** The unit of the number written; binary units (GiB) or decimal (GB). */
  unit: 'MiB' | 'GiB' | 'GB' | 'MB';
  /** For style suffix: the suffix written after the number (e.g. "G", "gb", "GiB"). */
  suffix?: string;
  /** Whether a bare number without unit is accepted in input (and what unit it means; B: bytes). */
  bareUnit?: 'MiB' | 'GiB' | 'GB' | 'MB' | 'B';
  /** Suffixes the driver itself understands on input (case-insensitive), besides the written one. */
  accepts?: string[];
}

export type OptionType =
  | { kind: 'string'; pattern?: string; patternHint?: string }
  /**
   * `values`: what the catalog has verified. A value outside the list is only unverified (a warning), unless the
   * option's `rejected` says who refuses it.
   */
  | { kind: 'enum'; values: string[]; caseInsensitive?: boolean }
  | { kind: 'int'; min?: number; max?: number }
  /** values: the spellings the driver accepts (default "true" and "false", lower case). */
  | { kind: 'bool'; values?: string[] }
  | { kind: 'size'; format: SizeFormat; min?: string }
  /** Comma-separated mount options (local `o`, netshare `nfsopts`...). */
  | { kind: 'mount-options' };

export interface OptionSpec {
  name: string;
  type: OptionType;
  description: string;
  required?: boolean;
  /** Other names the driver accepts for this option (REX-Ray: volumeType = type). */
  aliases?: string[];
  /** Values are credentials: never printed unless --show-secrets. */
  secret?: boolean;
  /** Options that must be set together with this one (local: `o` needs `type` and `device`). */
  requires?: string[];
  /** Options this one cannot be combined with. */
  conflicts?: string[];
  /**
   * Required only in some configurations: when any condition matches (same matching as AttachRule), e.g.
   * cloudstor:aws `iops` when `ebstype` is io1.
   */
  requiredWhen?: { option: string; values?: string[]; absent?: boolean }[];
  /** A documented example value, used by the catalog tests. */
  example?: string;
  /** Values Docker, the plugin or the storage behind it is documented to refuse: errors, not warnings. */
  rejected?: RejectedValues[];
}

/**
 * Values of one option that are known to be refused, and by whom. Only what a source documents belongs here (the
 * data module cites it): a value the catalog merely does not list stays a warning.
 */
export interface RejectedValues {
  /** Who refuses the value, as the finding names it: "Docker's local driver", "Amazon EC2 (CreateVolume)". */
  by: string;
  /** Every value outside this list is refused (compared case-insensitively, so only a real mistake counts). */
  allowed?: string[];
  /** Values matching this pattern are refused. */
  pattern?: string;
  /** Only while another option of the volume has one of these values (a CIFS `device` when `type` is cifs). */
  when?: { option: string; values: string[] };
  /** What the refusal says or means, for the message. */
  reason: string;
  /** What to write instead, for the hint. */
  instead: string;
}

/**
 * single: one node attaches at a time (block device);
 * multi: many nodes mount the same data at once (NFS, EFS, SMB, shared Portworx);
 * node-local: each node keeps its own, separate data (local without a remote type, tmpfs).
 */
export type AttachMode = 'single' | 'multi' | 'node-local';

/** An attach mode that depends on option values: the first rule that matches decides. */
export interface AttachRule {
  /** Option name (matched with the driver's key rules) and the values that select this mode. */
  option: string;
  /** Values (case-insensitive) that select `attach`; omitted: any non-empty value. */
  values?: string[];
  /** Matches when the option is absent (or empty) instead. */
  absent?: boolean;
  attach: AttachMode;
}

/** A pitfall: a volume option that is really a plugin setting (set with `docker plugin set`). */
export interface PluginSettingTrap {
  /** Option key written on a volume (matched case-insensitively) that does nothing there. */
  option: string;
  /** The plugin setting to use instead. */
  setting: string;
  message: string;
}

export interface NameRule {
  /** The engine name (`<stack>_<key>` or `name:`) must match this pattern. */
  pattern?: string;
  /** Characters or shapes in the name that carry a meaning for the driver (RBD `pool.name`, vSphere `name@ds`). */
  meaningful?: { pattern: string; meaning: string }[];
  message: string;
}

export interface DriverSpec {
  /** Canonical name as written in `driver:` (without `:tag`). */
  name: string;
  /** Other names the plugin is installed or referred to under. */
  aliases?: string[];
  /** Module it is described in, e.g. "rexray", "glusterfs". */
  family: string;
  description: string;
  /** active: maintained; legacy: works but unmaintained; deprecated/discontinued: vendor stopped it. */
  status: 'active' | 'legacy' | 'deprecated' | 'discontinued';
  /** Last release or end of development, for the `drivers` listing. */
  lastRelease?: string;
  /** What the plugin reports in /VolumeDriver.Capabilities. */
  scope: 'local' | 'global';
  /** Default attach mode, refined by `attachRules`. */
  attach: AttachMode;
  attachRules?: AttachRule[];
  /** Volumes live in one availability zone (EBS, GCE PD...): services need placement constraints. */
  zoneBound: boolean;
  /** Option keys are matched case-insensitively (REX-Ray, Trident). */
  caseInsensitiveKeys: boolean;
  /** What the driver does with an option it does not know: rejects it (error) or ignores it (warning). */
  unknownOptions: 'reject' | 'ignore';
  options: OptionSpec[];
  nameRule?: NameRule;
  pluginSettings?: PluginSettingTrap[];
  /** Minimum volume size, as a size expression (e.g. "1Gi", "10G"). */
  minSize?: string;
  /** Free text shown by `compose-voldriver drivers NAME`. */
  notes?: string[];
}
