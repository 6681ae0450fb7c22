import { azureDrivers } from './drivers/azure.js';
import { cloudstorAwsDriver } from './drivers/cloudstor-aws.js';
import { convoyDriver } from './drivers/convoy.js';
import { digitaloceanDriver } from './drivers/digitalocean.js';
import { flockerDriver } from './drivers/flocker.js';
import { glusterfsDrivers } from './drivers/glusterfs.js';
import { localDriver } from './drivers/local.js';
import { netappDriver } from './drivers/netapp.js';
import { netshareDrivers, trajanoNfsDriver } from './drivers/netshare.js';
import { portworxDriver } from './drivers/portworx.js';
import { rexrayDrivers } from './drivers/rexray.js';
import { vsphereDrivers } from './drivers/vsphere.js';
import { parseDriverSize, parseSize, checkSizeValue } from './size.js';
import type { AttachMode, DriverSpec, OptionSpec, RejectedValues } from './types.js';

export type * from './types.js';
export { checkSizeValue, formatSize, parseDriverSize, parseSize, unitBytes } from './size.js';
export type { SizeUnit } from './size.js';

export const builtinDrivers: readonly DriverSpec[] = [
  localDriver,
  ...rexrayDrivers,
  convoyDriver,
  ...glusterfsDrivers,
  ...netshareDrivers,
  trajanoNfsDriver,
  portworxDriver,
  ...vsphereDrivers,
  flockerDriver,
  ...azureDrivers,
  cloudstorAwsDriver,
  digitaloceanDriver,
  netappDriver,
];

const DEFAULT_REGISTRY = /^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//;

/**
 * The name as Docker resolves it: surrounding space, the Docker Hub registry prefix, a digest and the default tag
 * `:latest` are dropped. Other tags are kept, because some plugins are known by name and tag (`cloudstor:aws`).
 * Case is kept: plugin references are lower case and legacy socket names are case-sensitive, so `PXD` is not `pxd`.
 */
export function normalizeDriverName(name: string): string {
  let n = name.trim().replace(DEFAULT_REGISTRY, '').replace(/@[a-z0-9]+:[a-f0-9]+$/i, '');
  n = n.replace(/:latest$/, '');
  return n;
}

/** The name without a tag; a colon inside a registry host (`host:5000/x`) is not a tag. */
function withoutTag(name: string): string {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(0, colon) : name;
}

/** Every normalised name of a driver list, built once per list: findDriver runs for every volume. */
const nameIndexes = new WeakMap<readonly DriverSpec[], Map<string, DriverSpec>>();

function lookup(name: string, drivers: readonly DriverSpec[]): DriverSpec | undefined {
  let index = nameIndexes.get(drivers);
  if (!index) {
    index = new Map();
    for (const driver of drivers) {
      for (const alias of [driver.name, ...(driver.aliases ?? [])]) {
        const key = normalizeDriverName(alias);
        if (!index.has(key)) index.set(key, driver);
      }
    }
    nameIndexes.set(drivers, index);
  }
  return index.get(name);
}

/**
 * The driver `name` refers to: first with its tag (`cloudstor:aws`), then without (`rexray/ebs:0.11.4`). Custom
 * drivers from a policy (`extra`) win over built-in ones of the same name.
 */
const NO_DRIVERS: readonly DriverSpec[] = [];

/** What findDriver found for each name, per list of custom drivers: it runs for every volume, several times. */
const foundDrivers = new WeakMap<readonly DriverSpec[], Map<string, DriverSpec | undefined>>();

export function findDriver(name: string, extra: readonly DriverSpec[] = NO_DRIVERS): DriverSpec | undefined {
  let found = foundDrivers.get(extra);
  if (!found) foundDrivers.set(extra, (found = new Map()));
  if (found.has(name)) return found.get(name);
  const driver = driverNamed(name, extra);
  found.set(name, driver);
  return driver;
}

function driverNamed(name: string, extra: readonly DriverSpec[]): DriverSpec | undefined {
  const full = normalizeDriverName(name);
  for (const candidate of new Set([full, withoutTag(full)])) {
    const found = lookup(candidate, extra) ?? lookup(candidate, builtinDrivers);
    if (found) return found;
  }
  return undefined;
}

