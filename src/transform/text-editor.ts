/**
 * Minimal edits on YAML source text. The yaml library re-serialises a whole document (indentation, spacing,
 * comment placement), so render splices only the changed nodes into the original bytes instead; everything it
 * does not touch stays byte for byte.
 */
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
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

/** Lines (without leading indentation) of `key: value` for a new value. */
export function valueLines(key: string, value: NewValue, unit: number): string[] {
  const pad = ' '.repeat(unit);
  if (value === null || typeof value !== 'object') return [`${keyText(key)}: ${scalar(value)}`];
  if (Array.isArray(value) && value.length === 0) return [`${keyText(key)}: []`];
  if (!Array.isArray(value) && Object.keys(value).length === 0) return [`${keyText(key)}: {}`];
  return [`${keyText(key)}:`, ...blockLines(value).map((line) => pad + line)];
}

/** The lines of a collection's content, unindented. */
export function blockLines(value: NewValue[] | { [key: string]: NewValue }): string[] {
  if (!Array.isArray(value)) return Object.entries(value).flatMap(([key, child]) => valueLines(key, child, 2));
  return value.flatMap((item) => {
    if (item === null || typeof item !== 'object') return [`- ${scalar(item)}`];
    const [first, ...rest] = blockLines(item);
    return [`- ${first}`, ...rest.map((line) => `  ${line}`)];
  });
}

function scalar(value: string | number | boolean | null): string {
  return typeof value === 'string' ? quote(value) : value === null ? 'null' : String(value);
}

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
    const ordered = [...this.splices].sort((a, b) => a.start - b.start || a.seq - b.seq);
    const parts: string[] = [];
    let at = 0;
    for (const s of ordered) {
      parts.push(this.text.slice(at, s.start), s.text);
      at = Math.max(at, s.end);
    }
    parts.push(this.text.slice(at));
    return parts.join('');
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

  /** Where new lines go after a node: the end of the line its content ends on (past any trailing comment). */
  private afterNode(end: number): number {
    if (end > 0 && this.text[end - 1] === '\n') return this.text[end - 2] === '\r' ? end - 2 : end - 1;
    return this.lineEnd(end);
  }

  private lastEnd(collection: YAMLMap | YAMLSeq): number {
    let end = collection.range?.[1] ?? 0;
    const last = collection.items[collection.items.length - 1] as unknown;
    if (last && typeof last === 'object' && 'key' in (last as object)) {
      const pair = last as Pair<Node, Node>;
      end = pair.value?.range?.[1] ?? pair.key?.range?.[1] ?? end;
    } else if ((last as Node)?.range) end = (last as Node).range![1];
    return end;
  }

  /** Block map: add `key: value` entries after its last entry, at its indentation. */
  appendToMap(map: YAMLMap, entries: [string, NewValue][]): void {
    if (entries.length === 0) return;
    const first = map.items[0] as Pair<Node, Node>;
    const indent = ' '.repeat(this.column(first.key!.range![0]));
    const lines = this.reindent(entries.flatMap(([key, value]) => valueLines(key, value, 2)));
    this.splice(this.afterNode(this.lastEnd(map)), this.afterNode(this.lastEnd(map)), lines.map((l) => this.eol + indent + l).join(''));
  }

  /**
   * Replace a pair's value with a block value: for empty, null or flow values. The key stays where it is.
   * `content` is the full new value.
   */
  replaceWithBlock(pair: Pair<Node, Node | null>, content: NewValue[] | { [key: string]: NewValue }): void {
    const key = pair.key!;
    const indent = ' '.repeat(this.column(key.range![0]) + this.unit);
    const keyEnd = key.range![1];
    const valueEnd = pair.value?.range?.[1] ?? keyEnd;
    const colon = this.text.indexOf(':', keyEnd);
    const start = colon === -1 ? keyEnd : colon + 1;
    // Up to the end of the value's last line, keeping its line break and a comment that follows a flow value.
    const stop = this.afterNode(Math.max(start, valueEnd));
    const tail = valueEnd < stop ? this.text.slice(valueEnd, stop) : '';
    const comment = /^\s*#/.test(tail) ? tail : '';
    const lines = this.reindent(blockLines(content));
    this.splice(start, stop, comment + lines.map((l) => this.eol + indent + l).join(''));
  }

  /** blockLines() indents by two spaces; the file may use another step. */
  private reindent(lines: string[]): string[] {
    if (this.unit === 2) return lines;
    return lines.map((line) => {
      const lead = line.length - line.trimStart().length;
      return ' '.repeat((lead / 2) * this.unit) + line.trimStart();
    });
  }

  setScalar(node: Node, value: string): void {
    this.splice(node.range![0], node.range![1], quote(value));
  }

  /** Set a pair's value to a string, whether it holds a scalar now or nothing at all (`key:`). */
  setValue(pair: Pair<Node, Node | null>, value: string): void {
    const node = pair.value;
    if (node?.range && node.range[1] > node.range[0]) {
      this.setScalar(node, value);
      return;
    }
    const colon = this.text.indexOf(':', pair.key!.range![1]);
    this.splice(colon + 1, colon + 1, ` ${quote(value)}`);
  }

  /** Remove a whole `key: value` entry of a block map, lines included. */
  removePair(pair: Pair<Node, Node | null>): void {
    const start = this.lineStart(pair.key!.range![0]);
    const end = this.afterNode(pair.value?.range?.[1] ?? pair.key!.range![1]);
    const next = this.text.startsWith('\r\n', end) ? end + 2 : end + 1;
    this.splice(start, Math.min(next, this.text.length), '');
  }

  appendToSeq(seq: YAMLSeq, items: string[]): void {
    if (items.length === 0) return;
    if (seq.flow) {
      const close = this.text.lastIndexOf(']', seq.range![1]);
      const prefix = seq.items.length > 0 ? ', ' : '';
      this.splice(close, close, prefix + items.map(quote).join(', '));
      return;
    }
    const firstItem = seq.items[0] as Node;
    const dash = this.text.lastIndexOf('-', firstItem.range![0]);
    const indent = ' '.repeat(this.column(dash));
    const at = this.afterNode(this.lastEnd(seq));
    this.splice(at, at, items.map((item) => `${this.eol}${indent}- ${quote(item)}`).join(''));
  }
}

export function isBlockMap(node: unknown): node is YAMLMap {
  return isMap(node) && !node.flow && node.items.length > 0;
}

export function isBlockOrFlowSeq(node: unknown): node is YAMLSeq {
  return isSeq(node) && (node.flow === true || node.items.length > 0);
}

export function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/** Plain value of a node inside a document (resolving aliases), for comparing before editing. */
export function plainOf(doc: Document, node: unknown): unknown {
  if (!node || typeof node !== 'object') return node;
  return (node as { toJS?: (doc: Document) => unknown }).toJS?.(doc);
}
