/** Bytes to a yaml Document kept for editing, with a LineCounter so any node can be turned into file:line:col. */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, visit, type Alias, type Document } from 'yaml';
import { InputError, type Location } from '../findings.js';
import { parseSimpleYaml, type YamlOptions } from './fast-yaml.js';
import { plainKey, plainOfNode, type AnchoredValues } from './fast-yaml-nodes.js';
import { deepestPlace, MAX_NESTING, nestingMessage } from './limits.js';

export type { YamlOptions } from './fast-yaml.js';

export interface SourceFile {
  /** The name shown in messages: the path as the user gave it, or "<stdin>". */
  file: string;
  text: string;
  doc: Document;
  lines: LineCounter;
  /** The options it was read with, to read it again. */
  options: YamlOptions;
  /** Whether the document's nodes hold the file's comments: the fast reader leaves them off. */
  comments: boolean;
  /**
   * The plain value the fast reader built while reading, until toPlain() takes it (then undefined): the first
   * caller owns it, a later one gets its own.
   */
  plain?: unknown;
  /** Whether that plain value holds aliases, to be held to the alias limit when taken. */
  aliased?: boolean;
}

/**
 * A file whose aliases, expanded, would add more values than this is refused as an alias bomb (a small file that
 * expands to gigabytes). Counting the expansion rather than the uses of an anchor lets a large stack use a shared
 * anchor on every service, and a large file without aliases is never refused.
 */
export const MAX_ALIASED_VALUES = 2_000_000;

/** The environment variable that turns the fast reader off ("0"): every file then goes through the yaml library. */
export const FAST_YAML_SWITCH = 'COMPOSE_VOLDRIVER_FAST_YAML';

/**
 * Whether plain files take the fast reader. The one piece of process state read below the CLI: a switch to rule
 * the fast reader out when a file reads differently than expected, and for the test suite's second run.
 */
function fastReaderOn(): boolean {
  return globalThis.process?.env?.[FAST_YAML_SWITCH] !== '0';
}

/**
 * The options every read uses: positions counted, errors plain, duplicate keys left to firstDuplicateKey, and no
 * warnings logged by the yaml library itself (the library API prints nothing).
 */
