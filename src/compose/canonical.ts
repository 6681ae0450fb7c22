/**
 * The resolved output: one file equivalent to all the inputs, like `docker compose config`.
 *
 * Key order: top level `name`, `services`, `networks`, `volumes`, `secrets`, `configs`, `models`, then any other
 * key (x-* extensions) alphabetically; every mapping below the top level alphabetically; sequences as merged.
 * `version` (obsolete) and `include` (resolved) are left out. Values are literal, so a `$` is written `$$`
 * for Compose and docker stack, which interpolate what they read.
 */
import { Document } from 'yaml';
import { isTree, type Tree } from './merge.js';

export const TOP_LEVEL_ORDER = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models'];
const DROPPED = new Set(['version', 'include']);

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function topLevelRank(key: string): number {
  const i = TOP_LEVEL_ORDER.indexOf(key);
  return i < 0 ? TOP_LEVEL_ORDER.length : i;
}

/** The model as written out: sorted, `$` escaped, with the project name pinned when one is known. */
export function canonicalModel(model: Tree, projectName?: string): Tree {
  const out: Tree = {};
  const top = { ...model };
  if (projectName !== undefined) top.name = projectName;
  const keys = Object.keys(top)
    .filter((key) => !DROPPED.has(key))
    .sort((a, b) => topLevelRank(a) - topLevelRank(b) || byCodeUnit(a, b));
  for (const key of keys) define(out, key, canonicalValue(top[key]));
  return out;
}

function canonicalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (isTree(value)) {
    const out: Tree = {};
    for (const key of Object.keys(value).sort(byCodeUnit)) define(out, key, canonicalValue(value[key]));
    return out;
  }
  return typeof value === 'string' ? value.replaceAll('$', () => '$$') : value;
}

function define(target: Tree, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A fresh Document of the canonical model. Strings are quoted by YAML 1.1 rules, which the docker CLI follows:
 * "yes", "on", "010" or "1_000" stay strings instead of turning into booleans and numbers.
 */
export function canonicalDocument(model: Tree, projectName?: string): Document {
  return new Document(canonicalModel(model, projectName), {
    version: '1.1',
    aliasDuplicateObjects: false,
    toStringDefaults: { lineWidth: 0 },
  });
}
