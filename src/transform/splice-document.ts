/**
 * A changed copy of a source file's document, written back as edits on the source text: what the change did not
 * touch (spacing, quoting, flow sequences, comments and where they sit) stays byte for byte.
 *
 * The copy must come from the source itself (documentCopy): the two are walked side by side, and each node that
 * differs is replaced in the text at its source range. A scalar is replaced in place; an entry or a sequence item
 * that is gone is removed with its lines; anything else that changed (a mapping that became a list, items that were
 * both replaced and dropped, a tag removed) is written anew at its place, in the file's indentation. Where a change
 * cannot be placed (the document itself replaced, a mapping left empty at the top), there is no result and the
 * caller writes the document whole.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { keyName } from '../compose/locate.js';
import type { SourceFile } from '../compose/load.js';
import { TextEditor } from './text-editor.js';

/** How a node is written by the yaml library: one line for scalars and flow collections, no folding. */
const WRITE = { lineWidth: 0, doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER, verifyAliasOrder: false } as const;

/** Where a node sits: the value of a block map entry, an item of a block sequence, or inside a flow collection. */
type Place = { kind: 'pair'; pair: Pair<Node, Node | null> } | { kind: 'item' } | { kind: 'flow' };

/**
 * Whether two nodes hold the same values in the same layout: what a change makes (values, their types and quoting,
 * tags, anchors, entries removed or replaced) is all seen here, and what no change touches (comments) is not.
 */
export function sameShape(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isScalar(a) || isScalar(b)) {
    if (!isScalar(a) || !isScalar(b)) return false;
    return Object.is(a.value, b.value) && a.type === b.type && a.tag === b.tag && a.anchor === b.anchor;
  }
  if (isPair(a) || isPair(b)) return isPair(a) && isPair(b) && sameShape(a.key, b.key) && sameShape(a.value, b.value);
  if (isAlias(a) || isAlias(b)) return isAlias(a) && isAlias(b) && a.source === b.source;
  if ((isMap(a) && isMap(b)) || (isSeq(a) && isSeq(b))) {
    if (a.items.length !== b.items.length || Boolean(a.flow) !== Boolean(b.flow) || a.tag !== b.tag || a.anchor !== b.anchor) return false;
    return (a.items as unknown[]).every((item, i) => sameShape(item, (b.items as unknown[])[i]));
  }
  return false;
}

/** The source text with `changed` (a changed copy of `src.doc`) written into it; undefined where it cannot be. */
export function spliceDocument(src: SourceFile, changed: Document): string | undefined {
  const editor = new TextEditor(src);
  const splicer = new Splicer(editor);
  if (!splicer.node(src.doc.contents, changed.contents, { kind: 'flow' })) return undefined;
  return editor.result();
}

class Splicer {
  constructor(private readonly editor: TextEditor) {}

  private get text(): string {
    return this.editor.text;
  }

  /** Makes `before` read as `after` in the text; false when only its container can (by writing it anew). */
  node(before: unknown, after: unknown, place: Place): boolean {
    if (sameShape(before, after)) return true;
    if (this.inPlace(before, after)) return true;
    if (place.kind === 'flow') return false;
    return this.rewrite(before as Node, after as Node, place);
  }

  /** The change made inside the node, its own props and style kept. */
  private inPlace(before: unknown, after: unknown): boolean {
    if (isScalar(before) && isScalar(after)) {
      if (before.tag !== after.tag || before.anchor !== after.anchor || !before.range) return false;
      const written = this.write(after, true);
      if (written.includes('\n')) return false;
      this.editor.splice(before.range[0], this.editor.contentEnd(before.range[1]), written);
      return true;
    }
    const sameKind = (isMap(before) && isMap(after)) || (isSeq(before) && isSeq(after));
    if (!sameKind) return false;
    const a = before as YAMLMap | YAMLSeq;
    const b = after as YAMLMap | YAMLSeq;
    if (Boolean(a.flow) !== Boolean(b.flow) || a.tag !== b.tag || a.anchor !== b.anchor || !a.range) return false;
    if (isMap(a)) return this.map(a, b as YAMLMap);
    return this.seq(a as YAMLSeq, b as YAMLSeq);
  }

  private map(a: YAMLMap, b: YAMLMap): boolean {
    const later = new Map<string, Pair>();
    for (const pair of b.items as Pair[]) {
      const key = keyName(pair.key);
      if (key === undefined || !isScalar(pair.key)) return false;
      later.set(key, pair);
    }
    const kept: Pair[] = [];
    const gone: Pair<Node, Node | null>[] = [];
    for (const pair of a.items as Pair<Node, Node | null>[]) {
      const key = keyName(pair.key);
      if (key === undefined || !isScalar(pair.key)) return false;
      const match = later.get(key);
      if (match) kept.push(match);
      else gone.push(pair);
    }
    // Entries added, reordered or all removed: the mapping is written anew by its container.
    if (kept.length !== b.items.length || kept.some((pair, i) => pair !== b.items[i])) return false;
    if (kept.length === 0 && gone.length > 0) return false;
    if (gone.length > 0 && (a.flow || !gone.every((pair) => this.removable(pair)))) return false;
    for (const pair of a.items as Pair<Node, Node | null>[]) {
      const match = later.get(keyName(pair.key)!);
      if (!match) continue;
      if (!sameShape(pair.key, match.key)) return false;
      const place: Place = a.flow ? { kind: 'flow' } : { kind: 'pair', pair };
      if (!this.node(pair.value, match.value, place)) return false;
    }
    for (const pair of gone) this.editor.removeEntry(pair);
    return true;
  }

