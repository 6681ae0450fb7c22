/**
 * Properties of render over generated compose documents (volumes, classes, short and long mounts, comments,
 * anchors and merge keys, quoting, CRLF, a byte-order mark) and policies with environments. 1000 cases per
 * property in `npm test`; PROPERTY_RUNS=N for more.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError, renderStack, type PolicyDocument } from '../../src/index.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const quote = (text: string, style: number) => (style === 0 ? text : style === 1 ? `"${text}"` : `'${text}'`);

interface Doc {
  text: string;
  volumes: string[];
}

const documents = fc
  .record({
    // One-letter volumes are left out: Docker reads `v:/d` as a Windows drive path, and render refuses it.
    volumes: fc.uniqueArray(name.filter((n) => n.length > 1), { minLength: 1, maxLength: 6 }),
    classes: fc.array(fc.constantFrom('fast', 'shared', 'durable', undefined, 'extended'), { minLength: 6, maxLength: 6 }),
    labelled: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    services: fc.uniqueArray(name.map((n) => `s-${n}`), { minLength: 1, maxLength: 3 }),
    mounts: fc.array(fc.tuple(fc.nat(5), fc.nat(2), fc.boolean()), { maxLength: 8 }),
    quoting: fc.nat(2),
    comments: fc.boolean(),
    anchors: fc.boolean(),
    crlf: fc.boolean(),
    bom: fc.boolean(),
  })
  .map((g): Doc => {
    const lines: string[] = [];
    const note = (text: string) => (g.comments ? `  # ${text}` : '');
    if (g.anchors) lines.push('x-common: &common', '  image: nginx:1', '  restart: always' + note('shared'));
    lines.push('services:' + note('the services'));
    g.services.forEach((service, s) => {
      lines.push(`  ${service}:`);
      if (g.anchors) lines.push('    <<: *common');
      else lines.push(`    image: ${quote('nginx', g.quoting)}`);
      const mounts = g.mounts.filter(([, at]) => at % g.services.length === s);
      if (mounts.length > 0) lines.push('    volumes:');
      mounts.forEach(([v, , long], i) => {
        const volume = g.volumes[v % g.volumes.length];
        if (long) lines.push('      - type: volume', `        source: ${quote(volume, g.quoting)}`, `        target: /m${i}`);
        else lines.push(`      - ${quote(`${volume}:/m${i}`, g.quoting)}` + note('mount'));
      });
    });
    lines.push('volumes:');
    g.volumes.forEach((volume, v) => {
      const cls = g.classes[v];
      lines.push(`  ${quote(volume, g.quoting)}:` + note('a volume'));
      if (cls === 'extended') lines.push('    x-voldriver:', '      class: durable', '      size: 5Gi');
      else if (cls !== undefined) lines.push(`    x-voldriver: ${quote(cls, g.quoting)}`);
      if (g.labelled[v]) lines.push('    labels:', `      team: ${quote('core', g.quoting)}`);
    });
    let text = lines.join('\n') + '\n';
    if (g.crlf) text = text.replace(/\n/g, '\r\n');
    if (g.bom) text = '\ufeff' + text;
    return { text, volumes: g.volumes };
  });

/** A policy with every class and two environments; env b moves classes to other drivers and adds placement. */
const policies = fc.record({ defaultClass: fc.constantFrom(undefined, 'fast'), placement: fc.boolean(), rename: fc.boolean() }).map((p): PolicyDocument => ({
  version: 1 as const,
  ...(p.defaultClass ? { default_class: p.defaultClass } : {}),
  environments: ['a', 'b'],
  classes: {
    fast: { driver: 'local', environments: { b: { driver: 'local', driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size=64m' } } } },
    shared: { driver: 'local', driver_opts: { type: 'nfs', device: ':/exports/{volume}', o: 'addr=10.0.0.1,rw' }, environments: { b: { labels: { tier: 'b' } } } },
    durable: {
      driver: 'local',
      labels: { backup: 'daily' },
      ...(p.rename ? { name: '{volume}-v2' } : {}),
      environments: { b: { driver: 'pxd', driver_opts: { size: '{size}', repl: '3' }, parameters: { size: '10Gi' }, ...(p.placement ? { placement: ['node.labels.zone == z1'] } : {}) } },
    },
  },
}));

function render(text: string, policy: PolicyDocument, environment: string) {
  try {
    return renderStack({ sources: [{ name: 'stack.yml', text }], policy, environment });
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

const lines = (text: string) => text.replace(/^\ufeff/, '').split(/\r?\n/);
function isSubsequence(small: string[], big: string[]): boolean {
  let j = 0;
  for (const line of small) {
    while (j < big.length && big[j] !== line) j++;
    if (j === big.length) return false;
    j++;
  }
  return true;
}

describe('render over generated stacks and policies', () => {
  it('never fails unexpectedly; is idempotent; keeps every input line, volume and mount; validates; B after A is B', () => {
    let rendered = 0;
    let changed = 0;
    fc.assert(
      fc.property(documents, policies, fc.constantFrom('a', 'b'), fc.constantFrom('a', 'b'), (doc, policy, envA, envB) => {
        const a = render(doc.text, policy, envA);
        if (!a) return;
        const errors = a.findings.filter((f) => f.severity === 'error');
        if (errors.length > 0) return;
        rendered++;
        if (a.changed) changed++;
        // Idempotent.
        expect(render(a.output, policy, envA)?.output).toBe(a.output);
        // Every input line is still there, in order; the byte-order mark and the line ends too.
        expect(isSubsequence(lines(doc.text), lines(a.output))).toBe(true);
        expect(a.output.startsWith('\ufeff')).toBe(doc.text.startsWith('\ufeff'));
        expect(a.output.includes('\r\n')).toBe(doc.text.includes('\r\n'));
        expect(a.output.replace(/\r\n/g, '').includes('\n')).toBe(!doc.text.includes('\r\n') && doc.text.includes('\n'));
        // Every volume and mount is still there.
        const before = parse(doc.text.replace(/^\ufeff/, ''));
        const after = parse(a.output.replace(/^\ufeff/, ''));
        expect(Object.keys(after.volumes ?? {})).toEqual(Object.keys(before.volumes ?? {}));
        for (const service of Object.keys(before.services)) expect(after.services[service].volumes).toEqual(before.services[service].volumes);
        // The output validates.
        expect(a.findings.filter((f) => f.code === 'schema')).toEqual([]);
        const again = render(a.output, policy, envA);
        expect(again?.findings.filter((f) => f.code === 'schema')).toEqual([]);
        // Rendering for B what was rendered for A gives what rendering for B gives.
        const b = render(doc.text, policy, envB);
        const bAfterA = render(a.output, policy, envB);
        if (b && bAfterA && !b.findings.some((f) => f.severity === 'error')) expect(bAfterA.output).toBe(b.output);
      }),
      { numRuns: RUNS },
    );
    // The properties were checked on real renders, most of which changed the file.
    expect(rendered).toBeGreaterThan(RUNS * 0.8);
    expect(changed).toBeGreaterThan(RUNS * 0.5);
  }, 300_000);
});

/** Stacks with what the swarm target changes: a version it refuses, name, profiles, Compose-only keys, long forms, typed strings, variables. */
const swarmDocuments = fc
  .record({
    base: documents,
    version: fc.constantFrom(undefined, '"2"', '"3.8"', '2.4'),
    name: fc.boolean(),
    extras: fc.uniqueArray(fc.constantFrom('profiles', 'mem_limit', 'depends_on', 'replicas', 'variable', 'flow', 'tmpfs'), { maxLength: 5 }),
  })
  .map(({ base, version, name: named, extras }): Doc & { touched: Set<string> } => {
    const eol = base.text.includes('\r\n') ? '\r\n' : '\n';
    const bom = base.text.startsWith('\ufeff') ? '\ufeff' : '';
    const input = base.text.replace(/^\ufeff/, '').split(eol);
    const out: string[] = [];
    const touched = new Set<string>();
    const add = (line: string, changes: boolean) => {
      out.push(line);
      if (changes) touched.add(line);
    };
    if (version) add(`version: ${version}`, !version.includes('3.8'));
    if (named) add('name: shop  # Compose only', true);
    let inServices = false;
    for (const line of input) {
      out.push(line);
      // The service the others depend on.
      if (line.startsWith('services:')) out.push('  db:', '    image: postgres');
      if (/^\S/.test(line)) inServices = line.startsWith('services:');
      if (!inServices || !/^ {2}s-[a-z0-9_-]+:/.test(line)) continue;
      for (const extra of extras) {
        if (extra === 'profiles') add('    profiles: [never]', true);
        if (extra === 'mem_limit') add('    mem_limit: 512m   # a cap', true);
        if (extra === 'depends_on') ['    depends_on:', '      db:', '        condition: service_started'].forEach((l) => add(l, true));
        if (extra === 'replicas') ['    deploy:', '      replicas: "2"   # as a string'].forEach((l, i) => add(l, i === 1));
        if (extra === 'variable') add('    hostname: "${HOST:-web}"', true);
        if (extra === 'flow') add('    command: ["serve", "--port",  "80"]   # flow, spaced', false);
        if (extra === 'tmpfs') add('    stop_grace_period: 1m', false);
      }
    }
    const text = bom + out.join(eol);
    return { text, volumes: base.volumes, touched };
  });

describe('swarm render over generated stacks', () => {
  it('writes the lines the target does not change as they were, reads back as it should, and is idempotent', () => {
    let checked = 0;
    let changed = 0;
    fc.assert(
      fc.property(swarmDocuments, policies, (doc, policy) => {
        let result;
        try {
          result = renderStack({ sources: [{ name: 'stack.yml', text: doc.text }], policy, environment: 'a', target: 'swarm', profiles: ['never'] });
        } catch (error) {
          if (error instanceof InputError) return;
          throw error;
        }
        if (result.findings.some((f) => f.severity === 'error')) return;
        checked++;
        if (result.findings.some((f) => f.code.endsWith('-for-stack-deploy'))) changed++;
        // Every line the target has no reason to change is still there, byte for byte, in order.
        const kept = lines(doc.text).filter((line) => !doc.touched.has(line) && !/^ {2}s-/.test(line));
        expect(isSubsequence(kept, lines(result.output))).toBe(true);
        expect(result.findings.filter((f) => f.code === 'schema')).toEqual([]);
        const again = renderStack({ sources: [{ name: 'stack.yml', text: result.output }], policy, environment: 'a', target: 'swarm', profiles: ['never'] });
        expect(again.output).toBe(result.output);
        const after = parse(result.output.replace(/^\ufeff/, ''));
        expect(after.version === undefined || String(after.version).startsWith('3')).toBe(true);
        expect(after.name).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
    // The properties were checked on real renders, most of which the target changed.
    expect(checked).toBeGreaterThan(RUNS * 0.9);
    expect(changed).toBeGreaterThan(RUNS * 0.5);
  }, 300_000);
});
