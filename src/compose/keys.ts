/**
 * Keys that are not text. YAML reads an unquoted `007:`, `1e3:`, `0x10:`, `.5:`, `true:` or `~:` key as a number,
 * a boolean or null: the model would name the volume "7", "1000", "16", "0.5", and docker stack deploy refuses the
 * whole file ("json: unsupported type: map[interface {}]interface {}"), wherever the key is. Docker's reader also
 * takes `1_000`, `0b11` and dates (`2001-12-14`) for non-text, which YAML 1.2 keeps as text. Such a key is refused
 * at its place, with the quoted form to write.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Scalar } from 'yaml';
import type { Location } from '../findings.js';
import { positionOf, type SourceFile } from './load.js';

/** Go's integers (digits grouped with _, 0b/0o/0x), floats and dates: what Docker's reader takes for no text. */
const GO_INTEGER = /^[-+]?(0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_DATE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?[ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)?$/;

/** What a plain key is to YAML or to Docker when it is no text, in words; undefined for a text key. */
export function nonTextReading(key: Scalar): string | undefined {
  if (key.tag !== undefined || (key.type !== undefined && key.type !== 'PLAIN')) return undefined;
  const value = key.value;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'string') return 'no text';
  if (!/^[-+.0-9]/.test(value)) return undefined;
  const digits = value.replace(/_/g, '');
  if (/[0-9]/.test(digits) && (GO_INTEGER.test(digits) || GO_FLOAT.test(digits))) return 'a number by Docker';
  if (GO_DATE.test(value)) return 'a date by Docker';
  return undefined;
}

export interface NonTextKey {
  /** The key as written. */
  source: string;
  reading: string;
  at: Location;
}

/** The first key of a file that is not text, walked without recursion (a file may nest deeply). */
export function nonTextKey(src: SourceFile): NonTextKey | undefined {
  // Aliases are not followed, so each node is reached once.
  const pending: unknown[] = [src.doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object' || isAlias(node)) continue;
    if (isMap(node)) {
      // Visited in reverse, so the first key of the file is the first one found.
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    } else if (isPair(node)) {
      const key = node.key;
      if (isScalar(key)) {
        const reading = nonTextReading(key);
        if (reading !== undefined) {
          const source = typeof key.source === 'string' ? key.source : String(key.value ?? '');
          return { source, reading, at: positionOf(src, key.range?.[0] ?? 0) };
        }
      }
      pending.push(node.value);
    }
  }
  return undefined;
}
