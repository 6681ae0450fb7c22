/**
 * Names that are members of Object.prototype, in every place where user text names something: they are plain
 * names like any other, never an inherited function or object.
 */
import { describe, expect, it } from 'vitest';
import { parseParameters } from '../../src/action/inputs.js';
import { redactOptions } from '../../src/report/redact.js';
import { INTERNAL, runIn, scratch } from './run.js';

const NAMES = Object.getOwnPropertyNames(Object.prototype);

const stack = (volume: string, extension = '', service = 'app') =>
  `services:\n  ${service}:\n    image: nginx\n    volumes:\n      - ${JSON.stringify(`${volume}:/data`)}\nvolumes:\n  ${JSON.stringify(volume)}:${extension}\n`;
const policy = (body: string) => `version: 1\n${body}`;
const CLASSES = 'classes:\n  durable:\n    driver: local\n';

describe.each(NAMES)('the name %s', (name) => {
  const q = JSON.stringify(name);

  it('as an x-voldriver class: unknown class, exit 2', async () => {
    for (const extension of [`\n    x-voldriver: ${q}`, `\n    x-voldriver:\n      class: ${q}`]) {
      const r = await runIn(scratch({ 'compose.yml': stack('data', extension) }), ['render', '-f', 'compose.yml']);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`asks for class "${name}"`);
    }
  });

  it('as default_class and as a rule class: a policy error at its line', async () => {
    for (const body of [`default_class: ${q}\n${CLASSES}`, `${CLASSES}rules:\n  - match: { volume: "*" }\n    class: ${q}\n`]) {
      const dir = scratch({ 'compose.yml': stack('data', ' {}'), 'p.yml': policy(body) });
      const r = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'p.yml']);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`p\\.yml:\\d+:\\d+: error: invalid policy: unknown class "${name.replace(/[$]/g, '\\$&')}"`));
    }
  });

  it('as a built-in policy name: unknown built-in policy', async () => {
    const r = await runIn(scratch({ 'compose.yml': stack('data', ' {}') }), ['render', '-f', 'compose.yml', '--policy', `builtin:${name}`]);
    expect(r.err).not.toMatch(INTERNAL);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`unknown built-in policy "${name}"`);
  });

  it('as --env, --set and VOLDRIVER_ variable: changes nothing the policy did not set', async () => {
    const dir = scratch({ 'compose.yml': stack('data', '\n    x-voldriver: durable'), 'p.yml': policy(CLASSES) });
    const plain = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'p.yml']);
    expect(plain.code).toBe(0);
    for (const args of [['--env', name], ['--set', `${name}=x`]]) {
      const r = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'p.yml', ...args]);
      expect(r.err).not.toMatch(INTERNAL);
      if (args[0] === '--set' && !/^[A-Za-z_]\w*$/.test(name)) {
        expect(r.code).toBe(2);
        continue;
      }
      expect(r.code).toBe(0);
      expect(r.out).toBe(plain.out);
    }
    const r = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'p.yml'], { [`VOLDRIVER_${name.toUpperCase()}`]: 'x' });
    expect(r.out).toBe(plain.out);
  });

  it('as a placeholder: missing unless given, and the given value when given', async () => {
    if (!/^[A-Za-z_]\w*$/.test(name)) return;
    const withLabel = `classes:\n  durable:\n    driver: local\n    labels: { tag: "{${name}}" }\n`;
    const dir = scratch({ 'compose.yml': stack('data', '\n    x-voldriver: durable'), 'p.yml': policy(withLabel), 'q.yml': policy(`parameters: { ${q}: given }\n${withLabel}`) });
    const missing = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'p.yml']);
    expect(missing.err).not.toMatch(INTERNAL);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`needs a value for {${name}}`);
    for (const [policyFile, extra] of [['q.yml', []], ['p.yml', ['--set', `${name}=given`]]] as const) {
      const r = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', policyFile, ...extra]);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.code).toBe(0);
      expect(r.out).toContain('tag: "given"');
    }
  });

  it('as a class, an environment and a parameter the policy defines: used as written', async () => {
    const body = `environments: [${q}]\nclasses:\n  ${q}:\n    driver: local\n    labels: { tag: "{${name}}" }\n    parameters: { ${q}: base }\n    environments:\n      ${q}: { labels: { env: "yes" } }\n`;
    const dir = scratch({ 'compose.yml': stack('data', `\n    x-voldriver: ${q}`), 'p.yml': policy(body) });
    const r = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'p.yml', '--env', name]);
    expect(r.err).not.toMatch(INTERNAL);
    if (!/^[A-Za-z0-9]\w*$/.test(name)) {
      // The schema keeps environment names to letters, digits and . _ - after a letter or digit.
      expect(r.code).toBe(2);
      expect(r.err).toContain('invalid policy: environments[0]: must match the pattern');
      return;
    }
    expect(r.code).toBe(0);
    expect(r.out).toContain('tag: "base"');
    expect(r.out).toContain('env: "yes"');
  });

  it('as a volume and a service name: rendered like any other', async () => {
    const r = await runIn(scratch({ 'compose.yml': stack(name, '\n    x-voldriver: durable', q) }), ['render', '-f', 'compose.yml']);
    expect(r.err).not.toMatch(INTERNAL);
    expect(r.code).toBe(0);
    expect(r.out).toContain('com.compose-voldriver.class: "durable"');
  });

  it('as a key of the action\'s set input and of options shown redacted: an own key', () => {
    if (/^[A-Za-z_]\w*$/.test(name)) expect(Object.hasOwn(parseParameters([`${name}=x`]), name)).toBe(true);
    expect(Object.entries(redactOptions({ [name]: 'x', password: 'y' } as Record<string, string>, []))).toEqual([[name, 'x'], ['password', '***']]);
  });

  it('as a driver option and a label key, in the policy and the compose file: written, or replaced, like any other', async () => {
    const body = (options: string) => `classes:\n  durable:\n    driver: mycorp/fs\n    driver_opts: { ${options} }\n    labels: { ${q}: b }\n`;
    const dir = scratch({
      'compose.yml': stack('data', `\n    x-voldriver: durable\n    driver_opts: { ${q}: stale, type: stale }`),
      'p.yml': policy(body(`${q}: a, type: x`)),
      'q.yml': policy(body('type: x')),
    });
    for (const extra of [[], ['--resolve'], ['--target', 'swarm']]) {
      const r = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'p.yml', ...extra]);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`${name}: "a"`);
      expect(r.out).toContain(`${name}: "b"`);
      expect(r.out).not.toContain('stale');
      const dropped = await runIn(dir, ['render', '-f', 'compose.yml', '--policy', 'q.yml', ...extra]);
      expect(dropped.code).toBe(0);
      expect(dropped.out).not.toContain('stale');
    }
    const explained = await runIn(dir, ['explain', '-f', 'compose.yml', '--policy', 'p.yml', '--format', 'json']);
    const volume = (JSON.parse(explained.out) as { volumes: { driver_opts: object; labels: object }[] }).volumes[0];
    expect(Object.hasOwn(volume.driver_opts, name) && Object.hasOwn(volume.labels, name)).toBe(true);
  });

  it('as an extended service, a dependency and a variable: reported as missing', async () => {
    const extendsIt = `services:\n  app:\n    image: x\n    extends: { service: ${q} }\n`;
    let r = await runIn(scratch({ 'compose.yml': extendsIt }), ['render', '-f', 'compose.yml']);
    expect(r.err).not.toMatch(INTERNAL);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`defines no service "${name}"`);
    const variable = /^[A-Za-z_]\w*$/.test(name) ? `services:\n  app:\n    image: "x:\${${name}}"\n` : undefined;
    if (variable) {
      r = await runIn(scratch({ 'compose.yml': variable }), ['render', '-f', 'compose.yml', '--resolve']);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.code).toBe(0);
      expect(r.out).toContain('image: "x:"');
      expect(r.err).toContain(`variable ${name} is not set`);
    }
    const profiled = `services:\n  app:\n    image: x\n    depends_on: [${q}]\n`;
    r = await runIn(scratch({ 'compose.yml': profiled }), ['render', '-f', 'compose.yml']);
    expect(r.err).not.toMatch(INTERNAL);
  });
});
