import { describe, expect, it } from 'vitest';
import { mergeService, mergeTrees, portKey, volumeTarget, type MergeNotes, type Tree } from '../../src/compose/merge.js';

const merge = (base: Tree, over: Tree, notes?: MergeNotes) => mergeTrees(base, over, notes);
const svc = (service: Tree) => ({ services: { web: service } });
const web = (tree: Tree) => (tree.services as Tree).web;

describe('mergeTrees', () => {
  it('merges mappings deeply and lets scalars of the later file win', () => {
    expect(merge({ a: { b: 1, c: { d: 1 } }, x: 1 }, { a: { c: { e: 2 } }, x: 2 })).toEqual({ a: { b: 1, c: { d: 1, e: 2 } }, x: 2 });
  });

  it('appends sequences by default', () => {
    expect(web(merge(svc({ dns: ['1.1.1.1'], cap_add: ['A'] }), svc({ dns: '8.8.8.8', cap_add: ['A', 'B'] })))).toEqual({
      dns: ['1.1.1.1', '8.8.8.8'],
      cap_add: ['A', 'B'],
    });
    expect(merge({ 'x-list': [1] }, { 'x-list': [2] })).toEqual({ 'x-list': [1, 2] });
  });

  it('keeps the earlier value when a later file gives a key no value', () => {
    expect(merge({ services: { web: { image: 'a' } } }, { services: { web: null } })).toEqual({ services: { web: { image: 'a' } } });
  });

  it('replaces command, entrypoint and healthcheck.test', () => {
    const merged = web(merge(svc({ command: ['a', 'b'], entrypoint: 'x', healthcheck: { test: ['CMD', 'a'], retries: 3 } }), svc({ command: ['c'], entrypoint: ['y'], healthcheck: { test: ['CMD', 'b'] } })));
    expect(merged).toEqual({ command: ['c'], entrypoint: ['y'], healthcheck: { test: ['CMD', 'b'], retries: 3 } });
  });

  it('merges service volumes by target, keeping the first position', () => {
    const merged = web(merge(svc({ volumes: ['a:/data', 'logs:/logs', { type: 'volume', source: 'c', target: '/c' }] }), svc({ volumes: [{ type: 'volume', source: 'b', target: '/data' }, './x:/c:ro', '/anon'] })));
    expect(merged).toEqual({ volumes: [{ type: 'volume', source: 'b', target: '/data' }, 'logs:/logs', './x:/c:ro', '/anon'] });
  });

  it('merges secrets and configs by target', () => {
    const merged = web(merge(svc({ secrets: ['tls', { source: 'db', target: 'db_pw' }], configs: ['app'] }), svc({ secrets: [{ source: 'tls2', target: '/run/secrets/tls' }, 'db_pw'], configs: [{ source: 'other', target: '/app' }] })));
    expect(merged).toEqual({ secrets: [{ source: 'tls2', target: '/run/secrets/tls' }, 'db_pw'], configs: [{ source: 'other', target: '/app' }] });
  });

  it('merges ports by ip, published port, target and protocol', () => {
    const merged = web(merge(svc({ ports: ['80:80', '127.0.0.1:53:53/udp', 9000] }), svc({ ports: [{ target: 80, published: 80 }, '53:53/udp', '127.0.0.1:53:53/udp', 9000] })));
    expect(merged).toEqual({ ports: [{ target: 80, published: 80 }, '127.0.0.1:53:53/udp', 9000, '53:53/udp'] });
    expect(portKey('[::1]:8080:80/tcp')).toBe('|::1|8080|80|tcp');
    expect(portKey('80')).toBe(portKey(80));
    expect(volumeTarget('data:/d:ro')).toBe('/d');
  });

  it('merges environment and labels by key, as a mapping when either side is one', () => {
    const merged = web(merge(svc({ environment: ['A=1', 'B=2', 'PASS'], labels: ['x=1'] }), svc({ environment: { B: '3', C: null }, labels: ['x=2', 'y=3'] })));
    expect(merged).toEqual({ environment: { A: '1', B: '3', PASS: null, C: null }, labels: ['x=2', 'y=3'] });
    expect(web(merge(svc({ extra_hosts: ['db:10.0.0.1'] }), svc({ extra_hosts: ['db=10.0.0.2', 'cache:10.0.0.3'] })))).toEqual({ extra_hosts: ['db=10.0.0.2', 'cache=10.0.0.3'] });
  });

  it('merges depends_on and networks from lists and mappings', () => {
    expect(web(merge(svc({ depends_on: ['db'], networks: ['front'] }), svc({ depends_on: ['db', 'cache'], networks: ['back'] })))).toEqual({ depends_on: ['db', 'cache'], networks: ['front', 'back'] });
    expect(web(merge(svc({ depends_on: ['db'], networks: ['front'] }), svc({ depends_on: { cache: { condition: 'service_healthy' } }, networks: { front: { aliases: ['w'] } } })))).toEqual({
      depends_on: { db: { condition: 'service_started' }, cache: { condition: 'service_healthy' } },
      networks: { front: { aliases: ['w'] } },
    });
  });

  it('merges a string build into a mapping', () => {
    expect(web(merge(svc({ build: '.' }), svc({ build: { args: ['A=1'] } })))).toEqual({ build: { context: '.', args: ['A=1'] } });
    expect(web(merge(svc({ build: '.' }), svc({ build: './other' })))).toEqual({ build: './other' });
  });

  it('replaces a ulimit given as a number, merges soft/hard mappings', () => {
    expect(web(merge(svc({ ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 5 } }), svc({ ulimits: { nofile: { soft: 3 }, nproc: { soft: 1, hard: 9 } } })))).toEqual({
      ulimits: { nofile: { soft: 3, hard: 2 }, nproc: { soft: 1, hard: 9 } },
    });
  });

  describe('a volume whose driver changes', () => {
    it('drops the earlier driver_opts and says so', () => {
      const notes: MergeNotes = { findings: [] };
      const merged = merge(
        { volumes: { v: { driver: 'local', driver_opts: { type: 'nfs' }, labels: { a: '1' } } } },
        { volumes: { v: { driver: 'rexray/ebs', driver_opts: { size: '5' } } } },
        notes,
      );
      expect(merged).toEqual({ volumes: { v: { driver: 'rexray/ebs', driver_opts: { size: '5' }, labels: { a: '1' } } } });
      expect(notes.findings).toMatchObject([{ code: 'driver-options-dropped', severity: 'info', path: ['volumes', 'v', 'driver'] }]);
    });

    it('treats a missing driver as "local"', () => {
      expect(merge({ volumes: { v: { driver_opts: { type: 'nfs' } } } }, { volumes: { v: { driver: 'local', driver_opts: { o: 'x' } } } })).toEqual({
        volumes: { v: { driver: 'local', driver_opts: { type: 'nfs', o: 'x' } } },
      });
      expect(merge({ volumes: { v: { driver_opts: { type: 'nfs' } } } }, { volumes: { v: { driver: 'other' } } })).toEqual({ volumes: { v: { driver: 'other' } } });
    });

    it('merges options when the driver is kept or not restated', () => {
      expect(merge({ volumes: { v: { driver: 'd', driver_opts: { a: '1' } } } }, { volumes: { v: { driver_opts: { b: '2' } } } })).toEqual({
        volumes: { v: { driver: 'd', driver_opts: { a: '1', b: '2' } } },
      });
    });
  });

  it('drops logging options when the logging driver changes', () => {
    expect(web(merge(svc({ logging: { driver: 'json-file', options: { 'max-size': '1m' } } }), svc({ logging: { driver: 'syslog' } })))).toEqual({ logging: { driver: 'syslog' } });
    expect(web(merge(svc({ logging: { options: { a: '1' } } }), svc({ logging: { driver: 'syslog' } })))).toEqual({ logging: { driver: 'syslog', options: { a: '1' } } });
  });

  it('does not modify its inputs', () => {
    const base = svc({ environment: { A: '1' }, volumes: ['a:/a'] });
    const copy = structuredClone(base);
    merge(base, svc({ environment: { B: '2' }, volumes: ['b:/a'] }));
    expect(base).toEqual(copy);
  });

  it('mergeService applies the service rules to extends', () => {
    expect(mergeService('web', { image: 'a', environment: ['A=1'], ports: ['80:80'] }, { environment: { B: '2' }, ports: ['80:80'] })).toEqual({
      image: 'a',
      environment: { A: '1', B: '2' },
      ports: ['80:80'],
    });
  });
});
