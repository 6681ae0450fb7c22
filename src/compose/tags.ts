/**
 * The Compose merge tags: `!reset` (drop what earlier files set, and this value too) and `!override`
 * (replace what earlier files set instead of merging into it).
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  YAMLMap,
  YAMLSeq,
  type CollectionTag,
  type Document,
  type Node,
  type ScalarTag,
  type Tags,
} from 'yaml';
import { InputError, type DocPath } from '../findings.js';
import { resolveAlias, type SourceFile } from './load.js';
import { keyName } from './locate.js';

export const RESET = '!reset';

/** A `<<` key, whether the parser resolved merge keys (a symbol) or left it a plain "<<". */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}
export const OVERRIDE = '!override';

// A tagged scalar keeps the value the untagged scalar would have had.
function coreScalar(text: string): unknown {
  if (/^(?:|~|null|Null|NULL)$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

function tagsFor(tag: string): (CollectionTag | ScalarTag)[] {
  const never = () => false;
  return [
    { tag, collection: 'map', nodeClass: YAMLMap, identify: never, resolve: (map) => map },
    { tag, collection: 'seq', nodeClass: YAMLSeq, identify: never, resolve: (seq) => seq },
    { tag, identify: never, resolve: coreScalar },
  ];
}

/** Pass as `customTags` so both tags parse without warnings and stay on their nodes. */
export const composeTags: (CollectionTag | ScalarTag)[] = [...tagsFor(RESET), ...tagsFor(OVERRIDE)];

/**
 * A leading 0 makes an integer octal, as in the YAML readers of Compose and the docker CLI (`mode: 0440` is
 * 288). The YAML 1.2 core schema alone would read 440, and a resolved or converted file would then change a
 * secret's permissions.
 */
const octalInt: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  identify: () => false,
  test: /^[-+]?0[0-7]+$/,
  resolve: (text: string) => parseInt(text, 8),
};

/** The schema's tags for Compose files: the octal reading first, then the core ones, then !reset and !override. */
export function composeSchemaTags(tags: Tags): Tags {
  return [octalInt, ...tags, ...composeTags];
}

export interface TaggedPaths {
  reset: DocPath[];
  override: DocPath[];
}

/** Past this many tagged paths, aliases are multiplying them: refuse, as toPlain refuses alias bombs. */
const MAX_TAGGED_PATHS = 10_000;

/** Whether a file can hold tags at all: every tag is written with "!", and most files have none. */
export function mayHoldTags(src: SourceFile): boolean {
  return src.text.includes('!');
}

/**
 * Where the tags sit, as paths of the file's plain value: aliases are followed and `<<` merges add no step,
 * the same way toJS() lays the value out.
 */
export function findTaggedPaths(src: SourceFile): TaggedPaths {
  const found: TaggedPaths = { reset: [], override: [] };
  if (!mayHoldTags(src)) return found;
  const memo = new Map<unknown, boolean>();
  const deref = (node: unknown): unknown => (isAlias(node) ? resolveAlias(src.doc, node) : node);

  const hasTag = (node: unknown, stack: Set<unknown>): boolean => {
    node = deref(node);
    if (!node || typeof node !== 'object' || stack.has(node)) return false;
    const known = memo.get(node);
    if (known !== undefined) return known;
    stack.add(node);
    let result = (node as Node).tag === RESET || (node as Node).tag === OVERRIDE;
    if (!result && isMap(node)) result = node.items.some((pair) => hasTag(pair.value, stack));
    if (!result && isSeq(node)) result = node.items.some((item) => hasTag(item, stack));
    stack.delete(node);
    memo.set(node, result);
    return result;
  };

  const walk = (raw: unknown, path: DocPath, stack: Set<unknown>): void => {
    const node = deref(raw);
    if (!hasTag(node, new Set()) || stack.has(node)) return;
    if (found.reset.length + found.override.length > MAX_TAGGED_PATHS) {
      throw new InputError('refusing to expand aliases: too many !reset/!override tags', { file: src.file, line: 1, col: 1 });
    }
    const tag = (node as Node).tag;
    if (tag === RESET) {
      found.reset.push(path);
      return;
    }
    if (tag === OVERRIDE) found.override.push(path);
    stack.add(node);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyName(pair.key);
        if (isMergeKey(pair.key)) {
          const value = deref(pair.value);
          for (const source of isSeq(value) ? value.items : [value]) walk(source, path, stack);
        } else if (key !== undefined) {
          walk(pair.value, [...path, key], stack);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i], stack));
    }
    stack.delete(node);
  };

  walk(src.doc.contents, [], new Set());
  return found;
}

/**
 * Applies the tags' meaning to a single document in place, for readers that ignore them (docker stack):
 * `!reset` values are removed, `!override` tags are dropped.
 */
export function stripComposeTags(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && hasOwnTag(pair.value, RESET)) return visit.REMOVE;
      return undefined;
    },
    Node(_, node) {
      if (hasOwnTag(node, RESET)) return visit.REMOVE;
      if (hasOwnTag(node, OVERRIDE)) (node as Node).tag = undefined;
      return undefined;
    },
  });
}

function hasOwnTag(node: unknown, tag: string): boolean {
  return (isScalar(node) || isMap(node) || isSeq(node)) && node.tag === tag;
}