function readOptions(options: YamlOptions, lineCounter?: LineCounter): YamlOptions & { lineCounter?: LineCounter } {
  return { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error', ...options };
}

/**
 * The yaml Document of a text the tool wrote or is about to show (not a file it was given: no limits, no messages),
 * by the fast reader when it reads the text, else by the library; errors stay on the document for the caller.
 */
export function parseYamlDocument(text: string, options: YamlOptions = {}): Document {
  const all: YamlOptions = { prettyErrors: false, uniqueKeys: false, logLevel: 'silent', ...options };
  return (fastReaderOn() ? parseSimpleYaml(text, all)?.doc : undefined) ?? parseDocument(text, all);
}

/** The offset of the first CR not followed by LF on the line (as LF ends lines) that `offset` is on. */
function loneCarriageReturn(text: string, offset: number): number | undefined {
  const lineEnd = text.indexOf('\n', offset);
  const end = lineEnd === -1 ? text.length : lineEnd;
  for (let at = text.indexOf('\r', text.lastIndexOf('\n', offset - 1) + 1); at !== -1 && at < end; at = text.indexOf('\r', at + 1)) {
    if (text[at + 1] !== '\n') return at;
  }
  return undefined;
}

/**
 * The reader seam: text to a SourceFile. Plain files take the fast reader (compose/fast-yaml.ts); anything it
 * does not read, and every file when FAST_YAML_SWITCH is "0", goes to the yaml library, which also reports errors.
 */
export function parseYamlSource(text: string, file: string, options: YamlOptions = {}): SourceFile {
  return readSourceFile(text, file, options, fastReaderOn());
}

/**
 * Characters YAML does not allow in a file, even inside quotes (outside its printable set): C0 controls but tab,
 * line feed and carriage return; DEL; C1 controls but NEL; U+FFFE and U+FFFF. Docker's reader refuses them ("control
 * characters are not allowed"); the yaml library reads most of them as text.
 */
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

function readSourceFile(text: string, file: string, options: YamlOptions, fastReader: boolean): SourceFile {
  const control = NOT_PRINTABLE.exec(text);
  if (control) {
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new InputError(
      `invalid YAML: the control character ${code} is not allowed in a YAML file, not even inside quotes`,
      place(text, file, lineStarts(text), control.index),
      `remove it, or write it as an escape inside double quotes ("\\x${code.slice(4)}")`,
      'invalid-yaml',
    );
  }
  const lines = new LineCounter();
  const all = readOptions(options, lines);
  const fast = fastReader ? parseSimpleYaml(text, all, lines) : undefined;
  const docs = fast ? [fast.doc] : parseLibrary(text, all, file);
  const at = (offset: number) => place(text, file, lines, offset);
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream when there is no document at all.
    throw new InputError('the file is empty: expected a YAML mapping', { file, line: 1, col: 1 });
  }
  if (docs.length === 0) throw new InputError('the file is empty: expected a YAML mapping', { file, line: 1, col: 1 });
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error && /call stack/i.test(error.message)) throw new InputError(nestingMessage(), at(deepestPlace(text) ?? error.pos[0]), 'flatten the structure', 'invalid-yaml');
    if (error) {
      // A file whose lines end with a lone CR (classic Mac OS) reads as one long line: say that, not what it breaks.
      const cr = loneCarriageReturn(text, error.pos[0]);
      if (cr !== undefined) {
        throw new InputError(
          'invalid YAML: a line ends with a lone carriage return (CR, as on classic Mac OS), which is not read as a line break here',
          at(cr),
          'save the file with LF (or CRLF) line ends',
          'invalid-yaml',
        );
      }
      throw new InputError(`invalid YAML: ${firstLine(error.message)}`, at(error.pos[0]), undefined, 'invalid-yaml');
    }
  }
  if (docs.length > 1) {
    const second = docs[1];
    throw new InputError(
      `the file holds ${docs.length} YAML documents; only one is allowed`,
      at(second.range?.[0] ?? 0),
      'remove the "---" separator or split the file',
    );
  }
  const doc = docs[0];
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    throw new InputError('the file is empty: expected a YAML mapping', { file, line: 1, col: 1 });
  }
  if (!isMap(contents)) {
    throw new InputError('the top level must be a mapping (key: value pairs)', at(contents.range?.[0] ?? 0));
  }
  // The fast reader saw every key: the walk is needed only when it met a repeated name.
  const duplicate = fast && !fast.repeatedKeys ? undefined : firstDuplicateKey(contents);
  if (duplicate?.deep) throw new InputError(nestingMessage(), at(duplicate.offset), 'flatten the structure', 'invalid-yaml');
  if (duplicate?.complex) throw new InputError(`unsupported YAML: a mapping key must be a plain value, not ${duplicate.name}`, at(duplicate.offset), undefined, 'invalid-yaml');
  if (duplicate) throw new InputError(`invalid YAML: Map keys must be unique; "${duplicate.name}" is repeated`, at(duplicate.offset), undefined, 'invalid-yaml');
  if (fast) fastDocuments.add(doc);
  return { file, text, doc, lines, options, comments: !fast, plain: fast?.plain, aliased: fast?.aliased };
}