  /** An entry on lines of its own: nothing else (a "- " of a sequence item, another entry) starts on its first line. */
  private removable(pair: Pair<Node, Node | null>): boolean {
    const start = pair.key?.range?.[0];
    if (start === undefined) return false;
    return /^\ufeff? *$/.test(this.text.slice(this.editor.lineStart(start), start));
  }

  private seq(a: YAMLSeq, b: YAMLSeq): boolean {
    const before = a.items as Node[];
    const after = b.items as Node[];
    const place: Place = a.flow ? { kind: 'flow' } : { kind: 'item' };
    if (before.length === after.length) {
      return before.every((item, i) => this.node(item, after[i], place));
    }
    // Items dropped, the others unchanged: remove their lines (block sequences only).
    if (a.flow || after.length === 0 || after.length > before.length) return false;
    const dropped: Node[] = [];
    let j = 0;
    for (const item of before) {
      if (j < after.length && sameShape(item, after[j])) j++;
      else dropped.push(item);
    }
    if (j !== after.length || dropped.some((item) => !item?.range)) return false;
    for (const item of dropped) this.editor.removeSeqItem(item);
    return true;
  }

  /** Writes `after` anew where `before` was: the value of a block map entry, or a block sequence item. */
  private rewrite(before: Node | null, after: Node, place: Place): boolean {
    const text = this.write(after, false);
    const lines = text.split('\n');
    if (place.kind === 'pair') {
      const key = place.pair.key;
      if (!key?.range) return false;
      const colon = this.text.indexOf(':', key.range[1]);
      if (colon < 0) return false;
      const end = before?.range ? this.editor.contentEnd(before.range[1]) : this.editor.valueEnd(colon + 1);
      const indent = ' '.repeat(this.editor.column(key.range[0]) + this.editor.unit);
      const keyLineEnd = this.editor.lineEnd(colon);
      const comment = before?.range && before.range[0] > keyLineEnd ? /\s+#.*$/.exec(this.text.slice(colon + 1, keyLineEnd))?.[0] : undefined;
      if (comment === undefined) {
        this.place(colon + 1, end, lines, indent, after);
        return true;
      }
      // The value started on a later line, a comment after the key: the comment stays on the key's line.
      const laid = this.lay(lines, indent, after);
      this.editor.splice(colon + 1, end, laid.startsWith(this.editor.eol) ? comment + laid : laid + comment);
      return true;
    }
    if (!before?.range) return false;
    const dash = this.editor.dashOf(before);
    this.place(dash + 1, this.editor.contentEnd(before.range[1]), lines, ' '.repeat(this.editor.column(dash) + 2), after, true);
    return true;
  }

  /** Replaces start..end; a comment after the old value stays on the first line when the new value is a block. */
  private place(start: number, end: number, lines: string[], indent: string, node: Node, compact = false): void {
    const stop = this.editor.lineEnd(end);
    const tail = this.text.slice(end, stop);
    const laid = this.lay(lines, indent, node, compact);
    if (laid.startsWith(this.editor.eol) && /^\s+#/.test(tail)) this.editor.splice(start, stop, ` ${tail.trimStart()}${laid}`);
    else this.editor.splice(start, end, laid);
  }

  /** The text after a `:` or a `-`: one line after a space, or a block on the lines below at `indent`. */
  private lay(lines: string[], indent: string, node: Node, compact = false): string {
    const eol = this.editor.eol;
    const block = (isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0;
    if (!block) return ` ${lines.join(eol)}`;
    // A block collection's tag and anchor are written on a line of their own, before its content.
    const props = block && /^[&!]/.test(lines[0]) ? lines.shift()! : '';
    // A sequence item's block starts on the line of its "- ", unless a tag or an anchor has to go first.
    const first = compact && !props ? ` ${lines.shift()!}` : props ? ` ${props}` : '';
    return first + lines.map((line) => (line === '' ? eol : `${eol}${indent}${line}`)).join('');
  }

  /** A node as the yaml library writes it, without comments (those in the text stay where they are). */
  private write(node: Node, bare: boolean): string {
    const copy = node.clone() as Node;
    // The visit starts at the copy itself.
    visit(copy, {
      Node: (_, child) => {
        const n = child as Node & { comment?: string | null; commentBefore?: string | null; spaceBefore?: boolean };
        n.comment = undefined;
        n.commentBefore = undefined;
        n.spaceBefore = undefined;
      },
    });
    if (bare) {
      (copy as { tag?: string }).tag = undefined;
      (copy as { anchor?: string }).anchor = undefined;
    }
    const doc = new Document();
    doc.contents = copy;
    return doc.toString(WRITE).replace(/\n+$/, '');
  }
}
