/**
 * A volume's x-voldriver across several files: the short form is `{class: NAME}` before merging, so a class in
 * one file and parameters in another combine, and a later class replaces the earlier one.
 */
import { describe, expect, it } from 'vitest';
import { explainStack, renderStack } from '../../src/index.js';

const policy = {
  version: 1 as const,
  classes: {
    fast: { driver: 'local', driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size={size}' }, parameters: { size: '1g' } },
    slow: { driver: 'local', driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size={size},mode=0700' }, parameters: { size: '2g' } },
  },
};

const base = (extension: string) => `services:\n  a:\n    image: x\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-voldriver: ${extension}\n`;
const over = (extension: string) => `volumes:\n  data:\n    x-voldriver: ${extension}\n`;

function plan(...texts: string[]) {
  const sources = texts.map((text, i) => ({ name: `f${i}.yml`, text }));
  const result = explainStack({ sources, policy });
  const data = result.plans.find((p) => p.volume === 'data')!;
  return { class: data.class, options: data.driver_opts, findings: result.findings };
}

describe('x-voldriver across -f files', () => {
  it('a class in the base and parameters in an override combine', () => {
    const got = plan(base('fast'), over('{size: 5g}'));
    expect(got.class).toBe('fast');
    expect(got.options.o).toBe('size=5g');
    expect(got.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('parameters in the base and the class in an override combine', () => {
    const got = plan(base('{class: fast, size: 5g}'), over('slow'));
    expect(got.class).toBe('slow');
    expect(got.options.o).toBe('size=5g,mode=0700');
  });

  it('a parameter-only base and a class name in the override combine', () => {
    const got = plan(base('{size: 3g}'), over('fast'));
    expect(got.class).toBe('fast');
    expect(got.options.o).toBe('size=3g');
  });

  it('a later class name replaces an earlier one, in either form', () => {
    expect(plan(base('fast'), over('slow')).class).toBe('slow');
    expect(plan(base('fast'), over('{class: slow}')).class).toBe('slow');
    expect(plan(base('{class: fast}'), over('{class: slow}')).class).toBe('slow');
  });

  it('three files: class, then a parameter, then another parameter', () => {
    const got = plan(base('slow'), over('{size: 4g}'), over('{ignore: [unknown-parameter]}'));
    expect(got.class).toBe('slow');
    expect(got.options.o).toBe('size=4g,mode=0700');
  });

  it('an override with no value keeps the earlier class', () => {
    expect(plan(base('fast'), 'volumes:\n  data:\n    x-voldriver:\n').class).toBe('fast');
  });

  it('a mistyped parameter in the override is reported at its place in the override', () => {
    const got = plan(base('fast'), over('{sise: 5g}'));
    const finding = got.findings.find((f) => f.code === 'unknown-parameter');
    expect(finding).toMatchObject({ severity: 'error', file: 'f1.yml', line: 3 });
    expect(got.class).toBe('fast');
  });

  it('the class name from the base is located in the base file', () => {
    const result = renderStack({
      sources: [
        { name: 'f0.yml', text: base('nosuch') },
        { name: 'f1.yml', text: over('{size: 5g}') },
      ],
      policy,
    });
    const unknown = result.findings.find((f) => f.message.includes('nosuch'));
    expect(unknown).toMatchObject({ severity: 'error', file: 'f0.yml', line: 7 });
  });

  it('the written file carries the combined mapping', () => {
    const result = renderStack({ sources: [{ name: 'f0.yml', text: base('fast') }, { name: 'f1.yml', text: over('{size: 5g}') }], policy });
    expect(result.output).toMatch(/x-voldriver:\n\s+class: fast\n\s+size: 5g\n/);
    expect(result.output).toContain('o: "size=5g"');
  });

  it('includes merge their own files by the same rule', () => {
    const files: Record<string, string> = {
      'top.yml': 'include:\n  - path: [inc/a.yml, inc/b.yml]\n',
      'inc/a.yml': base('fast'),
      'inc/b.yml': over('{size: 6g}'),
    };
    const reader = { readFile: (path: string) => files[path.replace(/^\.\//, '')] ?? (() => { throw new Error(`no ${path}`); })(), exists: (path: string) => path.replace(/^\.\//, '') in files };
    const result = explainStack({ files: ['top.yml'], reader, policy });
    const data = result.plans.find((p) => p.volume === 'data')!;
    expect([data.class, data.driver_opts.o]).toEqual(['fast', 'size=6g']);
  });
});

describe('an x-voldriver class YAML reads as a number or a boolean', () => {
  it('is an error that says to quote the class name; a quoted one is the class', () => {
    for (const [extension, path] of [
      ['007', 'volumes.data.x-voldriver'],
      ['true', 'volumes.data.x-voldriver'],
      ['{class: 2024}', 'volumes.data.x-voldriver.class'],
    ]) {
      const got = plan(base(extension)).findings.find((f) => f.code === 'invalid-x-voldriver');
      expect(got?.path?.join('.'), extension).toBe(path);
      expect(got?.hint, extension).toBe('YAML reads it as a number or a boolean, not as a name: write the class name in quotes, as x-voldriver: "007" for class 007');
    }
    expect(plan(base('[fast]')).findings.find((f) => f.code === 'invalid-x-voldriver')?.hint).toBeUndefined();
    expect(plan(base('"fast"')).class).toBe('fast');
  });
});
