/**
 * What an earlier render wrote and a new render replaces. A volume that carries the class label was rendered
 * before: the label keys, the `name:` and the placement constraints its class gives in any environment are the
 * tool's, not the user's, so a render for another environment takes away those the new mapping does not give.
 * What the user wrote never matches (other keys, other constraints) and is never removed.
 */
import { effectiveMapping } from '../policies/mapping.js';
import { CLASS_LABEL } from '../policies/resolve-class.js';
import type { Policy } from '../policies/types.js';
import type { Owned } from '../plan/volume-plan.js';
import { isMap, isScalar, isSeq, Scalar, type Node, type Pair } from 'yaml';
import type { SourceFile } from '../compose/load.js';
import { keyName } from '../compose/locate.js';
import { emptyRecord, own, setOwn } from '../own.js';

export type { Owned };

/**
 * Names and placement constraints the compose files write in a style render never writes (render writes every value
 * double-quoted): the user's own, never taken for what an earlier render wrote, even where they match a template
 * of the class. Keyed by volume and by service.
 */
export interface UserWritten {
  names: Record<string, string[]>;
  constraints: Record<string, string[]>;
}

export function userWritten(sources: readonly SourceFile[]): UserWritten {
  const found: UserWritten = { names: emptyRecord(), constraints: emptyRecord() };
  const add = (table: Record<string, string[]>, key: string, value: string) => {
    const list = own(table, key);
    if (list) list.push(value);
    else setOwn(table, key, [value]);
  };
  const userString = (node: unknown): string | undefined =>
    isScalar(node) && typeof node.value === 'string' && node.type !== Scalar.QUOTE_DOUBLE ? node.value : undefined;
  const entry = (map: unknown, key: string): unknown => (isMap(map) ? (map.items as Pair<Node, Node | null>[]).find((pair) => keyName(pair.key) === key)?.value : undefined);
  for (const source of sources) {
    const root = source.doc.contents;
    const volumes = entry(root, 'volumes');
    if (isMap(volumes)) {
      for (const pair of volumes.items as Pair<Node, Node | null>[]) {
        const volume = keyName(pair.key);
        const name = userString(entry(pair.value, 'name'));
        if (volume !== undefined && name !== undefined) add(found.names, volume, name);
      }
    }
    const services = entry(root, 'services');
    if (!isMap(services)) continue;
    for (const pair of services.items as Pair<Node, Node | null>[]) {
      const service = keyName(pair.key);
      const list = entry(entry(entry(pair.value, 'deploy'), 'placement'), 'constraints');
      if (service === undefined || !isSeq(list)) continue;
      for (const item of list.items) {
        const constraint = userString(item);
        if (constraint !== undefined) add(found.constraints, service, constraint);
      }
    }
  }
  return found;
}

/** What the classes (the one rendered before, and the new one) write in any of the policy's environments. */
export function ownedBy(policy: Policy, classNames: readonly string[]): Owned {
  const owned: Owned = { labels: [CLASS_LABEL], names: [], placement: [] };
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  for (const className of classNames) {
    if (!Object.hasOwn(policy.data.classes, className)) continue;
    for (const env of [undefined, ...policy.environments]) {
      const mapping = effectiveMapping(policy, className, env);
      for (const key of Object.keys(mapping.labels ?? {})) add(owned.labels, key);
      if (mapping.name !== undefined) add(owned.names, mapping.name);
      for (const constraint of mapping.placement ?? []) add(owned.placement, constraint);
    }
  }
  return owned;
}

const TOKEN = /\{\{.*?\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}|\$\$|\$\{(?:[^{}]|\{[^{}]*\})*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Whether `value` is what `template` gives for some values of its placeholders and variables. Spacing is not
 * compared, as for constraints (`a==b` is `a == b`). A placeholder stands for any text: the template is a list of
 * literal parts with a wildcard between each, matched leftmost part by part, which is as fast as searching for
 * the parts (a regular expression with one `.*` per placeholder backtracks on a long value).
 */
export function fromTemplate(value: string, template: string): boolean {
  const parts: string[] = [];
  let literal = '';
  let at = 0;
  for (const match of template.matchAll(TOKEN)) {
    literal += template.slice(at, match.index).replace(/\s+/g, '');
    const token = match[0];
    if (token.startsWith('{{')) literal += token.replace(/\s+/g, '');
    else if (token === '$$') literal += '$';
    else {
      parts.push(literal);
      literal = '';
    }
    at = match.index + token.length;
  }
  parts.push(literal + template.slice(at).replace(/\s+/g, ''));
  return matchesParts(value.replace(/\s+/g, ''), parts);
}

/** Whether `text` is parts[0], anything, parts[1], anything, ... parts[n-1]. */
function matchesParts(text: string, parts: readonly string[]): boolean {
  const first = parts[0];
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1];
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let from = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = text.indexOf(parts[i], from);
    if (found === -1 || found + parts[i].length > end) return false;
    from = found + parts[i].length;
  }
  return true;
}

/** Placement constraints that differ only in spacing are the same constraint. */
export const sameConstraint = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

/** A constraint an earlier render added that the new mapping does not give; never one of `user` (see UserWritten). */
export function staleConstraint(constraint: unknown, templates: readonly string[], wanted: readonly string[], user: readonly string[] = []): boolean {
  if (typeof constraint !== 'string' || templates.length === 0) return false;
  if (user.some((c) => sameConstraint(c, constraint))) return false;
  return templates.some((template) => fromTemplate(constraint, template)) && !wanted.some((c) => sameConstraint(c, constraint));
}

/** Label keys an earlier render wrote that the new mapping does not set. */
export function staleLabels(owned: Owned | undefined, wanted: Record<string, string>, present: Iterable<string>): Set<string> {
  const out = new Set<string>();
  if (!owned) return out;
  for (const key of present) if (owned.labels.includes(key) && !Object.hasOwn(wanted, key)) out.add(key);
  return out;
}

/** Whether a volume's `name:` was written by an earlier render, and the new mapping sets none. */
export function staleName(owned: Owned | undefined, wanted: string | undefined, current: unknown): boolean {
  if (owned === undefined || wanted !== undefined || typeof current !== 'string' || owned.userNames?.includes(current)) return false;
  return owned.names.some((template) => fromTemplate(current, template));
}
