/**
 * Sizes, in two separate readings:
 *
 * - Policy input (`parseSize`): what a person writes in a policy. `Gi`/`GiB` are binary (2^30) and `G`/`GB` are
 *   decimal (10^9), whatever the case, so "50G" means 50,000,000,000 bytes. `b`/`B` both mean bytes.
 * - A driver's own format (`parseDriverSize`, `checkSizeValue`, `formatSize`): how the plugin reads the string in
 *   driver_opts. Many plugins read a plain `G` as GiB, so there a suffix without `i` takes the base of the
 *   format's unit: binary for MiB/GiB formats, decimal for MB/GB formats. A suffix with `i` is always binary.
 */
import type { SizeFormat } from './types.js';

export type SizeUnit = SizeFormat['unit'];

const UNIT_BYTES: Record<SizeUnit | 'B', number> = { MiB: 2 ** 20, GiB: 2 ** 30, MB: 1e6, GB: 1e9, B: 1 };
const POWER: Record<string, number> = { '': 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

/** Bytes in one `unit`. */
export function unitBytes(unit: SizeUnit): number {
  return UNIT_BYTES[unit];
}

/** A policy size expression in bytes; a bare number is read in `bareUnit` and is undefined without one. */
export function parseSize(expr: string, bareUnit?: SizeUnit): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgtp])(i)?b?|(b))?\s*$/i.exec(expr);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] === undefined) {
    if (m[4] !== undefined) return Math.ceil(n);
    return bareUnit ? Math.ceil(n * UNIT_BYTES[bareUnit]) : undefined;
  }
  const base = m[3] ? 1024 : 1000;
  return Math.ceil(n * base ** POWER[m[2].toLowerCase()]);
}

function isBinary(unit: SizeUnit): boolean {
  return unit === 'MiB' || unit === 'GiB';
}

/** Suffixes a format reads besides a bare number, in the spelling given by the format. */
function acceptedSuffixes(format: SizeFormat): string[] {
  const list = [...(format.suffix ? [format.suffix] : []), ...(format.accepts ?? [])];
  return [...new Set(list)];
}

/** Bytes that one `suffix` stands for when this driver reads it, or undefined if it is not a size suffix. */
function suffixBytes(suffix: string, format: SizeFormat): number | undefined {
  const m = /^([kmgtp])(i)?b?$/i.exec(suffix);
  if (!m) return undefined;
  const base = m[2] || isBinary(format.unit) ? 1024 : 1000;
  return base ** POWER[m[1].toLowerCase()];
}

/** How the driver itself reads `value` (bytes), or undefined when the value is not in its format. */
export function parseDriverSize(value: string, format: SizeFormat): number | undefined {
  if (checkSizeValue(value, format) !== undefined) return undefined;
  const m = /^(\d+)([a-z]*)$/i.exec(value)!;
  const n = Number(m[1]);
  if (m[2] === '') {
    const bare = format.bareUnit ?? format.unit;
    return n * UNIT_BYTES[bare];
  }
  const per = suffixBytes(m[2], format);
  return per === undefined ? undefined : n * per;
}

function example(format: SizeFormat): string {
  return format.style === 'int' ? '10' : `10${format.suffix ?? ''}`;
}

/** Whether `value`, as written in driver_opts, is in the driver's format: a problem message, or undefined. */
export function checkSizeValue(value: string, format: SizeFormat): string | undefined {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/i.exec(value);
  if (!m) return `"${value}" is not a size: write a whole number${format.style === 'suffix' ? ' and a unit' : ''}, such as "${example(format)}"`;
  const [, num, suffix] = m;
  if (num.includes('.')) {
    return `"${value}" is not a whole number: write it in a smaller unit or round it up, such as "${example(format)}"`;
  }
  if (suffix === '') {
    if (format.style === 'int' || format.bareUnit) return undefined;
    return `"${value}" has no unit: this driver wants a unit, such as "${example(format)}"`;
  }
  const accepted = acceptedSuffixes(format);
  if (accepted.some((s) => s.toLowerCase() === suffix.toLowerCase())) return undefined;
  if (format.style === 'int') {
    return `"${value}" has a unit: this driver wants a whole number of ${format.unit} without a unit, such as "10"`;
  }
  return `"${value}" uses a unit this driver does not read: use ${accepted.map((s) => `"${s}"`).join(', ')}, such as "${example(format)}"`;
}

/**
 * `bytes` written in the driver's format. When the driver's main unit cannot hold it exactly, a smaller accepted
 * suffix that can is used (suffix style only); failing that the value is rounded UP, so a volume is never smaller
 * than asked, and `exact` is false.
 */
export function formatSize(bytes: number, format: SizeFormat): { value: string; exact: boolean } {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`not a size in bytes: ${bytes}`);
  const b = Math.ceil(bytes);
  const unit = UNIT_BYTES[format.unit];
  const written = format.style === 'suffix' ? (format.suffix ?? '') : '';
  if (b % unit === 0) return { value: `${b / unit}${written}`, exact: true };
  if (format.style === 'suffix') {
    const smaller = acceptedSuffixes(format)
      .map((s) => ({ s, per: suffixBytes(s, format) }))
      .filter((x): x is { s: string; per: number } => x.per !== undefined && x.per < unit && b % x.per === 0)
      .sort((x, y) => y.per - x.per);
    if (smaller.length > 0) return { value: `${b / smaller[0].per}${smaller[0].s}`, exact: true };
  }
  return { value: `${Math.ceil(b / unit)}${written}`, exact: false };
}
