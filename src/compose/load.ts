/** Bytes to a yaml Document kept for editing, with a LineCounter so any node can be turned into file:line:col. */
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type ParseOptions, type DocumentOptions, type SchemaOptions } from 'yaml';
import { InputError } from '../findings.js';

export interface SourceFile {
  /** The name shown in messages: the path as the user gave it, or "<stdin>". */
  file: string;
  text: string;
  doc: Document;
  lines: LineCounter;
}

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** Aliases beyond this count are treated as an alias bomb (a small file that expands to gigabytes). */
export const MAX_ALIAS_COUNT = 1000;

export function parseYamlSource(text: string, file: string, options: YamlOptions = {}): SourceFile {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, ...options });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream when there is no document at all.
    throw new InputError('the file is empty: expected a YAML mapping', { file, line: 1, col: 1 });
  }
  if (docs.length === 0) throw new InputError('the file is empty: expected a YAML mapping', { file, line: 1, col: 1 });
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) throw new InputError(`invalid YAML: ${firstLine(error.message)}`, at(error.pos[0]));
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
  const duplicate = firstDuplicateKey(contents);
  if (duplicate) throw new InputError(`invalid YAML: Map keys must be unique; "${duplicate.name}" is repeated`, at(duplicate.offset));
  return { file, text, doc, lines };
}

/** The plain value of a parsed document; alias bombs become an InputError instead of exhausting memory. */
export function toPlain(src: SourceFile): unknown {
  try {
    return src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      throw new InputError(`refusing to expand aliases: ${firstLine(error.message)}`, { file: src.file, line: 1, col: 1 });
    }
    throw error;
  }
}

/**
 * The yaml library's own duplicate-key check compares every key with every earlier one, which is quadratic in
 * the size of a map (a stack with thousands of volumes); this walk uses a set per map.
 */
function firstDuplicateKey(root: unknown): { name: string; offset: number } | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        const name = isScalar(key) ? `${typeof key.value}:${String(key.value)}` : undefined;
        if (name !== undefined) {
          if (seen.has(name)) return { name: String((key as { value: unknown }).value), offset: (key as { range?: [number] }).range?.[0] ?? 0 };
          seen.add(name);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return undefined;
}

export function positionOf(src: SourceFile, offset: number) {
  const pos = src.lines.linePos(offset);
  return { file: src.file, line: pos.line, col: pos.col };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
