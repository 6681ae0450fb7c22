/**
 * The pieces of the fast reader (fast-yaml.ts) that stand in for the yaml library's composer: its nodes, the plain
 * value toJS() would give, the schema's tag tests, double-quoted escapes.
 */
import { hasOwn, setOwn } from '../own.js';
import { Alias, Pair, Scalar, YAMLMap, YAMLSeq, type Schema } from 'yaml';

type Node = Scalar | YAMLMap | YAMLSeq | Alias;

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
export const UNSUPPORTED = Symbol('unsupported');

export function unsupported(): never {
  throw UNSUPPORTED;
}

const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };

/**
 * The library's node constructors mark each node with Object.defineProperty (its type, a collection's schema),
 * which was the largest single cost of reading a large file. These nodes get the same marks from a prototype
 * below the library's class: isScalar() and the others read `node[Symbol.for('yaml.node.type')]`, which finds it
 * there, and every method is the class's own.
 */
export interface NodeFactory {
  scalar(value: unknown): Scalar;
  map(): YAMLMap;
  seq(): YAMLSeq;
  pair(key: Scalar, value: Node): Pair;
  alias(source: string): Alias;
}

const NODE_TYPE = Symbol.for('yaml.node.type');

export function nodeFactory(schema: Schema): NodeFactory {
  const mark = (proto: object, type: string, extra: PropertyDescriptorMap = {}) =>
    Object.create(proto, { [NODE_TYPE]: { value: Symbol.for(type) }, ...extra }) as object;
  const collection = { schema: { value: schema, writable: true, configurable: true } };
  const scalar = mark(Scalar.prototype, 'yaml.scalar');
  const map = mark(YAMLMap.prototype, 'yaml.map', collection);
  const seq = mark(YAMLSeq.prototype, 'yaml.seq', collection);
  const pair = mark(Pair.prototype, 'yaml.pair');
  return {
    scalar(value) {
      const node = Object.create(scalar) as Scalar;
      node.value = value;
      return node;
    },
    map() {
      const node = Object.create(map) as YAMLMap;
      node.items = [];
      return node;
    },
    seq() {
      const node = Object.create(seq) as YAMLSeq;
      node.items = [];
      return node;
    },
    pair(key, value) {
      const node = Object.create(pair) as Pair;
      node.key = key;
      node.value = value;
      return node;
    },
    // Few enough to make the library's way.
    alias: (source) => new Alias(source),
  };
}

/**
 * Adds `key: value` to a plain mapping as toJS() does: the key as a string, a repeated key replaced in place.
 * Returns whether the mapping already had that name.
 */
export function setPlain(out: Record<string, unknown>, key: Scalar, value: unknown): boolean {
  const name = plainKey(key);
  const repeated = hasOwn(out, name);
  // toJS() defines a key the object already has, own or inherited (as "toString"); assigning does the same, and
  // keeps a repeated key in its first place (setOwn defines "__proto__", which assigning would take as the prototype).
  setOwn(out, name, value);
  return repeated;
}

/** The name a key has in the plain value, as toJS() gives it: a null key (`~:`) is "". */
export function plainKey(key: Scalar): string {
  return key.value === null ? '' : String(key.value);
}

/**
 * The plain value of a node this reader built, as toJS() gives it: an alias stands for the very value its anchor
 * got (`anchored`, by anchor name), shared as toJS() shares it. compose/load's nodePlain is the library's general
 * form for any node.
 */
export function plainOfNode(node: unknown, anchored?: AnchoredValues): unknown {
  const type = (node as { [NODE_TYPE]?: symbol } | null)?.[NODE_TYPE];
  if (type === ALIAS_TYPE) return anchored?.get((node as Alias).source);
  let value: unknown;
  if (type === MAP_TYPE) {
    const out: Record<string, unknown> = {};
    for (const { key, value } of (node as YAMLMap<Scalar, unknown>).items) setPlain(out, key, plainOfNode(value, anchored));
    value = out;
  } else if (type === SEQ_TYPE) value = (node as YAMLSeq).items.map((item) => plainOfNode(item, anchored));
  else value = (node as Scalar).value;
  const anchor = (node as { anchor?: string }).anchor;
  if (anchor && anchored?.made) anchored.made(anchor, value);
  return value;
}

/** The values of anchors for their aliases; `made` learns the value an anchored node got on its own. */
export interface AnchoredValues {
  get(name: string): unknown;
  made?(name: string, value: unknown): void;
}

const MAP_TYPE = Symbol.for('yaml.map');
const SEQ_TYPE = Symbol.for('yaml.seq');
const ALIAS_TYPE = Symbol.for('yaml.alias');

export function joinedTests(schema: Schema, atKey: boolean): RegExp | undefined {
  const tags = schema.tags as Array<{ default?: boolean | 'key'; test?: RegExp }>;
  const tests = tags.filter((tag) => (tag.default === true || (atKey && tag.default === 'key')) && tag.test).map((tag) => tag.test!);
  return tests.every((test) => test.flags === '') ? new RegExp(tests.map((test) => `(?:${test.source})`).join('|')) : undefined;
}

/** The value of a one-line double-quoted scalar's text; escapes the library would reject are left to it. */
export function unescape(raw: string): string {
  let out = '';
  for (let p = 0; p < raw.length; p++) {
    const c = raw[p];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = raw[++p];
    if (e in ESCAPES) {
      out += ESCAPES[e];
      continue;
    }
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = raw.slice(p + 1, p + 1 + digits);
    if (digits === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) unsupported();
    const code = parseInt(hex, 16);
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) unsupported();
    out += String.fromCodePoint(code);
    p += digits;
  }
  return out;
}
