// The fast reader must build exactly the Document the yaml library builds (values, node types, ranges, line
// starts) whenever it accepts a text, and must accept the plain files it exists for.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Document } from 'yaml';
import { parseSimpleYaml } from '../../src/compose/fast-yaml.js';
import { composeYamlOptions } from '../../src/compose/project.js';
import { nodePlain, parseYamlSource, resolveAlias, type SourceFile } from '../../src/compose/load.js';
import { builtinPolicies } from '../../src/policies/presets/index.js';

function shape(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isMap(node) || isSeq(node)) {
    return { kind: isMap(node) ? 'map' : 'seq', range: node.range, flow: node.flow ?? false, anchor: node.anchor, items: node.items.map(shape) };
  }
  if (isAlias(node)) return { kind: 'alias', range: node.range, source: node.source };
  if (isPair(node)) return { kind: 'pair', key: shape(node.key), value: shape(node.value) };
  if (isScalar(node)) {
    const value = typeof node.value === 'bigint' ? `${node.value}n` : node.value;
    return { kind: 'scalar', range: node.range, value, type: node.type, source: node.source, format: node.format, tag: node.tag, anchor: node.anchor, minFractionDigits: node.minFractionDigits };
  }
  return { kind: 'other', text: String(node) };
}

function viaLibrary(text: string, options = composeYamlOptions) {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, ...options });
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0].errors.length > 0 || docs[0].warnings.length > 0) return undefined;
  return { doc: docs[0] as Document, lines };
}

/** A plain value with every object met again replaced by the order it was first met in: equal when shared alike. */
function sharing(value: unknown, seen = new Map<object, number>()): unknown {
  if (!value || typeof value !== 'object') return value;
  const met = seen.get(value);
  if (met !== undefined) return { shared: met };
  seen.set(value, seen.size);
  if (Array.isArray(value)) return value.map((item) => sharing(item, seen));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sharing(item, seen)]));
}

function isAliased(node: unknown): boolean {
  if (isAlias(node)) return true;
  if (isMap(node)) return node.items.some((pair) => isAliased(pair.key) || isAliased(pair.value));
  if (isSeq(node)) return node.items.some(isAliased);
  return false;
}

/** Compares the fast reader with the library on one text; returns whether the fast reader accepted it. */
function compare(text: string, options = composeYamlOptions): boolean {
  const lines = new LineCounter();
  const read = parseSimpleYaml(text, { prettyErrors: false, uniqueKeys: false, ...options }, lines);
  if (!read) return false;
  const fast = read.doc;
  const library = viaLibrary(text, options);
  expect(library, `the library rejects a text the fast reader accepted:\n${text}`).toBeDefined();
  expect({ range: fast.range, contents: shape(fast.contents) }, text).toEqual({ range: library!.doc.range, contents: shape(library!.doc.contents) });
  // The plain value: the same, or the same refusal (an alias bomb).
  const outcome = (make: () => unknown) => {
    try {
      return { value: make() };
    } catch (error) {
      return { error: String(error) };
    }
  };
  const expected = outcome(() => library!.doc.toJS({ maxAliasCount: 1000 }));
  expect(outcome(() => fast.toJS({ maxAliasCount: 1000 })), text).toEqual(expected);
  // The plain value built while reading: toJS()'s, with no alias limit (load.ts applies its own), each alias the
  // very value of its anchor, as toJS() shares it.
  const unbounded = library!.doc.toJS({ maxAliasCount: -1 });
  expect({ value: sharing(read.plain) }, text).toStrictEqual({ value: sharing(unbounded) });
  expect(read.aliased, text).toBe(isAliased(library!.doc.contents));
  // Every node's plain value, as render asks for it, is its toJS() (a file the library read gets toJS() itself).
  const seam = outcome(() => parseYamlSource(text, 'c.yml', options));
  if ('value' in seam && !(seam.value as SourceFile).comments) {
    const src = seam.value as SourceFile;
    visit(src.doc, {
      Node: (_, node) => {
        expect({ value: sharing(nodePlain(src.doc, node)) }, text).toStrictEqual({ value: sharing(node.toJS(src.doc, { maxAliasCount: -1 })) });
      },
    });
  }
  // The nodes work as the library's own: written out (the fast reader keeps no comments or blank lines) and copied.
  if (!/#|^ *\n|\n *\n/.test(text)) expect(String(fast), text).toBe(String(library!.doc));
  expect(shape(fast.clone().contents)).toEqual(shape(library!.doc.contents));
  expect(lines.lineStarts).toEqual(library!.lines.lineStarts);
  expect(fast.directives?.docStart).toEqual(library!.doc.directives?.docStart);
  const { _directives: _, lineCounter: __, ...libraryOptions } = library!.doc.options as Record<string, unknown>;
  const { lineCounter: ___, ...fastOptions } = fast.options as Record<string, unknown>;
  expect(fastOptions).toEqual(libraryOptions);
  expect(fast.directives?.yaml).toEqual(library!.doc.directives?.yaml);
  return true;
}

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.ya?ml$/.test(name)) yield path;
  }
}

