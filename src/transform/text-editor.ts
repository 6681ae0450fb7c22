/**
 * Minimal edits on YAML source text. The yaml library re-serialises a whole document (indentation, spacing,
 * comment placement), so render splices only the changed nodes into the original bytes instead; everything it
 * does not touch stays byte for byte.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { SourceFile } from '../compose/load.js';

interface Splice {
  start: number;
  end: number;
  text: string;
  seq: number;
}

/** A value to write: strings are always written double-quoted; other scalars as they are. */
export type NewValue = string | number | boolean | null | NewValue[] | { [key: string]: NewValue };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(y|n|yes|no|true|false|on|off|null|~)$/i;

export function quote(value: string): string {
  return JSON.stringify(value);
}

export function keyText(key: string): string {
  return PLAIN_KEY.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
}

/** Lines (without leading indentation) of `key: value`; mappings nest by `unit` spaces. */
export function valueLines(key: string, value: NewValue, unit: number): string[] {
  if (value === null || typeof value !== 'object') return [`${keyText(key)}: ${scalar(value)}`];
  if (Array.isArray(value) && value.length === 0) return [`${keyText(key)}: []`];
  if (!Array.isArray(value) && Object.keys(value).length === 0) return [`${keyText(key)}: {}`];
  const pad = ' '.repeat(unit);
  return [`${keyText(key)}:`, ...blockLines(value, unit).map((line) => pad + line)];
}

/**
 * The lines of a collection's content, unindented. The lines of a sequence item after its first stay aligned
 * with the text after "- ", whatever the file's indentation step.
 */
export function blockLines(value: NewValue[] | { [key: string]: NewValue }, unit: number): string[] {
  if (!Array.isArray(value)) return Object.entries(value).flatMap(([key, child]) => valueLines(key, child, unit));
  return value.flatMap((item) => {
    if (item === null || typeof item !== 'object') return [`- ${scalar(item)}`];
    if (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0) return [`- ${Array.isArray(item) ? '[]' : '{}'}`];
    const [first, ...rest] = blockLines(item, unit);
    return [`- ${first}`, ...rest.map((line) => `  ${line}`)];
  });
}

/** A value in flow style, on one line: `{key: value}`, `[a, b]`, scalars as in a block. */
export function flowText(value: NewValue): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  return `{${Object.entries(value).map(([key, child]) => `${keyText(key)}: ${flowText(child)}`).join(', ')}}`;
}

function scalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return quote(value);
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  return String(value);
}

