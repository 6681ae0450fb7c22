/** Document path -> yaml node -> file:line:col. Follows aliases and `<<` merge keys the way toJS() does. */
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { DocPath, Location } from '../findings.js';
import { positionOf, resolveAlias, type SourceFile } from './load.js';
import { originAt } from './merge.js';

export interface Located {
  node?: Node;
  /** The key node of the pair holding `node`, when the last step was a map key. */
  key?: Node;
  /** How many path steps were found; less than path.length when the path does not exist. */
  depth: number;
}

function deref(src: SourceFile, node: unknown): unknown {
  return isAlias(node) ? resolveAlias(src.doc, node) : node;
}

/** A key as the plain value names it: as toJS() does, a null key (`~:`, `null:`, an empty `?`) is "". */
export function keyName(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

/** Pairs of a map by key, built once per map: stacks have thousands of volumes and every finding is located. */
const pairIndexes = new WeakMap<object, Map<string, Pair>>();

function ownPairs(map: { items: Pair[] }): Map<string, Pair> {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const key = keyName(pair.key);
      if (key !== undefined && !index.has(key)) index.set(key, pair);
    }
    pairIndexes.set(map, index);
  }
  return index;
}

function findPair(src: SourceFile, map: unknown, name: string, seen = new Set<unknown>()): Pair | undefined {
  if (!isMap(map) || seen.has(map)) return undefined;
  seen.add(map);
  const own = ownPairs(map as { items: Pair[] }).get(name);
  if (own) return own;
  for (const pair of map.items) {
    if (keyName(pair.key) !== '<<') continue;
    const value = deref(src, pair.value);
    const sources = isSeq(value) ? value.items.map((item) => deref(src, item)) : [value];
    for (const source of sources) {
      const found = findPair(src, source, name, seen);
      if (found) return found;
    }
  }
  return undefined;
}

export function nodeAtPath(src: SourceFile, path: DocPath): Located {
  let node: unknown = src.doc.contents;
  let key: Node | undefined;
  let depth = 0;
  for (const step of path) {
    node = deref(src, node);
    if (isMap(node)) {
      const pair = findPair(src, node, String(step));
      if (!pair) break;
      key = isPair(pair) ? (pair.key as Node) : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number' && step < node.items.length) {
      key = undefined;
      node = node.items[step];
    } else {
      break;
    }
    depth++;
  }
  return { node: (node ?? undefined) as Node | undefined, key, depth };
}

/**
 * Where a path is in the file: the value's position, or the key's when asked for (or when the value is empty).
 * A path that does not exist resolves to its nearest existing ancestor.
 */
export function locate(src: SourceFile, path: DocPath, prefer: 'value' | 'key' = 'value'): Location {
  const found = nodeAtPath(src, path);
  const exact = found.depth === path.length;
  const target = (prefer === 'key' && exact && found.key) || (found.node?.range ? found.node : found.key);
  const offset = target?.range?.[0];
  if (offset === undefined) {
    if (found.key?.range) return positionOf(src, found.key.range[0]);
    return { file: src.file, line: 1, col: 1 };
  }
  return positionOf(src, offset);
}

/** Where the value at `path` of a merged model was written (see originAt); undefined when no file wrote it. */
export function locateInModel(model: unknown, path: DocPath, prefer: 'value' | 'key' = 'value'): Location | undefined {
  const found = originAt(model, path);
  return found ? locate(found.origin.src, [...found.origin.path, ...found.rest], prefer) : undefined;
}
