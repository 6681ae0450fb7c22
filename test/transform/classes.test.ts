/** init's edit: x-voldriver with a reason on every volume without a class, every other byte kept. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYamlSource, toPlain } from '../../src/compose/load.js';
import { classifyingPolicy } from '../../src/policies/adoption.js';
import { loadBuiltinPolicy, loadPolicyText } from '../../src/policies/load.js';
import { writeClasses } from '../../src/transform/classes.js';

const policy = classifyingPolicy(loadBuiltinPolicy('builtin:default'));

function init(text: string) {
  const source = parseYamlSource(text, 'compose.yml');
  return writeClasses(source, toPlain(source) as Record<string, unknown>, policy);
}

const stack = (volumes: string) => `services:
  db:
    image: postgres:16
    volumes: [pgdata:/var/lib/postgresql/data]
${volumes}`;

describe('writeClasses', () => {
  it('writes under an empty key, keeping a comment on its line', () => {
    const result = init(stack('volumes:\n  pgdata:   # the database\n'));
    expect(result.output).toBe(stack('volumes:\n  pgdata:   # the database\n    x-voldriver: durable  # postgres data\n'));
    expect(result.choices).toEqual([{ volume: 'pgdata', class: 'durable', because: 'postgres data', written: true }]);
  });

  it('leaves a volume whose x-voldriver has no value, instead of writing a second key', () => {
    for (const empty of ['', ' ~', ' null']) {
      const text = stack(`volumes:\n  pgdata:\n    labels: { a: b }\n    x-voldriver:${empty}\n`);
      const result = init(text);
      expect(result.output, empty).toBe(text);
      expect(result.findings.map((f) => [f.volume, f.code, f.hint])).toEqual([['pgdata', 'init-skipped', 'write the class as its value: x-voldriver: durable']]);
    }
  });

  it('reports a volume whose x-voldriver gives parameters but no class: it has none until one is written', () => {
    const text = stack('volumes:\n  pgdata:\n    x-voldriver: { size: 5Gi }\n');
    const result = init(text);
    expect(result.output).toBe(text);
    expect(result.findings.map((f) => [f.volume, f.code, f.hint])).toEqual([['pgdata', 'init-skipped', 'add the class to it: class: durable']]);
    expect(init(stack('volumes:\n  pgdata:\n    x-voldriver: { class: fast, size: 5Gi }\n')).findings).toEqual([]);
  });

  it('drops a value of ~, null or {} and writes the class under the key', () => {
    for (const empty of ['~', 'null', '{}', '{ }']) {
      expect(init(stack(`volumes:\n  pgdata: ${empty}\n`)).output, empty).toBe(stack('volumes:\n  pgdata:\n    x-voldriver: durable  # postgres data\n'));
    }
  });

  it('appends to a block mapping at its indentation, with the file\'s line ending', () => {
    const text = stack('volumes:\n    pgdata:\n        labels:\n            team: data\n').replace(/\n/g, '\r\n');
    expect(init(text).output).toBe(
      stack('volumes:\n    pgdata:\n        labels:\n            team: data\n        x-voldriver: durable  # postgres data\n').replace(/\n/g, '\r\n'),
    );
  });

  it('indents by the file\'s own step under an empty key', () => {
    const text = 'services:\n    app:\n        image: app\nvolumes:\n    tmp:\n    data:';
    expect(init(text).output).toBe(
      'services:\n    app:\n        image: app\nvolumes:\n    tmp:\n        x-voldriver: fast  # name matches *tmp*\n    data:\n        x-voldriver: durable  # no rule matched: default class',
    );
  });

  it('leaves alone what already has a class, a driver, or is external', () => {
    const text = stack(
      'volumes:\n  pgdata:\n    x-voldriver: fast\n  old:\n    driver: local\n  opts:\n    driver_opts: { type: tmpfs, device: tmpfs }\n  ext:\n    external: true\n',
    );
    expect(init(text)).toEqual({ output: text, choices: [], findings: [] });
  });

  it('is idempotent: a second run changes nothing', () => {
    const once = init(stack('volumes:\n  pgdata:\n  cache: {}\n  media:\n    name: media\n')).output;
    expect(init(once).output).toBe(once);
    expect(init(once).choices).toEqual([]);
  });

  it('refuses, with a finding, what one edit cannot change alone', () => {
    const anchored = init(stack('volumes:\n  pgdata: &vol\n    labels: { a: b }\n  other: *vol\n'));
    expect(anchored.output).toBe(stack('volumes:\n  pgdata: &vol\n    labels: { a: b }\n  other: *vol\n'));
    expect(anchored.findings.map((f) => [f.volume, f.code, f.severity])).toEqual([
      ['pgdata', 'init-skipped', 'warning'],
      ['other', 'init-skipped', 'warning'],
    ]);
    const flow = init(stack('volumes: { pgdata: {} }\n'));
    expect(flow.output).toBe(stack('volumes: { pgdata: {} }\n'));
    expect(flow.findings[0].message).toMatch(/flow mapping/);
    const flowVolume = init(stack('volumes:\n  pgdata: { labels: { a: b } }\n'));
    expect(flowVolume.choices[0].written).toBe(false);
  });

  it('quotes a class name YAML would read as something else', () => {
    const own = loadPolicyText('version: 1\ndefault_class: "yes"\nclasses: { "yes": { driver: local } }\n', 'p.yml');
    const source = parseYamlSource('volumes:\n  data:\n', 'compose.yml');
    expect(writeClasses(source, toPlain(source) as Record<string, unknown>, own).output).toBe('volumes:\n  data:\n    x-voldriver: "yes"  # no rule matched: default class\n');
  });

  it('the output reads as the input plus one x-voldriver per volume', () => {
    const text = stack('volumes:\n  pgdata:\n  build-cache: {}\n  media:\n    labels: [a=b]\n');
    const output = parse(init(text).output);
    expect(output.volumes).toEqual({
      pgdata: { 'x-voldriver': 'durable' },
      'build-cache': { 'x-voldriver': 'fast' },
      media: { labels: ['a=b'], 'x-voldriver': 'durable' },
    });
  });
});

describe('classifyingPolicy', () => {
  it('keeps a policy that classifies by itself, and refuses one that cannot take the built-in rules', () => {
    const own = loadPolicyText('version: 1\ndefault_class: a\nclasses: { a: { driver: local } }\n', 'p.yml');
    expect(classifyingPolicy(own)).toBe(own);
    const bare = loadPolicyText('version: 1\nclasses: { a: { driver: local } }\n', 'p.yml');
    let thrown: unknown;
    try {
      classifyingPolicy(bare);
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toMatch(/no rules and no default_class/);
    // init takes the policy it classifies by as --rules; its --policy names a file to write.
    expect((thrown as { hint?: string }).hint).toBe('add rules or a default_class to the policy, or pass --rules builtin:NAME');
  });
});

describe('writeClasses: volumes shared through volumes_from', () => {
  it('counts the services that take a volume through volumes_from as mounting it', () => {
    const text = 'services:\n  app:\n    image: nginx\n    volumes: [uploads:/u]\n  sync:\n    image: rclone\n    volumes_from: ["app:ro"]\nvolumes:\n  uploads: {}\n';
    expect(init(text).choices).toEqual([{ volume: 'uploads', class: 'shared', because: 'mounted by app, sync', written: true }]);
  });
});
