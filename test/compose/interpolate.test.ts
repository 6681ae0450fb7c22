import { describe, expect, it } from 'vitest';
import { parseYamlSource, toPlain } from '../../src/compose/load.js';
import { interpolateString, interpolateTree, TemplateError } from '../../src/compose/interpolate.js';
import { InputError, type Finding } from '../../src/findings.js';

const env = { NAME: 'demo', EMPTY: '', PORT: '8080' };
const sub = (text: string, vars: Record<string, string | undefined> = env) => interpolateString(text, vars);

describe('interpolateString', () => {
  it.each([
    ['$NAME', 'demo'],
    ['${NAME}', 'demo'],
    ['pre-${NAME}-post', 'pre-demo-post'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${NAME:-fallback}', 'demo'],
    ['${MISSING-fallback}', 'fallback'],
    ['[${EMPTY-fallback}]', '[]'],
    ['${NAME:?required}', 'demo'],
    ['[${EMPTY?required}]', '[]'],
    ['${NAME:+alt}', 'alt'],
    ['[${EMPTY:+alt}]', '[]'],
    ['[${MISSING:+alt}]', '[]'],
    ['${EMPTY+alt}', 'alt'],
    ['[${MISSING+alt}]', '[]'],
    ['${MISSING:-${ALSO:-${NAME}}}', 'demo'],
    ['${NAME:+${NAME}:${PORT}}', 'demo:8080'],
    ['${MISSING:-{json}}', '{json}'],
    ['$$NAME', '$NAME'],
    ['$${NAME}', '${NAME}'],
    ['a $$ b', 'a $ b'],
    ['costs $5', 'costs $5'],
    ['trailing $', 'trailing $'],
    ['$NAME_SUFFIX', ''],
    ['${NAME}_SUFFIX', 'demo_SUFFIX'],
  ])('%s -> %s', (text, expected) => {
    expect(sub(text)).toBe(expected);
  });

  it('reports each unset variable without a default and substitutes ""', () => {
    const unset: string[] = [];
    expect(interpolateString('a${X}b$Y${Z:-z}', {}, { onUnset: (n) => unset.push(n) })).toBe('abz');
    expect(unset).toEqual(['X', 'Y']);
  });

  it('only expands the default when it is used', () => {
    expect(sub('${NAME:-${NOPE:?never evaluated}}')).toBe('demo');
  });

  it('accepts a lookup function', () => {
    expect(interpolateString('${A}', (name) => (name === 'A' ? 'a' : undefined))).toBe('a');
  });

  it('fails for a missing required variable, naming it and the reason', () => {
    expect(() => sub('${MISSING:?set MISSING please}')).toThrow('required variable MISSING is missing a value: set MISSING please');
    expect(() => sub('${EMPTY:?}')).toThrow(/^required variable EMPTY is missing a value$/);
    expect(() => sub('${MISSING?}')).toThrow(TemplateError);
    try {
      sub('${MISSING?x}');
    } catch (error) {
      expect((error as TemplateError).variable).toBe('MISSING');
    }
  });

  it('fails for malformed braces', () => {
    expect(() => sub('${NAME')).toThrow(TemplateError);
    expect(() => sub('${}')).toThrow(/not a variable/);
    expect(() => sub('${1A}')).toThrow(TemplateError);
    expect(() => sub('${NAME!x}')).toThrow(/unexpected "!x"/);
  });
});

describe('interpolateTree', () => {
  const load = (text: string, vars: Record<string, string>) => {
    const src = parseYamlSource(text, 'compose.yml');
    const findings: Finding[] = [];
    const tree = interpolateTree(toPlain(src), { src, lookup: (n) => vars[n], findings });
    return { tree, findings };
  };

  it('interpolates values, never keys', () => {
    const { tree } = load('services:\n  ${NAME}:\n    image: ${NAME}\n    labels: ["${NAME}=x"]\n', { NAME: 'web' });
    expect(tree).toEqual({ services: { '${NAME}': { image: 'web', labels: ['web=x'] } } });
  });

  it('turns typed fields back into numbers and booleans', () => {
    const { tree } = load(
      'services:\n  a:\n    read_only: ${RO}\n    deploy:\n      replicas: ${N}\n    environment:\n      N: ${N}\nvolumes:\n  v:\n    external: ${RO}\n',
      { RO: 'yes', N: '3' },
    );
    expect(tree).toEqual({
      services: { a: { read_only: true, deploy: { replicas: 3 }, environment: { N: '3' } } },
      volumes: { v: { external: true } },
    });
  });

  it('refuses a typed field that does not convert, with its location', () => {
    expect(() => load('services:\n  a:\n    deploy:\n      replicas: ${N}\n', { N: 'many' })).toThrow(/not an integer/);
  });

  it('warns about unset variables with path and position', () => {
    const { tree, findings } = load('services:\n  a:\n    image: "busybox:${TAG}"\n', {});
    expect(tree).toEqual({ services: { a: { image: 'busybox:' } } });
    expect(findings).toMatchObject([
      { code: 'unset-variable', severity: 'warning', path: ['services', 'a', 'image'], file: 'compose.yml', line: 3, col: 12 },
    ]);
  });

  it('turns a missing required variable into an InputError at file:line:col', () => {
    try {
      load('volumes:\n  v:\n    driver_opts:\n      device: ${DEV:?no device}\n', {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe('required variable DEV is missing a value: no device');
      expect((error as InputError).location).toEqual({ file: 'compose.yml', line: 4, col: 15 });
    }
  });

  it('applies << merge keys: own keys first, then each source in order', () => {
    const { tree } = load('x: &a {p: 1, q: 1}\ny: &b {q: 2, r: 2}\nz:\n  <<: [*a, *b]\n  p: 0\n', {});
    expect((tree as Record<string, unknown>).z).toEqual({ p: 0, q: 1, r: 2 });
  });
});
