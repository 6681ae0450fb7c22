/**
 * Service references: depends_on, volumes_from, links and network_mode (ipc, pid...) `service:NAME`. Compose makes
 * each a dependency: a name no service has, one a profile switches off, and a cycle are refused, at the entry.
 */
import { describe, expect, it } from 'vitest';
import { parseVolumesFrom, serviceReferences } from '../../src/compose/depends.js';
import { serviceMounts } from '../../src/compose/mounts.js';
import { loadProject } from '../../src/compose/project.js';
import { inputError, memoryIO } from '../helpers/memory-io.js';

/** A project whose service `app` carries `line`; `db` is defined, `off` only with the debug profile. */
const stack = (line: string) => `services:\n  db:\n    image: x\n    volumes: [data:/d]\n  off:\n    image: x\n    profiles: [debug]\n  app:\n    image: x\n    ${line}\nvolumes:\n  data: {}\n`;
const load = (text: string, profiles: string[] = []) => loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': text }), profiles });
const refused = (text: string, profiles: string[] = []) => {
  const error = inputError(() => load(text, profiles));
  return { where: `${error.location?.file}:${error.location?.line}:${error.location?.col}`, message: error.message, code: error.code, hint: error.hint };
};

describe('one reading of volumes_from entries', () => {
  it('reads services, containers and modes', () => {
    expect(parseVolumesFrom('db')).toEqual({ kind: 'service', name: 'db', readOnly: undefined });
    expect(parseVolumesFrom('db:ro')).toEqual({ kind: 'service', name: 'db', readOnly: true });
    expect(parseVolumesFrom('db:rw')).toEqual({ kind: 'service', name: 'db', readOnly: false });
    expect(parseVolumesFrom('db:ro,z')).toEqual({ kind: 'service', name: 'db', readOnly: true });
    expect(parseVolumesFrom('db:')).toEqual({ kind: 'service', name: 'db', readOnly: undefined });
    expect(parseVolumesFrom('container:c1:ro')).toEqual({ kind: 'container', name: 'c1', readOnly: true });
  });

  it('says what is wrong with an entry Docker cannot read', () => {
    for (const entry of ['', ':ro', ':', 'container:', 'container::ro', 'db:ro:x', 'db:xx', 'db:nocopy', 'container:c:bad']) {
      expect(parseVolumesFrom(entry).kind, entry).toBe('invalid');
    }
  });

  it('the mounts volumes_from shares and the dependencies the checks see come from the same reading', () => {
    const services = {
      db: { image: 'x', volumes: ['data:/d'] },
      a: { image: 'x', volumes_from: ['db:ro,z', ':ro', 'container:', 'db:ro:x'] },
    };
    const refs = serviceReferences(services.a);
    expect(refs.references.map((r) => r.name)).toEqual(['db']);
    expect(refs.malformed.map((m) => m.entry)).toEqual([':ro', 'container:', 'db:ro:x']);
    const shared = serviceMounts({ services, volumes: { data: {} } }).filter((m) => m.service === 'a');
    expect(shared.map((m) => [m.volume, m.readOnly, m.from])).toEqual([['data', true, 'db']]);
  });
});