function sameKey(driver: DriverSpec, a: string, b: string): boolean {
  return driver.caseInsensitiveKeys ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** Each driver's options by every name and alias (lower case if its keys are), the first option in order winning. */
const optionIndexes = new WeakMap<DriverSpec, Map<string, OptionSpec>>();

/** The option `key` names, by name or alias, with the driver's case rules. */
export function findOption(driver: DriverSpec, key: string): OptionSpec | undefined {
  const fold = (name: string) => (driver.caseInsensitiveKeys ? name.toLowerCase() : name);
  let index = optionIndexes.get(driver);
  if (!index) {
    index = new Map();
    for (const option of driver.options ?? []) {
      for (const name of [option.name, ...(option.aliases ?? [])]) if (!index.has(fold(name))) index.set(fold(name), option);
    }
    optionIndexes.set(driver, index);
  }
  return index.get(fold(key));
}

/** The value given for option `name` (or one of its aliases) in `opts`, if any. */
export function optionValue(driver: DriverSpec, opts: Record<string, string>, name: string): string | undefined {
  const option = findOption(driver, name);
  for (const [key, value] of Object.entries(opts)) {
    if (option ? findOption(driver, key) === option : sameKey(driver, key, name)) return value;
  }
  return undefined;
}

interface Condition {
  option: string;
  values?: string[];
  absent?: boolean;
}

function matches(driver: DriverSpec, opts: Record<string, string>, cond: Condition): boolean {
  const value = optionValue(driver, opts, cond.option);
  const present = value !== undefined && value !== '';
  if (cond.absent) return !present;
  if (!present) return false;
  return cond.values === undefined || cond.values.some((v) => v.toLowerCase() === value.toLowerCase());
}

/** How the volume created with `opts` attaches: the first matching attach rule, else the driver's default. */
export function attachModeOf(driver: DriverSpec, opts: Record<string, string>): AttachMode {
  return (driver.attachRules ?? []).find((rule) => matches(driver, opts, rule))?.attach ?? driver.attach;
}

/** Options that are required, always or in the configuration `opts` describes, but missing from it. */
export function missingOptions(driver: DriverSpec, opts: Record<string, string>): OptionSpec[] {
  return (driver.options ?? []).filter((o) => {
    const needed = o.required || (o.requiredWhen ?? []).some((c) => matches(driver, opts, c));
    if (!needed) return false;
    const value = optionValue(driver, opts, o.name);
    return value === undefined || value === '';
  });
}

/**
 * Why `value` of `option` is refused, when a documented refusal covers it; `opts` are the volume's options, for
 * refusals that hold only beside another option's value. Values the refuser compares exactly are compared so here
 * too (Docker's `type == "cifs"`), except `allowed`, compared case-insensitively to report only sure mistakes.
 */
export function rejectionOf(driver: DriverSpec, option: OptionSpec, value: string, opts: Record<string, string>): RejectedValues | undefined {
  return (option.rejected ?? []).find((rule) => {
    if (rule.when) {
      const other = optionValue(driver, opts, rule.when.option);
      if (other === undefined || !rule.when.values.includes(other)) return false;
    }
    if (rule.allowed && rule.allowed.some((allowed) => allowed.toLowerCase() === value.toLowerCase())) return false;
    if (rule.pattern !== undefined && !new RegExp(rule.pattern).test(value)) return false;
    return rule.allowed !== undefined || rule.pattern !== undefined;
  });
}

const DEFAULT_BOOLS = ['true', 'false'];

/** Whether `value` is acceptable for `option`: a problem message, or undefined. */
export function validateOptionValue(option: OptionSpec, value: string): string | undefined {
  const t = option.type;
  switch (t.kind) {
    case 'string':
      if (t.pattern !== undefined && !new RegExp(t.pattern).test(value)) {
        return `"${value}" is not valid for ${option.name}: expected ${t.patternHint ?? `a value matching /${t.pattern}/`}`;
      }
      return undefined;
    case 'enum': {
      const ok = t.caseInsensitive
        ? t.values.some((v) => v.toLowerCase() === value.toLowerCase())
        : t.values.includes(value);
      return ok ? undefined : `"${value}" is not valid for ${option.name}: expected one of ${t.values.join(', ')}`;
    }
    case 'int': {
      if (!/^-?\d+$/.test(value)) return `"${value}" is not valid for ${option.name}: expected a whole number`;
      const n = Number(value);
      if (t.min !== undefined && n < t.min) return `${option.name} is ${value}, below the minimum ${t.min}`;
      if (t.max !== undefined && n > t.max) return `${option.name} is ${value}, above the maximum ${t.max}`;
      return undefined;
    }
    case 'bool': {
      const spellings = t.values ?? DEFAULT_BOOLS;
      return spellings.includes(value)
        ? undefined
        : `"${value}" is not valid for ${option.name}: expected ${spellings.map((s) => `"${s}"`).join(' or ')}`;
    }
    case 'size': {
      const problem = checkSizeValue(value, t.format);
      if (problem) return `${option.name}: ${problem}`;
      const min = t.min === undefined ? undefined : parseSize(t.min);
      const bytes = parseDriverSize(value, t.format);
      if (min !== undefined && bytes !== undefined && bytes < min) {
        return `${option.name} "${value}" is below the driver's minimum of ${t.min}`;
      }
      return undefined;
    }
    case 'mount-options': {
      const items = value.split(',');
      if (items.some((i) => i.trim() === '')) return `"${value}" has an empty mount option (a stray comma)`;
      if (items.some((i) => i !== i.trim())) return `"${value}": mount options must not have spaces around commas`;
      return undefined;
    }
  }
}

/** The option that carries the volume size, if the driver has one. */
export function sizeOption(driver: DriverSpec): OptionSpec | undefined {
  return (driver.options ?? []).find((o) => o.type.kind === 'size');
}
