/**
 * What an unquoted YAML value becomes, as the string a volume driver receives. The docker CLI reads stack files
 * with YAML 1.1 rules (010 is octal 8, yes is a boolean, 1_000 is 1000); YAML 1.2 readers do not.
 */
import { parse } from 'yaml';

/** The string the driver gets, or "rejected" when the reader sees a boolean (driver_opts take strings or numbers). */
export type Reading = { kind: 'string'; text: string } | { kind: 'rejected' };

export function readPlain(source: string, version: '1.1' | '1.2'): Reading | undefined {
  // Go's YAML reader has no base-60 numbers, which the 1.1 schema here would read into 1:20.
  if (version === '1.1' && source.includes(':')) return { kind: 'string', text: source };
  let value: unknown;
  try {
    value = parse(source, { version });
  } catch {
    return undefined;
  }
  if (typeof value === 'boolean') return { kind: 'rejected' };
  if (typeof value === 'string') return { kind: 'string', text: value };
  if (typeof value === 'number') return Number.isFinite(value) ? { kind: 'string', text: String(value) } : undefined;
  // Timestamps stay text in a string map; null is a schema error reported elsewhere.
  if (value instanceof Date) return { kind: 'string', text: source };
  return undefined;
}

export function describeReading(reading: Reading): string {
  return reading.kind === 'rejected' ? 'a boolean, which is rejected (driver_opts take strings)' : `"${reading.text}"`;
}