describe('an entry written wrong is one error at its place', () => {
  it.each([
    ['volumes_from: [":ro"]', 'c.yml:10:20', 'volumes_from entry ":ro" names no service'],
    ['volumes_from: [""]', 'c.yml:10:20', 'volumes_from entry "" is empty'],
    ['volumes_from: ["container:"]', 'c.yml:10:20', 'volumes_from entry "container:" names no container'],
    ['volumes_from: [db, "db:ro:x"]', 'c.yml:10:24', 'volumes_from entry "db:ro:x" has more than one ":"'],
    ['volumes_from: ["db:xx"]', 'c.yml:10:20', 'volumes_from entry "db:xx" has the mode "xx", which Docker refuses'],
    ['links: ["a:b:c"]', 'c.yml:10:13', 'links entry "a:b:c" has more than one ":"'],
    ['links: [""]', 'c.yml:10:13', 'links entry "" is empty'],
    ['network_mode: "service:"', 'c.yml:10:19', 'network_mode entry "service:" names no service'],
    ['network_mode: "container:"', 'c.yml:10:19', 'network_mode entry "container:" names no container'],
    ['pid: "service:"', 'c.yml:10:10', 'pid entry "service:" names no service'],
  ])('%s', (line, where, message) => {
    const got = refused(stack(line));
    expect(got.where).toBe(where);
    expect(got.message).toContain(`service "app": ${message}`);
    expect(got.code).toBe('invalid-service-reference');
  });

  it('accepts what Docker accepts', () => {
    for (const line of ['volumes_from: ["db:"]', 'volumes_from: ["db:ro,z"]', 'volumes_from: ["container:other:ro"]', 'network_mode: "container:abc"', 'network_mode: host', 'links: ["db:alias"]', 'ipc: shareable']) {
      expect(load(stack(line)).model.services, line).toBeDefined();
    }
  });
});

describe('a reference to a service that is not defined', () => {
  it.each([
    ['volumes_from: ["dbb:ro"]', 'c.yml:10:20', 'service "app" takes the volumes of undefined service "dbb" (did you mean "db"?)'],
    ['network_mode: "service:dbb"', 'c.yml:10:19', 'service "app" shares the network of undefined service "dbb" (did you mean "db"?)'],
    ['links: [db, "dbb:alias"]', 'c.yml:10:17', 'service "app" links to undefined service "dbb" (did you mean "db"?)'],
    ['links: [cache]', 'c.yml:10:13', 'service "app" links to undefined service "cache"'],
    ['ipc: "service:nope"', 'c.yml:10:10', 'service "app" shares the ipc namespace of undefined service "nope"'],
    ['depends_on: [dbb]', 'c.yml:10:18', 'service "app" depends on undefined service "dbb" (did you mean "db"?)'],
  ])('%s', (line, where, message) => {
    const got = refused(stack(line));
    expect([got.where, got.message, got.code]).toEqual([where, message, 'undefined-service']);
  });

  it('a reference to a service a profile switches off is refused the same way, and accepted with the profile', () => {
    for (const [line, where, verb] of [
      ['network_mode: service:off', 'c.yml:10:19', 'shares the network of'],
      ['links: ["off:o"]', 'c.yml:10:13', 'links to'],
      ['volumes_from: [off]', 'c.yml:10:20', 'takes the volumes of'],
      ['depends_on: [off]', 'c.yml:10:18', 'depends on'],
    ]) {
      const got = refused(stack(line));
      expect([got.where, got.message], line).toEqual([where, `service "app" ${verb} service "off", which is disabled: none of its profiles (debug) is active`]);
      expect(load(stack(line), ['debug']).model.services, line).toHaveProperty('off');
    }
  });

  it('the services of an override count: a later file may define the service referred to', () => {
    const io = memoryIO({ 'c.yml': 'services:\n  app:\n    image: x\n    network_mode: service:vpn\n    links: [db]\n', 'o.yml': 'services:\n  vpn: { image: v }\n  db: { image: d }\n' });
    expect(Object.keys(loadProject({ files: ['c.yml', 'o.yml'], io }).model.services as object)).toEqual(['app', 'vpn', 'db']);
  });
});

describe('cycles through any service reference', () => {
  it.each([
    ['network_mode: service:app', 'dependency cycle detected: app -> app'],
    ['links: [app]', 'dependency cycle detected: app -> app'],
  ])('%s', (line, message) => {
    expect(refused(stack(line)).message).toBe(message);
  });

  it('mixed kinds: a waits for b through network_mode, b for a through links', () => {
    const text = 'services:\n  a:\n    image: x\n    network_mode: service:b\n  b:\n    image: x\n    links: [a]\n';
    const got = refused(text);
    expect([got.where, got.message, got.code]).toEqual(['c.yml:4:5', 'dependency cycle detected: a -> b -> a', 'depends-on-cycle']);
  });
});
