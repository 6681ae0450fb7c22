/**
 * What an unquoted YAML value becomes, as the string a volume driver receives. Readers disagree: YAML 1.1 (yes is
 * a boolean, 010 octal 8), YAML 1.2 (yes is text, 010 is 10), and the docker CLI in between (see readDocker).
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

/**
 * The docker CLI's reader (as seen with docker 28): YAML 1.2 for booleans (only true/false; yes and on stay text)
 * and 0o/0x numbers, but a leading 0 still means octal (010 is 8) and digits may be grouped with _ (1_000).
 */
export function readDocker(source: string): Reading | undefined {
  if (/^[-+]?0[0-7]+$/.test(source)) return { kind: 'string', text: String(parseInt(source, 8)) };
  if (/^[-+]?[0-9][0-9_]*_[0-9_]*$/.test(source)) return { kind: 'string', text: String(Number(source.replace(/_/g, ''))) };
  return readPlain(source, '1.2');
}
