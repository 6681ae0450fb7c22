/** The text editor on its own: splices into the source bytes, everything it does not touch left as it is. */
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseYamlSource } from '../../src/compose/load.js';
import { blockLines, keyText, quote, TextEditor, valueLines } from '../../src/transform/text-editor.js';

const editor = (text: string) => new TextEditor(parseYamlSource(text, 'c.yml'));
const root = (e: TextEditor) => e.src.doc.contents as YAMLMap;
const pair = (map: YAMLMap, key: string) => map.items.find((p) => String((p.key as { value: unknown }).value) === key) as Pair<never, never>;

describe('text editor', () => {
  it('writes strings double-quoted and keys plain unless YAML would read them as something else', () => {
    expect(quote('a "b"\n')).toBe('"a \\"b\\"\\n"');
    expect(keyText('com.example/x-y')).toBe('com.example/x-y');
    expect(keyText('yes')).toBe('"yes"');
    expect(keyText('a b')).toBe('"a b"');
    // "n" and "off" are booleans to a YAML 1.1 reader: quoted as keys.
    expect(valueLines('opts', { size: '1g', count: 2, n: 2, off: false, none: null }, 2)).toEqual(['opts:', '  size: "1g"', '  count: 2', '  "n": 2', '  "off": false', '  none: null']);
    expect(blockLines(['a', { k: 'v', l: 'w' }], 4)).toEqual(['- "a"', '- k: "v"', '  l: "w"']);
  });

  it('appends entries to a block map at its own indent, after a trailing comment, in the file\'s line endings', () => {
    const e = editor('a:\r\n    b: 1 # one\r\nc: 2\r\n');
    const a = pair(root(e), 'a').value as unknown as YAMLMap;
    expect(isMap(a)).toBe(true);
    e.appendToMap(a, [['d', 'x']]);
    expect(e.result()).toBe('a:\r\n    b: 1 # one\r\n    d: "x"\r\nc: 2\r\n');
  });

  it('sets a scalar in place and removes a whole entry, lines included', () => {
    const e = editor('# head\na: old # keep\nb: 2\nc: 3\n');
    e.setValue(pair(root(e), 'a'), 'new');
    e.removePair(pair(root(e), 'b'));
    expect(e.result()).toBe('# head\na: "new" # keep\nc: 3\n');
  });

  it('appends to a block sequence under the last item, and to a flow one inside its brackets', () => {
    const block = editor('l:\n  - a\n  - b\nz: 1\n');
    expect(block.appendToSeq(pair(root(block), 'l').value as unknown as YAMLSeq, ['c'])).toBe(true);
    expect(block.result()).toBe('l:\n  - a\n  - b\n  - "c"\nz: 1\n');
    const flow = editor('l: [a, b]\n');
    const seq = pair(root(flow), 'l').value as unknown as YAMLSeq;
    expect(isSeq(seq)).toBe(true);
    flow.appendToSeq(seq, ['c']);
    expect(flow.result()).toBe('l: [a, b, "c"]\n');
  });

  it('makes splices at one offset in the order they were made, and leaves an untouched text byte for byte', () => {
    const text = 'k: v\n';
    const e = editor(text);
    expect(e.result()).toBe(text);
    expect(e.changed).toBe(false);
    e.splice(5, 5, 'a: 1\n');
    e.splice(5, 5, 'b: 2\n');
    expect(e.result()).toBe('k: v\na: 1\nb: 2\n');
    expect(e.changed).toBe(true);
  });

  it('puts lines appended to a map after the last line that stays when the last entry of a map inside it is removed', () => {
    for (const eol of ['\n', '\r\n']) {
      const e = editor(['v:', '  labels:', '    a: "1"', '    b: "2"', ''].join(eol));
      const v = pair(root(e), 'v').value as unknown as YAMLMap;
      const labels = pair(v, 'labels').value as unknown as YAMLMap;
      const b = pair(labels, 'b');
      e.removePair(b);
      e.appendToMap(labels, [['c', '3'], ['b', '2']], new Set([b]));
      e.appendToMap(v, [['name', 'n']]);
      expect(e.result()).toBe(['v:', '  labels:', '    a: "1"', '    c: "3"', '    b: "2"', '  name: "n"', ''].join(eol));
    }
  });
});
