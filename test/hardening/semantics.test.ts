/** Inputs whose meaning was lost before: merge keys in sections, parameter cycles, bad globs, complex keys, --strict, -o "". */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GlobError, matchesGlob, parseGlob } from '../../src/policies/glob.js';
import { INTERNAL, runIn, scratch } from './run.js';

/** The obvious exponential matcher, as the reference on small inputs. */
function reference(name: string, glob: string): boolean {
  const go = (n: number, g: number): boolean => {
    if (g === glob.length) return n === name.length;
    const c = glob[g];
    if (c === '*') return go(n, g + 1) || (n < name.length && go(n + 1, g));
    if (n === name.length) return false;
    if (c === '?') return go(n + 1, g + 1);
    if (c === '[' && glob.indexOf(']', g + 1) !== -1) {
      const end = glob.indexOf(']', g + 1);
      let body = glob.slice(g + 1, end);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      let inside = false;
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          inside ||= name[n] >= body[j] && name[n] <= body[j + 2];
          j += 2;
        } else inside ||= name[n] === body[j];
      }
      return inside !== negated && go(n + 1, end + 1);
    }
    return name[n] === c && go(n + 1, g + 1);
  };
  return go(0, 0);
}

describe('rule globs', () => {
  it('match as the plain backtracking definition does', () => {
    const nameChar = fc.constantFrom('a', 'b', 'c', '-', '[', ']');
    const globChar = fc.constantFrom('a', 'b', 'c', '*', '?', '[a-b]', '[!a]', '[bc]', '-', '[');
    fc.assert(
      fc.property(fc.array(nameChar, { maxLength: 10 }), fc.array(globChar, { maxLength: 8 }), (name, glob) => {
        const n = name.join('');
        const g = glob.join('');
        let readable = true;
        try {
          parseGlob(g);
        } catch {
          readable = false;
        }
        fc.pre(readable);
        expect(matchesGlob(n, g)).toBe(reference(n, g));
      }),
      { numRuns: 2000 },
    );
  });

  it('match a pattern built to backtrack against a long name (work bounded by name x pattern)', () => {
    const glob = '*a'.repeat(30) + '*b';
    expect(matchesGlob('a'.repeat(5000), glob)).toBe(false);
    expect(matchesGlob('a'.repeat(5000) + 'b', glob)).toBe(true);
  });

  it('refuse an empty set and a reversed range', () => {
    for (const bad of ['[z-a]*', 'x[]', '[!]y']) expect(() => parseGlob(bad)).toThrow(GlobError);
  });

  it('an invalid rule glob is a policy error at its line', async () => {
    const policy = 'version: 1\nclasses:\n  a: { driver: local }\nrules:\n  - match: { volume: ok* }\n    class: a\n  - match:\n      service: [web, "[9-0]x"]\n    class: a\n';
    const r = await runIn(scratch({ 'c.yml': 'services:\n  web:\n    image: x\n', 'p.yml': policy }), ['validate', '-f', 'c.yml', '--policy', 'p.yml']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/p\.yml:8:22: error: invalid policy: rule 2 has an invalid glob "\[9-0\]x": the range "9-0" is out of order/);
  });
});

describe('parameters that refer to others', () => {
  const compose = 'services:\n  app:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: a\n';
  it('are filled through, with {volume} and --set values', async () => {
    const policy = 'version: 1\nparameters: { root: "/srv/{volume}", path: "{root}/{leaf}" }\nclasses:\n  a:\n    driver: local\n    labels: { where: "{path}" }\n';
    const r = await runIn(scratch({ 'c.yml': compose, 'p.yml': policy }), ['render', '-f', 'c.yml', '--policy', 'p.yml', '--set', 'leaf=x']);
    expect(r.err).toBe('');
    expect(r.out).toContain('where: "/srv/data/x"');
  });

  it('are an error when they refer to themselves, directly or through others', async () => {
    for (const [parameters, chain] of [
      ['{ a: "x{a}" }', '{a} -> {a}'],
      ['{ a: "{b}", b: "{c}", c: "{a}" }', '{a} -> {b} -> {c} -> {a}'],
    ]) {
      const policy = `version: 1\nparameters: ${parameters}\nclasses:\n  a:\n    driver: local\n    labels: { x: "{a}" }\n`;
      const r = await runIn(scratch({ 'c.yml': compose, 'p.yml': policy }), ['render', '-f', 'c.yml', '--policy', 'p.yml']);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/p\.yml:6:\d+: error parameter-cycle: parameter \{a\} refers to itself: /);
      expect(r.err).toContain(chain);
    }
  });
});

