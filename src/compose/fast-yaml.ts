/**
 * A fast reader for the plain block YAML that most Compose files are written in.
 *
 * The yaml library reads a 5000-service stack in well over a second; most of that is its general lexer, parser and
 * composer. This reader handles a strict subset line by line: block maps and sequences, plain and one-line quoted
 * scalars, one-line flow collections, literal block scalars, anchors and aliases, comments and blank lines. It
 * builds the same Document the library would (same node classes, values, types and ranges; comments are not
 * attached to nodes), and returns undefined for anything else: tags, folded scalars, multi-line plain or quoted
 * scalars, multi-line flow collections, directives, several documents, tabs, CR line ends, invalid YAML. The caller then parses with the library, so errors and
 * unusual files are reported exactly as before. test/compose/fast-yaml.test.ts compares both on every fixture
 * and on generated files.
 *
 * Ranges follow the library's rules: a value's range ends after the rest of its line, and comment lines indented
 * deeper than its collection that follow it belong to it; blank and comment lines after the last item of a
 * collection belong to the innermost collection that one of the comments is indented into.
 */
import { Document, Scalar, isScalar, type Alias, type DocumentOptions, type LineCounter, type ParseOptions, type Schema, type SchemaOptions, type YAMLMap, type YAMLSeq } from 'yaml';
import { joinedTests, nodeFactory, plainKey, plainOfNode, setPlain, unescape, unsupported, UNSUPPORTED, type NodeFactory } from './fast-yaml-nodes.js';
import { MAX_NESTING } from './limits.js';

type Range = [number, number, number];
type Node = Scalar | YAMLMap | YAMLSeq | Alias;

const BLANK = 0;
const COMMENT = 1;
const CONTENT = 2;