/** A `|+` or `>+` block scalar: its trailing blank lines are part of its value. */
function keepsTrailingLines(text: string, node: { type?: string; range?: [number, number, number] | null }): boolean {
  if (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') return false;
  const header = text.slice(node.range![0], text.indexOf('\n', node.range![0]));
  return /^[|>][0-9]?\+/.test(header.trim());
}

/** Whether a node holds anything a rewrite of its text would break: an alias, an anchor or a `<<` merge key. */
export function holdsReferences(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if (isAlias(node) || (node as { anchor?: string }).anchor) return true;
  let found = false;
  visit(node as Node, {
    Alias: () => {
      found = true;
      return visit.BREAK;
    },
    Node: (_, child) => {
      if ((child as { anchor?: string }).anchor) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
    Pair: (_, pair) => {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === '<<') {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** What stands before a key on its line when it is written "? key": indicators, then "?", then anchors or tags. */
const EXPLICIT_KEY_PREFIX = /^[ \t]*(?:[-:][ \t]+)*\?(?:[ \t]+[&!]\S*)*[ \t]+$/;

export class TextEditor {
  private splices: Splice[] = [];
  /** Indentation step of the file (spaces), guessed from its first indented line. */
  readonly unit: number;
  /** The file's line ending: inserted lines use it too. */
  readonly eol: string;

  constructor(readonly src: SourceFile) {
    const match = /\n( +)\S/.exec(src.text);
    this.unit = match ? Math.min(match[1].length, 8) : 2;
    this.eol = src.text.includes('\r\n') ? '\r\n' : '\n';
  }

  get text(): string {
    return this.src.text;
  }

  get changed(): boolean {
    return this.splices.length > 0;
  }

  splice(start: number, end: number, text: string): void {
    this.splices.push({ start, end, text, seq: this.splices.length });
  }

  /** The text with every splice made; splices at one offset land in the order they were made. */
  result(): string {
    const ordered = this.outOfRemovedLines().sort((a, b) => a.start - b.start || a.seq - b.seq);
    const parts: string[] = [];
    let at = 0;
    for (const s of ordered) {
      parts.push(this.text.slice(at, Math.max(at, s.start)), s.text);
      at = Math.max(at, s.end);
    }
    parts.push(this.text.slice(at));
    return parts.join('');
  }

  /**
   * The splices, with each insertion that falls inside whole lines another splice removes moved to the end of the
   * last line that stays before them: the removed last entry of a nested map and lines appended to the map around
   * it would otherwise meet inside the removed text, leaving a blank line and dropping the final line break.
   */
  private outOfRemovedLines(): Splice[] {
    const removed = this.splices
      .filter((s) => s.text === '' && s.end > s.start && s.start > 0 && this.text[s.start - 1] === '\n')
      .sort((a, b) => a.start - b.start);
    if (removed.length === 0) return [...this.splices];
    // Overlapping removals as one range each, so a lookup finds the outermost.
    const ranges: [number, number][] = [];
    for (const { start, end } of removed) {
      const last = ranges[ranges.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else ranges.push([start, end]);
    }
    const inside = (at: number) => {
      let low = 0;
      let high = ranges.length - 1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if (ranges[mid][1] <= at) low = mid + 1;
        else if (ranges[mid][0] >= at) high = mid - 1;
        else return ranges[mid];
      }
      return undefined;
    };
    return this.splices.map((s) => {
      const range = s.start === s.end && s.text !== '' ? inside(s.start) : undefined;
      if (!range) return s;
      const at = this.text[range[0] - 2] === '\r' ? range[0] - 2 : range[0] - 1;
      return { ...s, start: at, end: at };
    });
  }

  lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Where the line holding `offset` ends, before its line break (\n or \r\n). */
  lineEnd(offset: number): number {
    const end = this.text.indexOf('\n', offset);
    if (end === -1) return this.text.length;
    return end > 0 && this.text[end - 1] === '\r' ? end - 1 : end;
  }

  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /**
   * The end of a node's own text. A block scalar's range also covers the line breaks after it, and a collection
   * that ends on an empty value and a comment ends at the next entry's first token, past its indentation.
   */
  contentEnd(end: number): number {
    let at = end;
    for (let c = this.text.charCodeAt(at - 1); c === 10 || c === 13 || c === 32 || c === 9; c = this.text.charCodeAt(at - 1)) at--;
    return at;
  }

  /** Where new lines go after a node: the end of the line its content ends on (past any trailing comment). */
  private afterNode(end: number): number {
    return this.lineEnd(this.contentEnd(end));
  }

  private lastEnd(items: unknown[], fallback: number): number {
    const last = items[items.length - 1] as unknown;
    if (last && typeof last === 'object' && 'key' in (last as object)) {
      const pair = last as Pair<Node, Node>;
      return pair.value?.range?.[1] ?? pair.key?.range?.[1] ?? fallback;
    }
    return (last as Node)?.range?.[1] ?? fallback;
  }

  /**
   * Block map: add `key: value` entries after its last entry, at its indentation. `removed` entries are being
   * deleted by another edit, so the new lines go after the last entry that stays.
   */
  appendToMap(map: YAMLMap, entries: [string, NewValue][], removed: ReadonlySet<unknown> = new Set(), after?: Pair<Node, Node | null>): void {
    if (entries.length === 0) return;
    this.appendLinesToMap(
      map,
      entries.flatMap(([key, value]) => valueLines(key, value, this.unit)),
      removed,
      after,
    );
  }

  /** Block map: add lines of text (written as given: a trailing comment may be part of one) after its last entry. */
  appendLinesToMap(map: YAMLMap, lines: string[], removed: ReadonlySet<unknown> = new Set(), after?: Pair<Node, Node | null>): void {
    const indent = ' '.repeat(this.entryColumn(map));
    const all = removed.size > 0 ? map.items.filter((item) => !removed.has(item)) : map.items;
    // With `after`, the entries go right after that entry instead of after the last one.
    const kept = after ? all.slice(0, all.indexOf(after as (typeof all)[number]) + 1) : all;
    const last = (kept[kept.length - 1] as Pair<Node, Node> | undefined)?.value;
    if (isScalar(last) && keepsTrailingLines(this.text, last) && this.lineStart(last.range![1]) === last.range![1]) {
      // A `|+` block scalar owns the blank lines after it: the new lines go after them.
      const at = last.range![1];
      this.splice(at, at, lines.map((l) => indent + l + this.eol).join(''));
      return;
    }
    const at = this.afterNode(this.lastEnd(kept, map.range![0]));
    this.splice(at, at, lines.map((l) => this.eol + indent + l).join(''));
  }

  /**
   * Replace a pair's value with a block value: for empty, null or flow values. The key stays where it is, and
   * so does a comment after the value on the key's line. `content` is the full new value.
   */
  replaceWithBlock(pair: Pair<Node, Node | null>, content: NewValue[] | { [key: string]: NewValue }): void {
    const key = pair.key!;
    const indent = ' '.repeat(this.column(key.range![0]) + this.unit);
    const keyEnd = key.range![1];
    const colon = this.text.indexOf(':', keyEnd);
    const start = colon === -1 ? keyEnd : colon + 1;
    const value = pair.value;
    let stop: number;
    let comment = '';
    if (!value || (isScalar(value) && value.value === null)) {
      // Nothing, `~` or `null`: only the rest of the key's line is the value.
      stop = this.lineEnd(start);
      const rest = this.text.slice(start, stop);
      const hash = /\s#/.exec(rest);
      if (/^\s*#/.test(rest)) comment = rest;
      else if (hash) comment = rest.slice(hash.index);
    } else {
      const valueEnd = this.contentEnd(value.range![1]);
      stop = this.lineEnd(valueEnd);
      const tail = this.text.slice(valueEnd, stop);
      if (/^\s*#/.test(tail)) comment = tail;
    }
    const lines = blockLines(content, this.unit);
    this.splice(start, stop, comment + lines.map((l) => this.eol + indent + l).join(''));
  }

  setScalar(node: Node, value: string): void {
    this.splice(node.range![0], this.contentEnd(node.range![1]), quote(value));
  }

  /** Set a pair's value to a string, whether it holds a scalar now or nothing at all (`key:`). */
  setValue(pair: Pair<Node, Node | null>, value: string): void {
    const node = pair.value;
    const written = node?.range && node.range[1] > node.range[0];
    if (written && !(isScalar(node) && node.value === null)) {
      this.setScalar(node, value);
      return;
    }
    const colon = this.text.indexOf(':', pair.key!.range![1]);
    const rest = this.text.slice(colon + 1, this.lineEnd(colon));
    const hash = /\s#/.exec(rest);
    // `key:`, `key: ~` or `key: null`, perhaps with a comment after: the value goes right after the colon.
    const valueText = hash ? rest.slice(0, hash.index) : rest;
    this.splice(colon + 1, colon + 1 + valueText.length, ` ${quote(value)}`);
  }

  /**
   * The lines of a `key: value` entry of a block map: from its first line's start (past a byte-order mark, which
   * starts the file, not the entry) to past its last line's break.
   */
  private entryLines(pair: Pair<Node, Node | null>): [number, number] {
    const start = Math.max(this.lineStart(pair.key!.range![0]), this.text.startsWith('\ufeff') ? 1 : 0);
    const end = this.afterNode(pair.value?.range?.[1] ?? pair.key!.range![1]);
    return [start, Math.min(this.text.startsWith('\r\n', end) ? end + 2 : end + 1, this.text.length)];
  }

  /** Remove a whole `key: value` entry of a block map, lines included. */
  removePair(pair: Pair<Node, Node | null>): void {
    const [start, next] = this.entryLines(pair);
    this.splice(start, next, '');
  }

  /**
   * Remove a whole `key: value` entry as removePair does; when blank lines (or the start of the file) were on both
   * sides of it, one of them goes too, so the removal leaves no double gap.
   */
  removeEntry(pair: Pair<Node, Node | null>): void {
    const [start, next] = this.entryLines(pair);
    const blankBefore = this.lineStart(start) === 0 || /^\r?\n$/.test(this.text.slice(this.lineStart(start - 1), start));
    const blankAfter = /^\r?\n/.exec(this.text.slice(next));
    this.splice(start, blankBefore && blankAfter ? next + blankAfter[0].length : next, '');
  }

  /** Where the text of a value starting at `offset` ends on its line: before a trailing comment, spaces trimmed. */
  valueEnd(offset: number): number {
    const rest = this.text.slice(offset, this.lineEnd(offset));
    const hash = /(^|\s)#/.exec(rest);
    const value = hash ? rest.slice(0, hash.index) : rest;
    return offset + value.trimEnd().length;
  }

  /**
   * Add items to a sequence in its own style. Returns false for a flow sequence that spans lines or holds a
   * comment: the caller writes it anew as a block instead.
   */
  appendToSeq(seq: YAMLSeq, items: string[], after?: Node): boolean {
    if (items.length === 0) return true;
    if (seq.flow) {
      const span = this.oneLineFlow(seq);
      if (!span) return false;
      const [open, close] = span;
      let before = close - 1;
      while (before > open && /\s/.test(this.text[before])) before--;
      const spaced = before < close - 1;
      const prefix = this.text[before] === ',' ? (spaced ? '' : ' ') : this.text[before] === '[' ? '' : ', ';
      this.splice(close, close, prefix + items.map(quote).join(', '));
      return true;
    }
    const indent = ' '.repeat(this.column(this.dashOf(seq.items[0] as Node)));
    // `after` is the last item that stays when others are being removed.
    const at = this.afterNode(after?.range?.[1] ?? this.lastEnd(seq.items, seq.range![1]));
    this.splice(at, at, items.map((item) => `${this.eol}${indent}- ${quote(item)}`).join(''));
    return true;
  }

  /**
   * The offsets of the brackets of a flow collection written on one line without a comment, which entries can be
   * added to and taken from in place; undefined for any other node.
   */
  private oneLineFlow(node: unknown): [number, number] | undefined {
    if (!(isMap(node) || isSeq(node)) || !node.flow || !node.range) return undefined;
    const open = node.range[0];
    const close = this.text.lastIndexOf(isMap(node) ? '}' : ']', node.range[1] - 1);
    return close > open && !/[\n#]/.test(this.text.slice(open, close)) ? [open, close] : undefined;
  }

  /** Whether `node` is a flow mapping on one line without a comment (see appendToFlowMap, removeFlowEntry). */
  isOneLineFlowMap(node: unknown): node is YAMLMap {
    return isMap(node) && this.oneLineFlow(node) !== undefined;
  }

  /** Add entries at the end of a one-line flow mapping, in flow style; false for any other node. */
  appendToFlowMap(map: YAMLMap, entries: [string, NewValue][]): boolean {
    const span = this.oneLineFlow(map);
    if (!span) return false;
    const [open, close] = span;
    let last = close - 1;
    while (last > open && /\s/.test(this.text[last])) last--;
    const prefix = this.text[last] === ',' ? ' ' : last === open ? '' : ', ';
    this.splice(last + 1, last + 1, prefix + entries.map(([key, value]) => `${keyText(key)}: ${flowText(value)}`).join(', '));
    return true;
  }

  /** Remove an entry of a one-line flow mapping with the separator before it (after it, for the first). */
  removeFlowEntry(map: YAMLMap, pair: Pair<Node, Node | null>): boolean {
    const span = this.oneLineFlow(map);
    const items = map.items as Pair<Node, Node | null>[];
    const index = items.indexOf(pair);
    if (!span || index === -1) return false;
    const end = (entry: Pair<Node, Node | null>) => this.contentEnd(entry.value?.range?.[1] ?? entry.key!.range![1]);
    if (items.length === 1) this.splice(span[0] + 1, span[1], '');
    else if (index > 0) this.splice(end(items[index - 1]), end(pair), '');
    else this.splice(pair.key!.range![0], items[1].key!.range![0], '');
    return true;
  }

  /** Replace a value inside a one-line flow collection with `value` in flow style. */
  setFlowValue(pair: Pair<Node, Node | null>, value: NewValue): void {
    const node = pair.value!;
    this.splice(node.range![0], this.contentEnd(node.range![1]), flowText(value));
  }

  /** Remove an item of a block sequence, its line(s) included. */
  removeSeqItem(item: Node): void {
    const start = this.lineStart(this.dashOf(item));
    const end = this.afterNode(item.range![1]);
    const next = this.text.startsWith('\r\n', end) ? end + 2 : end + 1;
    this.splice(start, Math.min(next, this.text.length), '');
  }

  /**
   * Remove items of a one-line flow sequence with the separator before each (after, for the first), and add
   * `fresh` at its end. Returns false for a flow sequence that spans lines or holds a comment.
   */
  removeFlowItems(seq: YAMLSeq, remove: Node[], fresh: string[]): boolean {
    const span = this.oneLineFlow(seq);
    if (!span) return false;
    const [open, close] = span;
    const items = seq.items as Node[];
    if (remove.length === items.length) {
      this.splice(open + 1, close, fresh.map(quote).join(', '));
      return true;
    }
    for (const item of remove) {
      const index = items.indexOf(item);
      const end = this.contentEnd(item.range![1]);
      if (index > 0) this.splice(this.contentEnd(items[index - 1].range![1]), end, '');
      else this.splice(item.range![0], items[1].range![0], '');
    }
    return this.appendToSeq(seq, fresh);
  }

  /**
   * The column a block map's entries start at: where its first key's line starts, past any "- " of a sequence
   * item. The key's own range would start after a tag, an anchor or "? ".
   */
  private entryColumn(map: YAMLMap): number {
    const first = map.items[0] as Pair<Node, Node>;
    const start = this.lineStart(first.key!.range![0]);
    let at = start;
    while (this.text[at] === ' ') at++;
    while (this.text[at] === '-' && this.text[at + 1] === ' ' && at < first.key!.range![0]) {
      at += 2;
      while (this.text[at] === ' ') at++;
    }
    return at - start;
  }

  /**
   * Whether a key is written in the explicit form (`? key`, its value after a `:` at the start of a later line).
   * The edits place new entries by the column of a key's line and find a value after the key's colon; neither
   * holds for that form.
   */
  isExplicitKey(key: Node | null | undefined): boolean {
    if (!key?.range) return false;
    const start = this.lineStart(key.range[0]);
    const prefix = this.text.slice(start, key.range[0]);
    if (EXPLICIT_KEY_PREFIX.test(prefix)) return true;
    if (!/^[ \t]*$/.test(prefix) || start === 0) return false;
    // The key alone on its line: the "?" may stand alone on the line before it.
    const previous = this.text.slice(this.lineStart(start - 1), start - 1).replace(/\r$/, '');
    return EXPLICIT_KEY_PREFIX.test(previous + ' ');
  }

  /** Whether a pair, or any entry of a mapping inside its value, has an explicit key (see isExplicitKey). */
  holdsExplicitKeys(pair: Pair<Node, Node | null>): boolean {
    if (this.isExplicitKey(pair.key)) return true;
    if (!pair.value || typeof pair.value !== 'object') return false;
    let found = false;
    visit(pair.value, {
      Pair: (_, inner) => {
        if (isPair(inner) && this.isExplicitKey(inner.key as Node)) {
          found = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    return found;
  }

  /** The "-" of a block sequence item: the nearest one before it that only spaces precede on its line. */
  dashOf(item: Node): number {
    let from = item.range![0];
    for (;;) {
      const dash = this.text.lastIndexOf('-', from);
      if (dash <= 0) return Math.max(dash, 0);
      if (/^ *$/.test(this.text.slice(this.lineStart(dash), dash))) return dash;
      from = dash - 1;
    }
  }
}

export function isBlockMap(node: unknown): node is YAMLMap {
  return isMap(node) && !node.flow && node.items.length > 0;
}
