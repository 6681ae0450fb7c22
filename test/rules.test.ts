/** Policy rules: what each matcher matches, and what the built-in platform policies make of unannotated volumes. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadBuiltinPolicy, loadPolicyText } from '../src/policies/load.js';
import { imageName, resolveClass, ruleMatch } from '../src/policies/resolve-class.js';
import { validateModel } from '../src/schema/validate.js';
import { renderStack } from '../src/index.js';

const svc = (name: string, image?: string) => ({ name, image });

describe('rule matchers', () => {
  it('image: the whole reference, without tag or digest, or the last path component', () => {
    const volume = (image: string) => ({ key: 'data', services: [svc('db', image)] });
    for (const image of ['postgres', 'postgres:16', 'postgres:16-alpine', 'library/postgres:16', 'docker.io/library/postgres@sha256:abc', 'localhost:5000/postgres:16']) {
      expect(ruleMatch({ image: 'postgres' }, volume(image)), image).toBe('postgres data');
    }
    expect(ruleMatch({ image: 'postgres' }, volume('postgres-exporter:1'))).toBeUndefined();
    expect(ruleMatch({ image: 'postgres' }, volume('example/app:postgres'))).toBeUndefined();
    expect(ruleMatch({ image: 'bitnami/*' }, volume('bitnami/postgresql:16'))).toBe('postgresql data');
    expect(ruleMatch({ image: 'postgres:15*' }, volume('postgres:16'))).toBeUndefined();
  });

  it('image: a glob written with the registry or library/ matches the image written without, and the reverse', () => {
    const volume = (image: string) => ({ key: 'data', services: [svc('db', image)] });
    for (const glob of ['docker.io/library/postgres', 'library/postgres', 'docker.io/library/postgres:16']) {
      for (const image of ['postgres:16', 'library/postgres:16', 'docker.io/library/postgres:16', 'index.docker.io/library/postgres:16']) {
        expect(ruleMatch({ image: glob }, volume(image)), `${glob} against ${image}`).toBe('postgres data');
      }
    }
    expect(ruleMatch({ image: 'docker.io/bitnami/*' }, volume('bitnami/postgresql:16'))).toBe('postgresql data');
    expect(ruleMatch({ image: 'bitnami/*' }, volume('docker.io/bitnami/postgresql:16'))).toBe('postgresql data');
    expect(ruleMatch({ image: 'docker.io/library/postgres@sha256:*' }, volume('postgres@sha256:abc'))).toBe('postgres data');
    expect(ruleMatch({ image: 'registry:5000/team/*' }, volume('registry:5000/team/pg@sha256:abc'))).toBe('pg data');
    // Another registry is another image: only the name alone matches across registries, as before.
    expect(ruleMatch({ image: 'docker.io/library/postgres' }, volume('ghcr.io/example/postgres:16'))).toBeUndefined();
    expect(ruleMatch({ image: 'docker.io/library/postgres' }, volume('localhost:5000/postgres:16'))).toBeUndefined();
    expect(ruleMatch({ image: 'docker.io/library/postgres' }, volume('example/postgres:16'))).toBeUndefined();
  });

  it('image: any service that mounts the volume; with service, one service must match both', () => {
    const volume = { key: 'data', services: [svc('app', 'example/app'), svc('db', 'mysql:8')] };
    expect(ruleMatch({ image: ['mariadb', 'mysql'] }, volume)).toBe('mysql data');
    expect(ruleMatch({ service: 'app', image: 'mysql' }, volume)).toBeUndefined();
    expect(ruleMatch({ service: 'db', image: 'mysql' }, volume)).toBe('mysql data');
    expect(ruleMatch({ image: 'mysql' }, { key: 'data', services: [svc('built')] })).toBeUndefined();
  });

  it('min_services counts the services that mount the volume', () => {
    const two = { key: 'media', services: [svc('web'), svc('app')] };
    expect(ruleMatch({ min_services: 2 }, two)).toBe('mounted by web, app');
    expect(ruleMatch({ min_services: 3 }, two)).toBeUndefined();
    expect(ruleMatch({ min_services: 2 }, { key: 'media', services: [svc('web')] })).toBeUndefined();
  });

  it('all matchers given must match, and the reason names each', () => {
    const volume = { key: 'build-cache', services: [svc('ci'), svc('runner')] };
    expect(ruleMatch({ volume: ['*tmp*', '*cache*'], min_services: 2 }, volume)).toBe('mounted by ci, runner, name matches *cache*');
    expect(ruleMatch({ volume: '*tmp*', min_services: 2 }, volume)).toBeUndefined();
  });

  it('imageName', () => {
    expect(imageName('registry.example.com:5000/team/app:1.2@sha256:00')).toBe('app');
    expect(imageName('redis')).toBe('redis');
  });

  it('min_services is in the schema: a positive integer', () => {
    const policy = (value: string) => `version: 1\nclasses: { a: { driver: local } }\nrules:\n  - match: { min_services: ${value} }\n    class: a\n`;
    const where = () => ({ file: 'p', line: 1, col: 1 });
    expect(validateModel('policy', parse(policy('2')), where)).toEqual([]);
    expect(validateModel('policy', parse(policy('0')), where)).not.toEqual([]);
    expect(validateModel('policy', parse(policy('two')), where)).not.toEqual([]);
    expect(() => loadPolicyText(policy('1.5'), 'p.yml')).toThrow(/min_services/);
  });
});

describe('built-in platform policies classify unannotated volumes', () => {
  const decide = (name: string, key: string, services: { name: string; image?: string }[], definition: Record<string, unknown> = {}) =>
    resolveClass(loadBuiltinPolicy(`builtin:${name}`), { key, definition, services });

  for (const name of ['aws', 'nfs', 'glusterfs', 'portworx']) {
    it(`builtin:${name}`, () => {
      expect(decide(name, 'pgdata', [svc('db', 'postgres:16')])).toMatchObject({ class: 'durable', reason: 'rule', because: 'postgres data' });
      // A database's volume stays durable when a second service (a backup job) mounts it too.
      expect(decide(name, 'db', [svc('db', 'mariadb:11'), svc('backup', 'example/backup')])).toMatchObject({ class: 'durable', rule: 1 });
      expect(decide(name, 'redis-cache', [svc('redis', 'redis:7')])).toMatchObject({ class: 'durable' });
      expect(decide(name, 'media', [svc('web', 'nginx'), svc('app', 'example/app')])).toMatchObject({ class: 'shared', because: 'mounted by web, app' });
      expect(decide(name, 'build_cache', [svc('app', 'example/app')])).toMatchObject({ class: 'fast', because: 'name matches *cache*' });
      expect(decide(name, 'app-tmp', [svc('app', 'example/app')])).toMatchObject({ class: 'fast' });
      expect(decide(name, 'templates', [svc('app', 'example/app')])).toMatchObject({ class: 'durable', reason: 'default' });
      expect(decide(name, 'uploads', [])).toMatchObject({ class: 'durable', reason: 'default' });
      // What the user wrote wins over every rule.
      expect(decide(name, 'cache', [], { 'x-voldriver': 'durable' })).toMatchObject({ class: 'durable', reason: 'x-voldriver' });
      const explicit = decide(name, 'cache', [], { driver: 'local' });
      expect([explicit.class, explicit.reason]).toEqual([undefined, 'explicit']);
      const external = decide(name, 'cache', [], { external: true });
      expect([external.class, external.reason]).toEqual([undefined, 'external']);
    });
  }

  it('builtin:default changes only volumes that declare a class', () => {
    const decision = decide('default', 'pgdata', [svc('db', 'postgres:16')]);
    expect([decision.class, decision.reason]).toEqual([undefined, 'none']);
  });
});

describe('rules and Compose profiles', () => {
  const compose = [
    'services:',
    '  app:',
    '    image: example/app',
    '    volumes: [data:/data]',
    '  debug:',
    '    image: busybox',
    '    profiles: [debug]',
    '    volumes: [data:/data]',
    '  db:',
    '    image: postgres:16',
    '    profiles: [db]',
    '    volumes: [pgdata:/var/lib/postgresql/data]',
    '  tool:',
    '    image: example/tool',
    '    volumes: [pgdata:/backup:ro]',
    'volumes:',
    '  data:',
    '  pgdata:',
    '',
  ].join('\n');
  const classes = (profiles: string[]) => {
    const result = renderStack({
      sources: [{ name: 'compose.yml', text: compose }],
      policy: 'builtin:aws',
      parameters: { zone: 'eu-west-1a' },
      variables: {},
      profiles,
    });
    return Object.fromEntries(result.plans.map((plan) => [plan.volume, plan.class]));
  };

  it('count the services a profile switches off, so enabling it never moves a volume to another class', () => {
    const all = { data: 'shared', pgdata: 'durable' };
    expect(classes([])).toEqual(all);
    expect(classes(['debug'])).toEqual(all);
    expect(classes(['db'])).toEqual(all);
    expect(classes(['*'])).toEqual(all);
  });

  it('keep the services of the run as the ones that mount the volume', () => {
    const result = renderStack({ sources: [{ name: 'compose.yml', text: compose }], policy: 'builtin:aws', parameters: { zone: 'a' }, variables: {} });
    expect(result.plans.find((plan) => plan.volume === 'data')?.services).toEqual(['app']);
  });
});