/** Characters that cannot start a plain scalar (YAML c-indicator, minus "-?:" which may when followed by text). */
const INDICATORS = new Set([',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const FLOW_INDICATORS = new Set([',', '[', ']', '{', '}']);

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * The major version of the yaml library whose node classes, ranges and plain values this reader reproduces. The
 * dependency's range cannot move past it, and a test fails when the installed one differs.
 */
export const YAML_MAJOR = 2;

export interface FastRead {
  doc: Document;
  /**
   * The plain value, built while reading, as `doc.toJS()` lays it out (keys as strings, a later key replacing an
   * earlier one in place, an alias standing for the same value as its anchor). The library's toJS() looks up
   * each alias's anchor by walking the nodes before it, quadratic in a file with an anchor on every service.
   * Undefined when the options apply `<<` merge keys (Compose files are read without).
   */
  plain: unknown;
  /** Whether the document holds aliases: its plain value is then checked against the alias limit before use. */
  aliased: boolean;
  /**
   * Whether some map may repeat a key (two keys with the same name as a string: `1` and "1" count). When false,
   * no key repeats and none is a collection or an alias (the reader takes only scalar keys), so the caller need
   * not look for one.
   */
  repeatedKeys: boolean;
}

/** The document and plain value of a text in the subset this reader knows; undefined for any other text. */
export function parseSimpleYaml(text: string, options: YamlOptions, lineCounter?: LineCounter): FastRead | undefined {
  // Control characters, tabs, CR, BOM and the Unicode line separators are left to the library.
  if (/[\x00-\x09\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(text)) return undefined;
  const doc = new Document(undefined, { ...options, lineCounter }) as Document;
  if (doc.schema.compat) return undefined;
  try {
    const reader = new Reader(text, doc);
    reader.read();
    if (lineCounter) for (const start of reader.lineStarts()) lineCounter.addNewLine(start);
    // With `merge` on, toJS() applies `<<` keys: that plain value is the library's to build.
    const merges = text.includes('<<') && (doc.schema.tags as { tag: string; default?: unknown }[]).some((tag) => tag.tag === MERGE_TAG && tag.default);
    return { doc, plain: merges ? undefined : reader.value(), aliased: reader.aliased, repeatedKeys: reader.repeatedKeys };
  } catch (error) {
    // Nesting deep enough to exhaust the stack is left to the library too.
    if (error === UNSUPPORTED || error instanceof RangeError) return undefined;
    throw error;
  }
}

class Reader {
  private readonly count: number;
  /** Per line: its first offset, the offset of its "\n" (or the text's length), its indent and its kind. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly indents: Int32Array;
  private readonly kinds: Uint8Array;
  private readonly schema: Schema;
  private readonly nodes: NodeFactory;
  // What the last value read leaves behind: the next content line, the first blank or comment line after the value
  // that is not part of it, whether the lines between those two still need a collection to keep them, and the
  // value's plain form (as toJS() would give it).
  private next = 0;
  private tail = 0;
  private pending = false;
  private plain: unknown = undefined;
  /** Collections open around the one being read: past MAX_NESTING the library reads the file and reports it. */
  private depth = 0;

  private enter(): void {
    if (++this.depth > MAX_NESTING) unsupported();
  }
  /** Just past the ":" of the last key read. */
  private after = 0;
  /** Anchors defined so far with the plain value of their node, and whether any alias was read. */
  private readonly anchors = new Map<string, unknown>();
  aliased = false;
  /** Whether a map read so far has two keys of the same name (see FastRead.repeatedKeys). */
  repeatedKeys = false;
  /** Match whatever some default tag's test matches, for values and for keys (undefined when they cannot be joined). */
  private readonly anyTag: RegExp | undefined;
  private readonly anyKeyTag: RegExp | undefined;

  constructor(
    private readonly text: string,
    private readonly doc: Document,
  ) {
    this.schema = doc.schema;
    this.nodes = nodeFactory(this.schema);
    this.anyTag = joinedTests(this.schema, false);
    this.anyKeyTag = joinedTests(this.schema, true);
    // One entry per line, in typed arrays: no object per line for the collector to copy.
    let count = 1;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
    this.count = count;
    this.starts = new Int32Array(count);
    this.ends = new Int32Array(count);
    this.indents = new Int32Array(count);
    this.kinds = new Uint8Array(count);
    let start = 0;
    for (let i = 0; i < count; i++) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      let indent = start;
      while (text.charCodeAt(indent) === 32) indent++;
      this.starts[i] = start;
      this.ends[i] = end;
      this.indents[i] = indent - start;
      this.kinds[i] = indent === end ? BLANK : text.charCodeAt(indent) === 35 ? COMMENT : CONTENT;
      start = end + 1;
    }
  }

  value(): unknown {
    return this.plain;
  }

  /** Where each line starts, as the library's LineCounter records them. */
  lineStarts(): Int32Array {
    return this.starts;
  }

  read(): void {
    const first = this.nextContent(0);
    if (first === this.count || this.indents[first] !== 0) unsupported();
    const top = this.blockMap(first, this.starts[first]);
    if (this.next !== this.count) unsupported();
    const contentEnd = top.range![2];
    const trailing = this.trailingEnd(this.tail, this.count);
    this.doc.contents = top;
    this.doc.range = [this.starts[first], contentEnd, this.pending && trailing !== undefined ? trailing : contentEnd];
  }

  // ---- lines -------------------------------------------------------------------------------------------------

  /** Whether offset p holds a space or a line break, or is the end of the text. */
  private spaceOrEnd(p: number): boolean {
    const c = this.text.charCodeAt(p);
    return c === 32 || c === 10 || Number.isNaN(c);
  }

  /** Whether a sequence item ("- " or "-" at the line end) starts at offset p. */
  private itemAt(p: number): boolean {
    return this.text[p] === '-' && this.spaceOrEnd(p + 1);
  }

  /** Whether the ":" of an implicit key is at offset p: followed by a space or the line end (`end`). */
  private keyColonAt(p: number, end: number): boolean {
    return this.text[p] === ':' && (p + 1 === end || this.text[p + 1] === ' ');
  }

  private nextContent(from: number): number {
    let i = from;
    while (i < this.count && this.kinds[i] !== CONTENT) i++;
    return i;
  }

  /** Offset just past line i, its "\n" included. */
  private afterLine(i: number): number {
    const end = this.ends[i];
    return end < this.text.length ? end + 1 : end;
  }

  /** The content lines of a document must not be document markers or directives. */
  private contentAt(i: number): number {
    const at = this.starts[i] + this.indents[i];
    if (this.indents[i] === 0 && (/^(---|\.\.\.)( |$)/.test(this.text.slice(at, at + 4)) || this.text[at] === '%')) unsupported();
    return at;
  }

  // ---- block collections -----------------------------------------------------------------------------------

  /** A block map whose first key starts at `at` on line `i`; its indent is that key's column. */
  private blockMap(i: number, at: number): YAMLMap {
    this.enter();
    const indent = at - this.starts[i];
    const map = this.nodes.map();
    const plain: Record<string, unknown> = {};
    let line = i;
    let keyAt = at;
    for (;;) {
      const key = this.blockKey(line, keyAt);
      const value = this.blockValue(line, this.after, indent);
      map.items.push(this.nodes.pair(key, value));
      if (setPlain(plain, key, this.plain)) this.repeatedKeys = true;
      const next = this.next;
      if (next < this.count && this.indents[next] === indent) {
        line = next;
        keyAt = this.contentAt(next);
        if (this.itemAt(keyAt)) unsupported();
        continue;
      }
      if (next < this.count && this.indents[next] > indent) unsupported();
      this.close(map, indent, at, value);
      this.plain = plain;
      this.depth--;
      return map;
    }
  }

  /** A block sequence whose first "-" is at `at` on line `i`; `atKeyIndent` when it sits at its key's indent. */
  private blockSeq(i: number, at: number, atKeyIndent = false): YAMLSeq {
    this.enter();
    const indent = at - this.starts[i];
    const seq = this.nodes.seq();
    const plain: unknown[] = [];
    let line = i;
    let dash = at;
    for (;;) {
      let content = dash + 1;
      while (this.text.charCodeAt(content) === 32) content++;
      // "- " followed by nothing, a comment or another "- " is left to the library.
      if (content === dash + 1 || content >= this.ends[line] || this.text[content] === '#') unsupported();
      if (this.itemAt(content)) unsupported();
      let item: Node;
      if (this.text[content] === '&') {
        // "- &a value"; an anchor on a key ("- &a key: value") or on a block below is left to the library.
        const anchor = this.anchorProperty(content, this.ends[line]);
        const value = this.skipSpaces(content + 1 + anchor.length, this.ends[line]);
        if (value >= this.ends[line] || this.text[value] === '#' || this.isKeyLine(value, this.ends[line])) unsupported();
        item = this.anchored(this.inlineValue(line, value, indent), anchor);
      } else {
        item = this.isKeyLine(content, this.ends[line]) ? this.blockMap(line, content) : this.inlineValue(line, content, indent);
      }
      seq.items.push(item);
      plain.push(this.plain);
      const next = this.next;
      if (next < this.count && this.indents[next] === indent) {
        const start = this.contentAt(next);
        if (this.itemAt(start)) {
          line = next;
          dash = start;
          continue;
        }
        // At its key's indent, the sequence ends where the mapping's next key begins.
        if (!atKeyIndent) unsupported();
      }
      if (next < this.count && this.indents[next] > indent) unsupported();
      this.close(seq, indent, at, item);
      this.plain = plain;
      this.depth--;
      return seq;
    }
  }

  /** Records what a value just read leaves behind (see the fields `next`, `tail`, `pending`, `plain`). */
  private settle(next: number, tail: number, pending: boolean, plain: unknown): void {
    this.next = next;
    this.tail = tail;
    this.pending = pending;
    this.plain = plain;
  }

  /**
   * A collection ends with its last item. The blank and comment lines after that item (up to the next content
   * line), if no collection inside it kept them, are kept by this one when one of the comments is indented at or
   * beyond its indent (a collection at indent 0 never keeps them); it then ends where they end. Otherwise they go
   * to the parent: to the start of its next item, or to it in the same way when it ends too.
   */
  private close(node: YAMLMap | YAMLSeq, indent: number, at: number, last: Node): void {
    const valueEnd = last.range![2];
    let end = valueEnd;
    if (this.pending && indent !== 0) {
      const trailing = this.trailingEnd(this.tail, this.next);
      let deepest = -1;
      for (let i = this.tail; i < this.next; i++) if (this.kinds[i] === COMMENT) deepest = Math.max(deepest, this.indents[i]);
      if (trailing !== undefined && deepest >= indent) {
        end = trailing;
        this.pending = false;
      }
    }
    node.range = [at, valueEnd, end];
  }

  /** Where the blank and comment lines from `tail` to content line `next` end (with its indent), if there are any. */
  private trailingEnd(tail: number, next: number): number | undefined {
    const end = next < this.count ? this.starts[next] + this.indents[next] : this.text.length;
    const start = tail < this.count ? this.starts[tail] : this.text.length;
    return end > start ? end : undefined;
  }

  // ---- keys and values ---------------------------------------------------------------------------------------

  /** Whether the text from `at` to `end` starts with an implicit key followed by ": " or ":" at the line end. */
  private isKeyLine(at: number, end: number): boolean {
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(at, end);
      return close !== -1 && this.keyColonAt(close, end);
    }
    return this.plainKeyEnd(at, end) !== -1;
  }

  private plainKeyEnd(at: number, end: number): number {
    if (INDICATORS.has(this.text[at])) return -1;
    for (let p = at; p < end; p++) {
      const c = this.text[p];
      if (this.keyColonAt(p, end)) return p;
      if (c === '#' && this.text[p - 1] === ' ') return -1;
    }
    return -1;
  }

  /** The key at `at`; `this.after` is then just past its ":". */
  private blockKey(line: number, at: number): Scalar {
    const end = this.ends[line];
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(at, end);
      if (close === -1 || !this.keyColonAt(close, end)) unsupported();
      this.after = close + 1;
      return this.quoted(at, close);
    }
    const colon = this.plainKeyEnd(at, end);
    if (colon === -1) unsupported();
    const source = this.text.slice(at, colon);
    if (!this.plainStart(source, false) || source.endsWith(' ')) unsupported();
    this.after = colon + 1;
    return this.scalar(source, 'PLAIN', [at, colon, colon], true);
  }

  /** The value of a block map key whose ":" ends at `after` on line `line`, in a map at `indent`. */
  private blockValue(line: number, after: number, indent: number): Node {
    const end = this.ends[line];
    let at = after;
    while (this.text.charCodeAt(at) === 32) at++;
    // An anchor: on the value that follows on this line, or on the block below.
    const anchor = this.text[at] === '&' ? this.anchorProperty(at, end) : undefined;
    if (anchor !== undefined) at = this.skipSpaces(at + 1 + anchor.length, end);
    if (at < end && this.text[at] !== '#') {
      if (this.itemAt(at)) unsupported();
      return this.anchored(this.inlineValue(line, at, indent), anchor);
    }
    // Nothing after the ":" on this line: a nested block collection, or an empty value.
    const next = this.nextContent(line + 1);
    if (next < this.count && this.indents[next] > indent) {
      const start = this.contentAt(next);
      if (this.itemAt(start)) return this.anchored(this.blockSeq(next, start), anchor);
      if (!this.isKeyLine(start, this.ends[next])) unsupported();
      return this.anchored(this.blockMap(next, start), anchor);
    }
    if (next < this.count && this.indents[next] === indent) {
      // A sequence may sit at its key's own indent ("key:\n- a").
      const start = this.contentAt(next);
      if (this.itemAt(start)) return this.anchored(this.blockSeq(next, start, true), anchor);
    }
    // An anchored empty value is left to the library.
    if (anchor !== undefined) unsupported();
    const node = this.emptyValue(line, after, at, next, indent);
    // The lines up to the next content line are the empty value's own.
    this.settle(next, next, false, node.value);
    return node;
  }

  /**
   * An empty value: the library's token list after ":" runs to the next content line; when that line continues
   * the same map, the lines after the first blank or comment line that is not indented deeper go to the next key.
   * The node sits after the spaces that follow ":", and ends where the kept tokens end if they hold a comment.
   */
  private emptyValue(line: number, after: number, at: number, next: number, indent: number): Scalar {
    // Tokens as [end offset, kind, indent].
    const tokens: Array<{ end: number; kind: 'space' | 'comment' | 'newline'; indent: number }> = [];
    const push = (i: number, from: number) => {
      const end = this.ends[i];
      const indent = this.indents[i];
      let p = from;
      while (this.text.charCodeAt(p) === 32) p++;
      if (p > from) tokens.push({ end: p, kind: 'space', indent });
      if (p < end) {
        if (this.text[p] !== '#') unsupported();
        tokens.push({ end, kind: 'comment', indent });
      }
      if (end < this.text.length) tokens.push({ end: end + 1, kind: 'newline', indent });
    };
    push(line, after);
    for (let i = line + 1; i < next; i++) push(i, this.starts[i]);
    if (next < this.count && this.indents[next] > 0) {
      tokens.push({ end: this.starts[next] + this.indents[next], kind: 'space', indent: this.indents[next] });
    }
    let kept = tokens.length;
    if (next < this.count && this.indents[next] === indent) {
      const newlines: number[] = [];
      tokens.forEach((token, index) => {
        if (token.kind === 'newline') newlines.push(index);
        else if (token.kind === 'comment' && token.indent > indent) newlines.length = 0;
      });
      if (newlines.length >= 2) kept = newlines[1];
    }
    const hasComment = tokens.slice(0, kept).some((token) => token.kind === 'comment');
    const end = kept > 0 ? tokens[kept - 1].end : after;
    const node = this.scalar('', 'PLAIN', [at, at, hasComment ? end : at], false);
    return node;
  }

  /** A scalar or flow collection starting at `at` on line `line`, the whole value on that line. */
  private inlineValue(line: number, at: number, indent: number): Node {
    const end = this.ends[line];
    if (this.text[at] === '|') return this.literal(line, at, indent);
    const { node, end: valueEnd } = this.quotedOrFlow(at, end) ?? this.blockPlain(at, end);
    // The rest of the line: spaces and a comment only.
    let p = valueEnd;
    while (this.text.charCodeAt(p) === 32) p++;
    if (p < end && (this.text[p] !== '#' || p === valueEnd)) unsupported();
    let rangeEnd = this.afterLine(line);
    // Comment lines indented deeper than the collection go with the value, blank lines between them too.
    let i = line + 1;
    let tail = i;
    for (; i < this.count && this.kinds[i] !== CONTENT; i++) {
      if (this.kinds[i] !== COMMENT) continue;
      if (this.indents[i] <= indent) break;
      rangeEnd = this.afterLine(i);
      tail = i + 1;
    }
    node.range![2] = rangeEnd;
    this.settle(this.nextContent(i), tail, true, plainOfNode(node, this.anchors));
    return node;
  }

  /**
   * A literal block scalar ("|", "|-" or "|+") whose header is at `at`, in a collection at `indent`: the lines
   * after the header that are empty or indented at least as far as its first non-empty line. An indentation
   * indicator, a line of spaces, a line between the collection's indent and the content's, or an empty scalar is
   * left to the library.
   */
  private literal(line: number, at: number, indent: number): Node {
    const end = this.ends[line];
    let p = at + 1;
    const chomp = this.text[p] === '-' || this.text[p] === '+' ? this.text[p++] : '';
    if (p < end && this.text.charCodeAt(p) !== 32) unsupported();
    const q = this.skipSpaces(p, end);
    if (q < end && this.text[q] !== '#') unsupported();
    let contentIndent = -1;
    let last = line;
    let i = line + 1;
    for (; i < this.count; i++) {
      if (this.kinds[i] === BLANK) {
        if (this.indents[i] > 0) unsupported();
        continue;
      }
      const lineIndent = this.indents[i];
      if (contentIndent === -1) {
        if (lineIndent <= indent) break;
        contentIndent = lineIndent;
      }
      if (lineIndent >= contentIndent) {
        last = i;
        continue;
      }
      if (lineIndent > indent) unsupported();
      break;
    }
    if (contentIndent === -1) unsupported();
    const lines: string[] = [];
    for (let l = line + 1; l <= last; l++) lines.push(this.kinds[l] === BLANK ? '' : this.text.slice(this.starts[l] + contentIndent, this.ends[l]));
    // Empty lines after the content: kept with "+", and then part of the node.
    let trailing = 0;
    let through = last;
    if (chomp === '+') {
      for (let l = last + 1; l < i && !(l === this.count - 1 && this.starts[l] === this.text.length); l++) {
        trailing++;
        through = l;
      }
    }
    let value = lines.join('\n');
    // A final line break unless stripped (even at the end of a file without one), and with "+" the empty lines.
    if (chomp !== '-') value += '\n'.repeat(1 + trailing);
    const rangeEnd = this.afterLine(through);
    const node = this.nodes.scalar(value);
    node.range = [at, rangeEnd, rangeEnd];
    node.source = value;
    node.type = 'BLOCK_LITERAL';
    this.settle(this.nextContent(i), through + 1, true, value);
    return node;
  }

  // ---- flow collections (one line) ---------------------------------------------------------------------------

  private flowCollection(at: number, end: number): { node: YAMLMap | YAMLSeq; end: number } {
    this.enter();
    const isMap = this.text[at] === '{';
    const close = isMap ? '}' : ']';
    const node = isMap ? this.nodes.map() : this.nodes.seq();
    node.flow = true;
    let p = this.skipSpaces(at + 1, end);
    if (this.text[p] === close) {
      node.range = [at, p + 1, p + 1];
      this.depth--;
      return { node, end: p + 1 };
    }
    // A map's key names, for FastRead.repeatedKeys.
    const names = isMap ? new Set<string>() : undefined;
    for (;;) {
      const item = this.flowNode(p, end, isMap);
      p = item.end;
      if (isMap) {
        // "key: " right after the key; a space before the ":" is left to the library.
        if (item.node.range![1] !== p || this.text[p] !== ':' || this.text[p + 1] !== ' ') unsupported();
        const value = this.flowNode(this.skipSpaces(p + 1, end), end, false);
        const name = plainKey(item.node as Scalar);
        if (names!.has(name)) this.repeatedKeys = true;
        names!.add(name);
        (node as YAMLMap).items.push(this.nodes.pair(item.node as Scalar, value.node));
        p = value.end;
      } else {
        (node as YAMLSeq).items.push(item.node);
      }
      if (this.text[p] === close) {
        node.range = [at, p + 1, p + 1];
        this.depth--;
        return { node, end: p + 1 };
      }
      if (this.text[p] !== ',') unsupported();
      p = this.skipSpaces(p + 1, end);
      if (this.text[p] === close || this.text[p] === ',') unsupported();
    }
  }

  /** One item of a flow collection; its range takes in the spaces after it. */
  private flowNode(at: number, end: number, atKey: boolean): { node: Node; end: number } {
    // A collection or an alias as a key is left to the library.
    if (atKey && (this.text[at] === '[' || this.text[at] === '{' || this.text[at] === '*')) unsupported();
    const { node, end: valueEnd } = this.quotedOrFlow(at, end) ?? this.flowPlain(at, end, atKey);
    const after = this.skipSpaces(valueEnd, end);
    node.range![2] = after;
    if (after >= end) unsupported();
    return { node, end: after };
  }

  /** A one-line quoted scalar or flow collection, or an alias, at `at`, and the offset just past it; undefined for anything else. */
  private quotedOrFlow(at: number, end: number): { node: Node; end: number } | undefined {
    const c = this.text[at];
    if (c === '*') return this.alias(at, end);
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(at, end);
      if (close === -1) unsupported();
      return { node: this.quoted(at, close), end: close };
    }
    if (c === '[' || c === '{') return this.flowCollection(at, end);
    return undefined;
  }

  /** A plain scalar in a block, up to a comment or the line end. */
  private blockPlain(at: number, end: number): { node: Node; end: number } {
    let stop = end;
    for (let p = at; p < end; p++) {
      if (this.text[p] === '#' && this.text[p - 1] === ' ') {
        stop = p;
        break;
      }
    }
    while (stop > at && this.text[stop - 1] === ' ') stop--;
    const source = this.text.slice(at, stop);
    if (!this.plainStart(source, false) || source.includes(': ') || source.endsWith(':')) unsupported();
    return { node: this.scalar(source, 'PLAIN', [at, stop, stop], false), end: stop };
  }

  /** A plain scalar in a flow collection: up to a flow indicator, ": " or a comment. */
  private flowPlain(at: number, end: number, atKey: boolean): { node: Node; end: number } {
    let p = at;
    let last = at;
    while (p < end) {
      const ch = this.text[p];
      if (FLOW_INDICATORS.has(ch)) break;
      if (ch === ':' && (p + 1 === end || this.text[p + 1] === ' ' || FLOW_INDICATORS.has(this.text[p + 1]))) break;
      if (ch === '#' && this.text[p - 1] === ' ') break;
      p++;
      if (ch !== ' ') last = p;
    }
    const source = this.text.slice(at, last);
    if (source === '' || !this.plainStart(source, true)) unsupported();
    return { node: this.scalar(source, 'PLAIN', [at, last, last], atKey), end: last };
  }

  /** The name of the anchor or alias whose "&" or "*" is at `at`: up to a space, a flow indicator or the line end. */
  private anchorName(at: number, end: number): string {
    let p = at + 1;
    while (p < end && this.text.charCodeAt(p) !== 32 && !FLOW_INDICATORS.has(this.text[p])) p++;
    const name = this.text.slice(at + 1, p);
    // An empty name, or one ending in ":" (which the library reads with a warning), is left to it.
    if (name === '' || name.endsWith(':')) unsupported();
    return name;
  }

  /** The name of an anchor whose "&" is at `at`; a space or the line end must follow it. */
  private anchorProperty(at: number, end: number): string {
    const name = this.anchorName(at, end);
    const after = at + 1 + name.length;
    if (after < end && this.text.charCodeAt(after) !== 32) unsupported();
    return name;
  }

  /** `node` with its anchor, which later aliases may then use; a name used twice is left to the library. */
  private anchored<T extends Node>(node: T, anchor: string | undefined): T {
    if (anchor === undefined) return node;
    if (this.anchors.has(anchor)) unsupported();
    node.anchor = anchor;
    // The node was the last value read: its plain value is the one just settled.
    this.anchors.set(anchor, this.plain);
    return node;
  }

  /** An alias of an anchor defined before it. */
  private alias(at: number, end: number): { node: Node; end: number } {
    const name = this.anchorName(at, end);
    if (!this.anchors.has(name)) unsupported();
    const stop = at + 1 + name.length;
    const node = this.nodes.alias(name);
    node.range = [at, stop, stop];
    this.aliased = true;
    return { node, end: stop };
  }

  private skipSpaces(p: number, end: number): number {
    while (p < end && this.text.charCodeAt(p) === 32) p++;
    return p;
  }

  // ---- scalars -----------------------------------------------------------------------------------------------

  private plainStart(source: string, flow: boolean): boolean {
    if (source === '') return false;
    const c = source[0];
    if (INDICATORS.has(c)) return false;
    if ((c === '-' || c === '?' || c === ':') && (source.length === 1 || source[1] === ' ' || (flow && FLOW_INDICATORS.has(source[1])))) return false;
    return true;
  }

  /** The offset just past the closing quote of a one-line quoted scalar at `at`, or -1. */
  private quotedEnd(at: number, end: number): number {
    const quote = this.text[at];
    for (let p = at + 1; p < end; p++) {
      const c = this.text[p];
      if (quote === '"' && c === '\\') {
        p++;
        continue;
      }
      if (c === quote) {
        if (quote === "'" && this.text[p + 1] === "'") {
          p++;
          continue;
        }
        return p + 1;
      }
    }
    return -1;
  }

  private quoted(at: number, close: number): Scalar {
    const raw = this.text.slice(at + 1, close - 1);
    let value: string;
    let type: Scalar.Type;
    if (this.text[at] === "'") {
      value = raw.replaceAll("''", "'");
      type = 'QUOTE_SINGLE';
    } else {
      value = raw.includes('\\') ? unescape(raw) : raw;
      type = 'QUOTE_DOUBLE';
    }
    const node = this.nodes.scalar(value);
    node.range = [at, close, close];
    node.source = value;
    node.type = type;
    return node;
  }

  private tagFor(source: string, atKey: boolean) {
    return this.schema.tags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(source)) as
      | { resolve: (value: string, onError: (message: string) => void, options: unknown) => unknown; format?: string }
      | undefined;
  }

  /** A plain scalar resolved by the schema's tags, as the library does (the first default tag whose test matches). */
  private scalar(source: string, type: 'PLAIN', range: Range, atKey: boolean): Scalar {
    // One test for all tags first: most values are strings that none matches.
    const any = atKey ? this.anyKeyTag : this.anyTag;
    const tag = any && !any.test(source) ? undefined : this.tagFor(source, atKey);
    let node: Scalar;
    if (tag) {
      const resolved = tag.resolve(source, () => unsupported(), this.doc.options);
      node = isScalar(resolved) ? resolved : this.nodes.scalar(resolved);
      if (tag.format) node.format = tag.format;
    } else {
      node = this.nodes.scalar(source);
    }
    node.range = range;
    node.source = source;
    node.type = type;
    return node;
  }
}