describe('fast YAML reader', () => {
  it('builds the library document for every fixture and example it accepts', () => {
    let accepted = 0;
    let total = 0;
    for (const path of [...files('fixtures'), ...files('examples')]) {
      total++;
      if (compare(readFileSync(path, 'utf8'))) accepted++;
    }
    // Most fixtures are plain files; the rest use anchors, block scalars, tags or are invalid on purpose.
    expect(accepted).toBeGreaterThan(total / 2);
  }, 60_000);

  it('reads the embedded policies the same way', () => {
    expect(compare(builtinPolicies.default, {})).toBe(true);
    for (const text of Object.values(builtinPolicies)) compare(text, {});
  });

  it('accepts plain Compose files: maps, sequences, quoted and flow values, comments', () => {
    const text = [
      '# header',
      '',
      'services:',
      '  web:',
      '    image: "nginx:1.25"   # pinned',
      "    command: ['sh', '-c', 'echo it''s']",
      '    ports:',
      '    - "80:80"',
      '    - 443',
      '    ports: [80, "443:443"]',
      '    environment:',
      '      A: 1',
      '      B: "x\\ty\\u00e9"',
      '      C:',
      '      D: ~',
      '    healthcheck:',
      '      test: |',
      '        curl -f http://localhost/ || exit 1',
      '',
      '        # not a comment',
      '    labels: {a: b, "c d": [1, 2], __proto__: x, toString: y, 1: one, "1": uno}',
      '    volumes:',
      '      - data:/data:ro',
      '      - type: volume',
      '        source: cache',
      '          # deeper comment',
      '        target: /cache',
      '',
      '      # trailing comment of volumes',
      '    deploy:',
      '      replicas: 0x10',
      '      placement:',
      '        constraints: [node.labels.rack == r1]',
      'volumes:',
      '  data:',
      '  # between',
      '  cache:',
      '    x-voldriver: fast',
      '    # inside cache',
      '',
      '# end',
      '',
    ].join('\n');
    expect(compare(text)).toBe(true);
  });

  it('leaves what it does not read to the library', () => {
    for (const text of [
      'a: &x\nb: 1\n',
      'a: *x\n',
      'a: &x 1\nb: &x 2\n',
      's:\n  - &a k: v\n',
      'a: [&x 1, *x]\n',
      "'s: k0': &a0-{}\n",
      'a: |2\n   text\n',
      'a: >\n  text\n',
      'a: |\n    x\n  y\n',
      'a: |\n  x\n   \n',
      'a: !!str 1\n',
      '---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a: "multi\n  line"\n',
      'a: [1,\n  2]\n',
      'a: b\n  c\n',
      'a:\tb\n',
      'a: 1\r\n',
      '- a\n',
      'a: b: c\n',
      '',
      '# only a comment\n',
    ]) {
      expect(parseSimpleYaml(text, composeYamlOptions), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('matches the library on generated files', () => {
    // mulberry32: a small seeded generator, so a failure can be reproduced.
    let seed = Number(process.env.FAST_YAML_SEED ?? 7);
    const runs = Number(process.env.FAST_YAML_RUNS ?? 2000);
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const pick = <T,>(list: T[]) => list[random(list.length)];
    const scalars = ['a', 'b c', '1', '-2', '0.50', '1e3', 'true', 'no', 'null', '~', '"q"', "'s'", '"a\\"b"', "'it''s'", '017', '0o17', '.inf', 'x:y', 'a#b', '[]', '{}', '[1, "2", x]', '{a: 1, b: [c]}', '[ a , b ]', '""', '"x" ', '-x', '[a:b]', 'a b  c', '/p/q:r'];
    const keys = ['k', 'key two', '"q k"', "'s k'", '1', 'x-y', 'true'];
    const comment = () => pick(['', '', '', '  # c', ' #c', ' ']);
    // Anchors are numbered per file; an alias names one defined before it (or, now and then, one that is not).
    let anchors = 0;
    const anchor = () => (random(6) === 0 ? `&a${anchors++} ` : '');
    // A double-quoted value with escapes: the ones YAML defines, and now and then one it does not (an error the
    // library reports) or a lone surrogate (left to the library).
    const escapes = ['\\n', '\\t', '\\x41', '\\x7f', '\\xe9', '\\u00e9', '\\u2028', '\\U0001F600', '\\\\', '\\"', '\\/', '\\0', '\\e', '\\ ', '\\_', '\\N', '\\L', '\\P', '\\r', '\\a', '\\b', '\\v', '\\f'];
    const escaped = () => {
      let text = '"';
      for (let n = 1 + random(4); n > 0; n--) {
        const r = random(100);
        text += r === 0 ? '\\q' : r === 1 ? '\\ud800' : r === 2 ? '\\x4' : r < 45 ? pick(['a', ' ', 'b c', "'", '#', ': ', 'é']) : pick(escapes);
      }
      return `${text}"`;
    };
    const value = () => (anchors > 0 && random(8) === 0 ? `*a${random(anchors + 1)}` : `${anchor()}${random(6) === 0 ? escaped() : pick(scalars)}`);
    const gap = (indent: number) => {
      const lines: string[] = [];
      for (let n = pick([0, 0, 0, 1, 1, 2, 3]); n > 0; n--) {
        const r = random(4);
        lines.push(r === 0 ? '' : r === 1 ? ' '.repeat(random(4)) : `${' '.repeat(Math.max(0, indent + random(7) - 3))}# g`);
      }
      return lines;
    };
    const map = (indent: number, depth: number, lines: string[], firstPrefix?: string) => {
      const count = 1 + random(3);
      for (let i = 0; i < count; i++) {
        const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent);
        if (i > 0 || firstPrefix === undefined) lines.push(...gap(indent));
        if (anchors > 0 && random(10) === 0) {
          lines.push(`${prefix}<<: *a${random(anchors)}${comment()}`);
          continue;
        }
        const key = pick(keys);
        const head = `${prefix}${/^["']/.test(key) ? `${key.slice(0, -1)}${i}${key[0]}` : `${key}${i}`}:`;
        const r = random(depth < 3 ? 6 : 3);
        if (r === 0 && random(4) === 0) {
          // A literal block scalar: content lines (a "#" there is text), empty lines inside and after.
          lines.push(`${head} ${anchor()}|${pick(['', '-', '+'])}${comment()}`);
          const inner = ' '.repeat(indent + 1 + random(3));
          for (let n = 1 + random(4); n > 0; n--) lines.push(pick([`${inner}x`, `${inner}y z`, `${inner}# h`, `${inner}  deeper`, '']));
          lines[lines.length - 1] ||= `${inner}end`;
          for (let n = random(3); n > 0; n--) lines.push('');
        } else if (r <= 1) lines.push(`${head} ${value()}${comment()}`);
        else if (r === 2) lines.push(`${head}${comment()}`);
        else {
          lines.push(`${head}${random(4) === 0 ? ` &a${anchors++}` : ''}${comment()}`);
          lines.push(...gap(indent + 2));
          // A sequence is indented under its key, or sits at the key's own indent.
          if (r === 5) seq(random(3) === 0 ? indent : indent + 1 + random(3), depth + 1, lines);
          else map(indent + 1 + random(3), depth + 1, lines);
        }
      }
    };
    const seq = (indent: number, depth: number, lines: string[]) => {
      const count = 1 + random(3);
      for (let i = 0; i < count; i++) {
        if (i > 0) lines.push(...gap(indent));
        const dash = `${' '.repeat(indent)}-${' '.repeat(1 + random(2))}`;
        if (random(2) && depth < 4) map(dash.length, depth + 1, lines, dash);
        else if (random(8) === 0) {
          lines.push(`${dash}|${pick(['', '-', '+'])}${comment()}`);
          const inner = ' '.repeat(indent + 1 + random(3));
          for (let n = 1 + random(3); n > 0; n--) lines.push(pick([`${inner}x`, `${inner}# h`, '']));
          lines[lines.length - 1] ||= `${inner}end`;
        } else lines.push(`${dash}${value()}${comment()}`);
      }
    };
    const texts = new Set<string>();
    let accepted = 0;
    let acceptedEscapes = 0;
    for (let n = 0; n < runs; n++) {
      anchors = 0;
      const lines: string[] = [...gap(0)];
      map(0, 0, lines);
      lines.push(...gap(0));
      const text = lines.join('\n') + (random(4) ? '\n' : '');
      texts.add(text);
      if (compare(text)) {
        accepted++;
        if (text.includes('\\')) acceptedEscapes++;
      }
      else if (viaLibrary(text) && process.env.FAST_YAML_SHOW) console.log(JSON.stringify(text));
      // A few characters changed: the result is often invalid, and must then be left to the library.
      let mutated = text;
      for (let m = 1 + random(3); m > 0; m--) {
        const at = random(mutated.length + 1);
        mutated = mutated.slice(0, at) + pick([':', '-', '#', ' ', '  ', '"', "'", '[', ']', '{', '}', ',', '\n', '? ', '- ', ': ', '']) + mutated.slice(at + random(2));
      }
      compare(mutated);
    }
    if (process.env.FAST_YAML_SHOW) console.log('accepted', accepted, 'with escapes', acceptedEscapes);
    expect(texts.size).toBeGreaterThan(runs * 0.95);
    expect(accepted).toBeGreaterThan(runs * 0.7);
    // Files with escapes in double-quoted values are compared, not only generated.
    expect(acceptedEscapes).toBeGreaterThan(runs * 0.2);
  }, 120_000);
});

describe('aliases', () => {
  it('resolve to the node alias.resolve() finds, an anchor name used again included', () => {
    // A folded scalar sends the file to the library, which allows an anchor name to be defined again.
    const text = ['a: &x 1', 'b: *x', 'c: &x', '  d: *x', 'e: *x', 'f: &y >', '  folded', 'g: [*y, *x]', 'h: { <<: *x, i: 2 }', ''].join('\n');
    for (const doc of [parseAllDocuments(text)[0] as Document, parseYamlSource(text.replace(/>\n  folded/, 'plain'), 'c.yml', composeYamlOptions).doc]) {
      let aliases = 0;
      visit(doc, {
        Alias: (_, alias) => {
          aliases++;
          expect(resolveAlias(doc, alias)).toBe(alias.resolve(doc));
        },
      });
      expect(aliases).toBeGreaterThan(4);
    }
  });
});

describe('duplicate keys', () => {
  const read = (text: string) => () => parseYamlSource(text, 'c.yml', composeYamlOptions);
  it('are refused in small and large maps, plain or quoted, at their second place', () => {
    expect(read('a: 1\nb: 2\na: 3\n')).toThrow(/Map keys must be unique; "a" is repeated/);
    const many = Array.from({ length: 20 }, (_, i) => `k${i}: ${i}`).join('\n');
    expect(read(`${many}\n"k7": x\n`)).toThrow(/"k7" is repeated/);
    expect(read('s:\n  x:\n    - {a: 1, a: 2}\n')).toThrow(/"a" is repeated/);
    expect(read('a: &x 1\nb: [*x]\nc:\n  d: 1\n  d: 2\n')).toThrow(/"d" is repeated/);
  });

  it('compare by the name they take in the plain value: 1 and "1" are one key, as Docker reads them, and 0x1 and 1', () => {
    // The plain value would keep only the last of the two; Docker refuses the file ("mapping key already defined").
    expect(read('1: a\n"1": b\n')).toThrow(/"1" is repeated/);
    expect(read("true: c\n'true': d\n")).toThrow(/"true" is repeated/);
    expect(read('~: a\n"": b\n')).toThrow(/"" is repeated/);
    expect(read('1: a\n0x1: b\n')).toThrow(/"1" is repeated/);
    const many = Array.from({ length: 20 }, (_, i) => `${i}: n`).join('\n');
    expect(read(`${many}\n"3": s\n`)).toThrow(/"3" is repeated/);
    expect(read(`${many}\n0x3: h\n`)).toThrow(/"3" is repeated/);
    expect(read(`${many}\n"20": s\ntrue: t\n`)).not.toThrow();
    expect(read('1: a\n"01": b\ntrue: c\n"True": d\n')).not.toThrow();
  });
});

describe('repeated keys seen by the fast reader', () => {
  const marked = (text: string) => parseSimpleYaml(text, composeYamlOptions)?.repeatedKeys;
  it('marks a file where a map repeats a name, in block and flow maps at any depth, and no other', () => {
    for (const text of ['a: 1\nb: 2\na: 3\n', 's:\n  x:\n    - {a: 1, b: 2, a: 2}\n', 'a: &x 1\nc:\n  d: *x\n  d: 2\n', '1: a\n"1": b\n', '"": a\n~: b\n', 'x: {~: 1, null: 2}\n']) {
      expect(marked(text), text).toBe(true);
    }
    for (const text of ['a: 1\nb:\n  a: 1\n  b: [a, a]\n', 'a: {b: 1, c: {b: 2}}\nd: [{b: 1}, {b: 1}]\n', '__proto__: 1\nconstructor: 2\n']) {
      expect(marked(text), text).toBe(false);
    }
  });
});

describe('fast YAML reader limits', () => {
  it('leaves nesting too deep for its stack to the library, which reports it', () => {
    let text = '';
    for (let i = 0; i < 20000; i++) text += `${' '.repeat(i)}k${i}:\n`;
    expect(parseSimpleYaml(text, composeYamlOptions)).toBeUndefined();
  }, 60_000);
});