/** The line starts of a text, for placing an offset before (or without) reading it. */
function lineStarts(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

function nestingError(text: string, file: string): InputError {
  return new InputError(nestingMessage(), place(text, file, lineStarts(text), deepestPlace(text) ?? 0), 'flatten the structure', 'invalid-yaml');
}

/** The yaml library's reading; its own recursion ends in a RangeError on input nested far past MAX_NESTING. */
function parseLibrary(text: string, options: YamlOptions, file: string): ReturnType<typeof parseAllDocuments> {
  try {
    return parseAllDocuments(text, options);
  } catch (error) {
    if (error instanceof RangeError) throw nestingError(text, file);
    throw error;
  }
}

/**
 * The file with its comments on the document's nodes, for code that writes the document out again (the fast
 * reader leaves them off): the file itself, or the same text read again by the library.
 */
export function withComments(src: SourceFile): SourceFile {
  return src.comments ? src : readSourceFile(src.text, src.file, src.options, false);
}

/** The file with a document of its own, that nobody else holds, to change freely: read again, or a deep copy. */
export function documentCopy(src: SourceFile): SourceFile {
  const again = src.comments ? undefined : parseSimpleYaml(src.text, readOptions(src.options));
  if (again) return { ...src, doc: again.doc, plain: again.plain, aliased: again.aliased };
  return { ...src, doc: src.doc.clone(), plain: undefined };
}

/** The plain value of a parsed file; alias bombs become an InputError instead of exhausting memory. */
export function toPlain(src: SourceFile): unknown {
  const built = src.plain;
  if (built === undefined) return documentPlain(src.doc, src.file, (offset) => place(src.text, src.file, src.lines, offset));
  src.plain = undefined;
  if (src.aliased) refuseAliasBomb(src.doc, src.file, (offset) => place(src.text, src.file, src.lines, offset));
  return built;
}

/** The plain value of a node inside a document, aliases resolved: for comparing before editing. */
export function nodePlain(doc: Document, node: unknown): unknown {
  if (!node || typeof node !== 'object') return node;
  if (fastDocuments.has(doc)) return fastNodePlain(doc, node);
  return (node as { toJS?: (doc: Document) => unknown }).toJS?.(doc);
}

/** A document's anchors: the node each alias stands for, and the last node anchored with each name. */
interface AnchorIndex {
  targets: Map<unknown, unknown>;
  anchors: Map<string, unknown>;
}

/** Per document, built by one walk for a document that no longer changes (a file as read). */
const anchorIndexes = new WeakMap<Document, AnchorIndex>();

function anchorIndex(doc: Document): AnchorIndex {
  let index = anchorIndexes.get(doc);
  if (!index) {
    const anchors = new Map<string, unknown>();
    const targets = new Map<unknown, unknown>();
    visit(doc, {
      Node: (_, node) => {
        if (isAlias(node)) targets.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
    anchorIndexes.set(doc, (index = { targets, anchors }));
  }
  return index;
}

/**
 * What `alias.resolve(doc)` gives: the last node anchored with its name before it. The library walks the whole
 * document for each alias it resolves; here one walk finds them all, so that locating a finding through an alias
 * costs no more than any other.
 */
export function resolveAlias(doc: Document, alias: Alias): unknown {
  const { targets } = anchorIndex(doc);
  return targets.has(alias) ? targets.get(alias) : alias.resolve(doc);
}

/** Documents the fast reader built: plainOfNode reads their nodes as toJS() does. */
const fastDocuments = new WeakSet<Document>();

/**
 * nodePlain for a document the fast reader built. A node's toJS() finds each alias's anchor by walking the whole
 * document, once per call: render asks for the plain value of every volume that merges an anchor in with `<<`.
 * The fast reader takes each anchor name once, defined before its aliases, so the index's last node of a name is
 * its only one. Within one call, the aliases of an anchor share one value, as in toJS().
 */
function fastNodePlain(doc: Document, node: unknown): unknown {
  const { anchors } = anchorIndex(doc);
  // An anchored node inside `node` gives its aliases its own value; one outside is read when first aliased.
  const values = new Map<string, unknown>();
  const anchored: AnchoredValues = {
    get(name) {
      if (!values.has(name)) plainOfNode(anchors.get(name), anchored);
      return values.get(name);
    },
    made(name, value) {
      values.set(name, value);
    },
  };
  return plainOfNode(node, anchored);
}

/** The plain value of a document by the yaml library (see toPlain); `file` names it in an error. */
export function documentPlain(doc: Document, file: string, at?: (offset: number) => Location): unknown {
  refuseAliasBomb(doc, file, at);
  try {
    // Bounded above: the library's own limit counts the uses of an anchor, which a large stack exceeds honestly.
    return doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      throw new InputError(`refusing to expand aliases: ${firstLine(error.message)}`, { file, line: 1, col: 1 });
    }
    throw error;
  }
}

function refuseAliasBomb(doc: Document, file: string, at?: (offset: number) => Location): void {
  const { added, problem, overflow } = aliasedValues(doc);
  if (problem) throw new InputError(`invalid YAML: ${problem.message}`, at ? at(problem.offset) : { file, line: 1, col: 1 }, undefined, 'invalid-yaml');
  if (added > MAX_ALIASED_VALUES) {
    const where = overflow ? `, from the alias *${overflow.name} here on` : '';
    throw new InputError(
      `refusing to expand aliases: they would add more than ${MAX_ALIASED_VALUES} values to this file${where}`,
      at && overflow ? at(overflow.offset) : { file, line: 1, col: 1 },
    );
  }
}

/**
 * How many values a document's aliases add once expanded (each stands for its anchored node, as defined before
 * it in document order, less itself); counting stops past MAX_ALIASED_VALUES. And the first alias that stands for
 * nothing: no anchor of its name before it, or one whose node it is inside (a value that contains itself, which
 * Docker refuses and which would never end once expanded). And the alias that takes the count past the limit.
 */
function aliasedValues(doc: Document): { added: number; problem?: { message: string; offset: number }; overflow?: { name: string; offset: number } } {
  const sizes = new Map<string, number>();
  // The state of the latest anchor of each name: "open" while its node is walked, then "done".
  const latest = new Map<string, 'open' | 'done'>();
  let added = 0;
  let problem: { message: string; offset: number } | undefined;
  let overflow: { name: string; offset: number } | undefined;
  const walk = (node: unknown): number => {
    let size = 1;
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) latest.set(anchor, 'open');
    if (isAlias(node)) {
      const state = latest.get(node.source);
      const offset = node.range?.[0] ?? 0;
      if (state === undefined) problem ??= { message: `the alias *${node.source} stands for no anchor: an anchor &${node.source} must come before it`, offset };
      if (state === 'open') problem ??= { message: `the alias *${node.source} is inside the value anchored &${node.source}: a value cannot contain itself`, offset };
      size = sizes.get(node.source) ?? 1;
      added = Math.min(added + size - 1, MAX_ALIASED_VALUES + 1);
      if (added > MAX_ALIASED_VALUES) overflow ??= { name: node.source, offset };
    } else if (isMap(node)) for (const pair of node.items) size += walk(pair.key) + walk(pair.value);
    else if (isSeq(node)) for (const item of node.items) size += walk(item);
    if (anchor) {
      sizes.set(anchor, size);
      latest.set(anchor, 'done');
    }
    return Math.min(size, MAX_ALIASED_VALUES + 1);
  };
  walk(doc.contents);
  return { added, problem, overflow };
}

/**
 * The first key that is a collection or an alias, or that repeats an earlier key of its map.
 * The yaml library's own duplicate-key check compares every key with every earlier one, which is quadratic in
 * the size of a map (a stack with thousands of volumes); this walk uses a set per map.
 */
function firstDuplicateKey(root: unknown): { name: string; offset: number; complex?: boolean; deep?: boolean } | undefined {
  // Nodes and their nesting depth, side by side.
  const stack: unknown[] = [root];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const node = stack.pop();
    const depth = depths.pop()!;
    if ((isMap(node) || isSeq(node)) && depth > MAX_NESTING) return { name: '', offset: node.range?.[0] ?? 0, deep: true };
    if (isMap(node)) {
      // Keys compare by the name they give the plain value (1 and "1" are the property "1", ~ and "" are ""), as
      // Docker compares them by their text: two keys the model would fold into one are refused, never merged with
      // the last one winning. Small maps, the most common by far, are compared pair by pair.
      const items = node.items;
      const seen = items.length > 8 ? new Set<string>() : undefined;
      for (let i = 0; i < items.length; i++) {
        const key = items[i].key;
        // A list, a mapping or an alias as a key (`? [a, b]`) has no name Compose could use.
        if (isMap(key) || isSeq(key) || isAlias(key)) {
          return { name: isAlias(key) ? 'an alias' : isMap(key) ? 'a mapping' : 'a list', offset: (key as { range?: number[] }).range?.[0] ?? 0, complex: true };
        }
        if (isScalar(key)) {
          const name = plainKey(key);
          let repeated = false;
          if (seen) {
            repeated = seen.has(name);
            seen.add(name);
          } else {
            for (let j = 0; j < i && !repeated; j++) {
              const other = items[j].key;
              repeated = isScalar(other) && plainKey(other) === name;
            }
          }
          if (repeated) return { name, offset: key.range?.[0] ?? 0 };
        }
        const child = items[i].value;
        if (child !== null && typeof child === 'object') {
          stack.push(child);
          depths.push(depth + 1);
        }
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (item !== null && typeof item === 'object') {
          stack.push(item);
          depths.push(depth + 1);
        }
      }
    }
  }
  return undefined;
}

export function positionOf(src: SourceFile, offset: number) {
  return place(src.text, src.file, src.lines, offset);
}

/**
 * The line and column of an offset, as an editor shows them: a byte-order mark at the start of the file is no
 * character of its first line (the offsets count it, so every column of line 1 would be one too far).
 */
function place(text: string, file: string, lines: LineCounter, offset: number) {
  const pos = lines.linePos(offset);
  const col = pos.line === 1 && text.charCodeAt(0) === 0xfeff ? Math.max(1, pos.col - 1) : pos.col;
  return { file, line: pos.line, col };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