describe('YAML the tool cannot edit in place', () => {
  it('refuses a volume that comes through a << merge key in the volumes section (and --check fails)', async () => {
    const compose = 'x-vols: &v\n  data:\n    x-voldriver: durable\nservices:\n  app:\n    image: nginx\n    volumes: [data:/d]\nvolumes:\n  <<: *v\n';
    const dir = scratch({ 'c.yml': compose });
    for (const extra of [[], ['--check'], ['-o', 'out.yml']]) {
      const r = await runIn(dir, ['render', '-f', 'c.yml', ...extra]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/c\.yml:9:3: error shared-yaml-node: volume "data" comes into the top-level volumes mapping through a "<<" merge key/);
      expect(existsSync(join(dir, 'out.yml'))).toBe(false);
    }
    const resolved = await runIn(dir, ['render', '-f', 'c.yml', '--resolve']);
    expect(resolved.code).toBe(0);
    expect(resolved.out).toMatch(/\n {2}data:\n {4}x-voldriver: durable\n {4}driver: "local"\n/);
  });

  it('refuses a service that comes through a << merge key when it needs placement', async () => {
    const compose = 'x-svcs: &s\n  app:\n    image: nginx\n    volumes: [data:/d]\nservices:\n  <<: *s\nvolumes:\n  data:\n    x-voldriver: a\n';
    const policy = 'version: 1\nclasses:\n  a: { driver: local, placement: ["node.role == manager"] }\n';
    const r = await runIn(scratch({ 'c.yml': compose, 'p.yml': policy }), ['render', '-f', 'c.yml', '--policy', 'p.yml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error shared-yaml-node: service "app" comes into the top-level services mapping through a "<<" merge key/);
  });

  it('refuses placement for a service whose deploy (or placement) comes through a << merge key: an own key would hide it', async () => {
    const compose = [
      'x-deploy: &deploy',
      '  deploy:',
      '    placement:',
      '      constraints: [node.role == worker]',
      'x-placement: &placement',
      '  placement:',
      '    constraints: [node.role == worker]',
      'services:',
      '  app:',
      '    <<: *deploy',
      '    image: nginx',
      '    volumes: [data:/d]',
      '  web:',
      '    image: nginx',
      '    volumes: [data:/d]',
      '    deploy:',
      '      <<: *placement',
      '      replicas: 1',
      'volumes:',
      '  data:',
      '    x-voldriver: a',
      '',
    ].join('\n');
    const policy = 'version: 1\nclasses:\n  a: { driver: local, placement: ["node.labels.zone == a"] }\n';
    const dir = scratch({ 'c.yml': compose, 'p.yml': policy });
    const r = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/c\.yml:10:5: error shared-yaml-node: cannot add placement constraints to services\.app: its deploy comes through a "<<" merge key/);
    expect(r.err).toMatch(/c\.yml:17:7: error shared-yaml-node: cannot add placement constraints to services\.web\.deploy: its placement comes through a "<<" merge key/);
    const resolved = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml', '--resolve']);
    expect(resolved.code, resolved.err).toBe(0);
    expect(resolved.out.match(/- node\.role == worker\n\s+- "node\.labels\.zone == a"/g)).toHaveLength(2);
  });

  it('reports a complex key in its own words, at its place', async () => {
    for (const [text, what, where] of [
      ['services: {}\nvolumes:\n  ? [a, b]\n  : x\n', 'a list', '3:5'],
      ['services: {}\n? {a: 1}\n: x\n', 'a mapping', '2:3'],
      ['a: &k b\nservices: {}\n*k : c\n', 'an alias', '3:1'],
    ]) {
      const r = await runIn(scratch({ 'c.yml': text }), ['render', '-f', 'c.yml']);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`${join(r.dir, 'c.yml')}:${where}: error: unsupported YAML: a mapping key must be a plain value, not ${what}\n`);
    }
  });
});

describe('what render writes when it fails', () => {
  const compose = 'services:\n  app:\n    image: nginx\n    deploy: { replicas: 2 }\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: durable\n';
  const policy = 'version: 1\nclasses:\n  durable: { driver: local, driver_opts: { type: none, device: /srv/data, o: bind } }\n';

  it('--strict with a warning exits 1 and writes nothing: not -o, not --in-place, not stdout', async () => {
    const dir = scratch({ 'c.yml': compose, 'p.yml': policy, 'out.yml': 'old\n' });
    for (const extra of [['-o', 'out.yml'], ['--in-place'], []]) {
      const r = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml', '--strict', ...extra]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/warning node-local-storage/);
      expect(r.err).toMatch(/--strict: nothing written\n$/);
      expect(r.out).toBe('');
    }
    expect(readFileSync(join(dir, 'out.yml'), 'utf8')).toBe('old\n');
    expect(readFileSync(join(dir, 'c.yml'), 'utf8')).toBe(compose);
    const loose = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml', '-o', 'out.yml']);
    expect(loose.code).toBe(0);
    expect(readFileSync(join(dir, 'out.yml'), 'utf8')).toContain('driver: "local"');
  });

  it('-o "" is a usage error, not standard output', async () => {
    const r = await runIn(scratch({ 'c.yml': compose }), ['render', '-f', 'c.yml', '-o', '']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('error: --output needs a file name (got an empty one)\n');
  });

  it('never prints an internal message for these inputs', async () => {
    writeFileSync(join(scratch(), 'x'), '');
    const r = await runIn(scratch({ 'c.yml': compose }), ['render', '-f', 'c.yml', '--strict']);
    expect(r.err).not.toMatch(INTERNAL);
  });
});
