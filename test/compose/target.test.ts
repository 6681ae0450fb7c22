import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadProject, outputDocument, type LoadProjectOptions } from '../../src/compose/project.js';
import { applyTarget, targetOutput } from '../../src/compose/target.js';
import { inputError, memoryIO } from '../helpers/memory-io.js';

/** A project loaded and its output made for `docker stack deploy`: the document, and the notes of both steps. */
function forSwarm(options: LoadProjectOptions) {
  const project = loadProject(options);
  const { document, findings } = targetOutput(project, 'swarm');
  return { ...project, output: document, findings: [...project.findings, ...findings] };
}

const swarm = (text: string, options: Partial<LoadProjectOptions> = {}) => forSwarm({ files: ['c.yml'], io: memoryIO({ 'c.yml': text }), ...options });

describe('compose target', () => {
  it('changes nothing', () => {
    const project = loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': 'name: x\nservices:\n  a: {image: x, build: .}\n' }) });
    const document = outputDocument(project);
    const before = document.toString();
    expect(applyTarget(document, project, 'compose')).toEqual([]);
    expect(document.toString()).toBe(before);
    expect(targetOutput(project, 'compose').document.toString()).toBe(before);
  });
});

describe('swarm target', () => {
  it('removes name, disabled services and profiles, in patch mode', () => {
    const project = swarm('# head\nname: shop\nservices:\n  a: {image: x}\n  b: {image: x, profiles: [p]}\n  c: {image: x, profiles: [q]}\n', { profiles: ['q'] });
    expect(project.mode).toBe('patch');
    expect(project.output.toString()).toBe('# head\nservices:\n  a: { image: x }\n  c: { image: x }\n');
    expect(project.findings).toEqual([]);
  });

  it('removes name in resolved mode', () => {
    const project = swarm('services:\n  a: {image: x}\n', { resolve: true, workingDir: '/shop' });
    expect(project.output.toString()).toBe('services:\n  a:\n    image: x\n');
  });

  it('keeps what stack deploy ignores and says so, where it is written', () => {
    const project = swarm('services:\n  a:\n    image: x\n    build: .\n    restart: always\n    container_name: a\n    expose: ["80"]\n');
    expect(project.output.toString()).toContain('build: .');
    expect(project.findings.map((f) => [f.code, f.path?.join('.'), f.line])).toEqual([
      ['ignored-by-stack-deploy', 'services.a.build', 4],
      ['ignored-by-stack-deploy', 'services.a.restart', 5],
      ['ignored-by-stack-deploy', 'services.a.container_name', 6],
      ['ignored-by-stack-deploy', 'services.a.expose', 7],
    ]);
  });

  it('keeps the mount options stack deploy reads past (SELinux relabelling, create_host_path, tmpfs mode) and says so', () => {
    const text = [
      'services:',
      '  a:',
      '    image: x',
      '    volumes:',
      '      - /srv:/srv:z',
      '      - ./conf:/conf:ro,Z',
      '      - data:/data:nocopy',
      '      - type: bind',
      '        source: /logs',
      '        target: /logs',
      '        bind: { propagation: rprivate, create_host_path: true, selinux: z }',
      '      - type: tmpfs',
      '        target: /t',
      '        tmpfs: { size: 1024, mode: 0o1777 }',
      '      - type: volume',
      '        source: data',
      '        target: /d',
      '        volume: { nocopy: true, subpath: s, labels: { a: b } }',
      'volumes:',
      '  data:',
      '',
    ].join('\n');
    const project = swarm(text);
    expect(project.output.toString()).toBe(text);
    expect(project.findings.map((f) => [f.code, f.path?.join('.'), f.line])).toEqual([
      ['ignored-by-stack-deploy', 'services.a.volumes.0', 5],
      ['ignored-by-stack-deploy', 'services.a.volumes.1', 6],
      ['ignored-by-stack-deploy', 'services.a.volumes.3.bind.create_host_path', 11],
      ['ignored-by-stack-deploy', 'services.a.volumes.3.bind.selinux', 11],
      ['ignored-by-stack-deploy', 'services.a.volumes.4.tmpfs.mode', 14],
      ['ignored-by-stack-deploy', 'services.a.volumes.5.volume.labels', 18],
    ]);
    expect(project.findings[0].message).toBe('services.a.volumes.0 asks for SELinux relabelling (:z): docker stack deploy ignores it');
  });

  it('turns long-form depends_on and env_file into the forms stack deploy reads', () => {
    const text = 'services:\n  a:\n    image: x\n    depends_on:\n      b: {condition: service_healthy}\n    env_file:\n      - path: ./a.env\n      - ./b.env\n  b: {image: x}\n';
    const project = forSwarm({ files: ['c.yml'], io: memoryIO({ 'c.yml': text, 'a.env': 'A=1\n', 'b.env': 'B=1\n' }) });
    expect(project.output.toString()).toContain('depends_on:\n      - b\n    env_file:\n      - ./a.env\n      - ./b.env\n');
    expect(project.findings.map((f) => [f.code, f.severity])).toEqual([
      ['ignored-by-stack-deploy', 'warning'],
      ['converted-for-stack-deploy', 'info'],
    ]);
  });

  it('removes keys stack deploy rejects, with a hint where there is an equivalent', () => {
    const project = swarm(
      'services:\n  a:\n    image: x\n    mem_limit: 1g\n    x-own: 1\n    ports: [{target: 80, published: 80, app_protocol: http}]\n    deploy:\n      resources:\n        reservations:\n          devices: [{capabilities: [gpu]}]\nmodels:\n  m: {model: ai/x}\nx-top: 1\n',
    );
    const text = project.output.toString();
    expect(text).not.toMatch(/mem_limit|app_protocol|devices|models/);
    expect(text).toMatch(/x-own: 1/);
    expect(text).toMatch(/x-top: 1/);
    expect(project.findings.map((f) => [f.code, f.path?.join('.'), f.hint])).toEqual([
      ['removed-for-stack-deploy', 'services.a.mem_limit', 'use deploy.resources.limits.memory'],
      ['removed-for-stack-deploy', 'services.a.ports.0.app_protocol', undefined],
      ['removed-for-stack-deploy', 'services.a.deploy.resources.reservations.devices', undefined],
      ['removed-for-stack-deploy', 'models', 'stack deploy has no models'],
    ]);
  });

  it('removes lifecycle hooks, which stack deploy does not run, as it removes each Compose-only key', () => {
    const project = swarm('services:\n  a:\n    image: x\n    pre_start: [{command: init}]\n    post_start: [{command: up}]\n    pre_stop: [{command: down}]\n');
    expect(project.output.toString()).toBe('services:\n  a:\n    image: x\n');
    expect(project.findings.map((f) => [f.code, f.severity, f.path?.join('.')])).toEqual([
      ['removed-for-stack-deploy', 'warning', 'services.a.pre_start'],
      ['removed-for-stack-deploy', 'warning', 'services.a.post_start'],
      ['removed-for-stack-deploy', 'warning', 'services.a.pre_stop'],
    ]);
  });

  it('writes boolean driver options as strings', () => {
    const project = swarm('volumes:\n  v:\n    driver_opts: {a: true, b: 1, c: x}\n');
    expect(project.output.toString()).toBe('volumes:\n  v:\n    driver_opts: { a: "true", b: 1, c: x }\n');
  });

  it('follows << merge keys of the patched document', () => {
    const project = swarm('x-a: &a\n  profiles: [p]\n  mem_limit: 1g\nservices:\n  s:\n    <<: *a\n    image: x\n', { profiles: ['p'] });
    expect(project.output.toString()).toBe('x-a: &a {}\nservices:\n  s:\n    <<: *a\n    image: x\n');
  });

  it('applies !reset and drops !override for a reader that ignores them', () => {
    const project = swarm('services:\n  s:\n    image: x\n    dns: !reset [1.1.1.1]\n    ports: !override ["80:80"]\n');
    expect(project.output.toString()).toBe('services:\n  s:\n    image: x\n    ports: [ "80:80" ]\n');
  });

  it.each([
    ['services:\n  s: {image: x, volume_driver: foo}\n', 'services.s.volume_driver', 2],
    ['services:\n  s:\n    image: x\n    ports: [{target: 80, host_ip: 127.0.0.1}]\n', 'services.s.ports.0.host_ip', 4],
    ['secrets:\n  s: {environment: TOKEN}\n', 'secrets.s.environment', 2],
  ])('refuses what it cannot express: %#', (text, path, line) => {
    const error = inputError(() => swarm(text));
    expect(error.message).toBe(`docker stack deploy does not accept ${path}`);
    expect(error.location?.line).toBe(line);
    expect(error.hint).toBeTruthy();
  });

  it('refuses an external volume that also sets a driver', () => {
    const error = inputError(() => swarm('volumes:\n  v:\n    external: true\n    driver: foo\n'));
    expect(error.message).toMatch(/volume "v" is external and also sets driver/);
    expect(error.location).toEqual({ file: 'c.yml', line: 4, col: 5 });
  });
});

describe('swarm target: optional env files', () => {
  const text = [
    'services:',
    '  web:',
    '    image: x',
    '    env_file:',
    '      - path: web.env',
    '        required: true',
    '      - path: local.env',
    '        required: false',
    '      - path: missing.env',
    '        required: false',
    '',
  ].join('\n');
  const load = (files: Record<string, string>) =>
    forSwarm({ files: ['app/c.yml'], io: memoryIO({ 'app/c.yml': text, ...files }) });

  it('leaves out an optional file that is missing, as Compose skips it, and keeps one that exists', () => {
    const project = load({ 'app/web.env': 'A=1\n', 'app/local.env': 'B=2\n' });
    expect(project.output.toJS().services.web.env_file).toEqual(['web.env', 'local.env']);
    const notes = project.findings.filter((f) => f.code === 'converted-for-stack-deploy').map((f) => f.message);
    expect(notes.some((m) => m.includes('(missing.env) is optional and missing: left out'))).toBe(true);
    expect(notes.some((m) => m.includes('[1] becomes required'))).toBe(true);
  });

  it('drops env_file altogether when no file is left', () => {
    const project = forSwarm({
      files: ['c.yml'],
      io: memoryIO({ 'c.yml': 'services:\n  web:\n    image: x\n    env_file:\n      - path: none.env\n        required: false\n' }),
    });
    expect(project.output.toJS().services.web).toEqual({ image: 'x' });
  });
});

describe('leading-zero integers', () => {
  it('are octal, as Compose and the docker CLI read them, so a rewritten file keeps the same permissions', () => {
    const text = 'name: app\nservices:\n  web:\n    image: x\n    secrets:\n      - source: s\n        mode: 0440\nsecrets:\n  s:\n    file: ./s.txt\n';
    const project = swarm(text);
    expect((project.model as { services: { web: { secrets: { mode: number }[] } } }).services.web.secrets[0].mode).toBe(0o440);
    const written = project.output.toJS() as { services: { web: { secrets: { mode: number }[] } } };
    expect(written.services.web.secrets[0].mode).toBe(0o440);
  });
});

describe('swarm target: types through merges and anchors', () => {
  it('converts values merged in with << and anchored ones, keeping their aliases, and keeps environment numbers as numbers', () => {
    const text = [
      'x-env: &env',
      '  FLAG: true',
      'x-dep: &dep',
      '  replicas: "2"',
      'services:',
      '  a:',
      '    image: nginx',
      '    environment:',
      '      <<: *env',
      '      WORKERS: 4',
      '    deploy:',
      '      <<: *dep',
      '  b:',
      '    image: nginx',
      '    deploy:',
      '      replicas: &r "3"',
      '  c:',
      '    image: nginx',
      '    deploy:',
      '      replicas: *r',
      '',
    ].join('\n');
    const project = swarm(text);
    // As docker reads it: with << merges applied.
    const out = parse(project.output.toString(), { merge: true }) as { services: Record<string, { deploy: { replicas: number }; environment?: Record<string, unknown> }> };
    expect(out.services.a.deploy.replicas).toBe(2);
    expect(out.services.a.environment?.FLAG).toBe('true');
    expect(out.services.a.environment?.WORKERS).toBe(4);
    expect(out.services.b.deploy.replicas).toBe(3);
    expect(out.services.c.deploy.replicas).toBe(3);
  });
});

describe('swarm target: ports bound to one address', () => {
  const ports = (spec: string, env: Record<string, string> = {}) => () =>
    swarm(`services:\n  web:\n    image: x\n    ports:\n      - "${spec}"\n`, { env });

  const warned = (project: ReturnType<typeof swarm>) => project.findings.filter((f) => f.code === 'ignored-by-stack-deploy' && f.severity === 'warning').map((f) => f.message);

  it('warns about IPv4, bracketed and bare IPv6, and an address from a variable: stack deploy listens on every address', () => {
    for (const spec of ['127.0.0.1:8080:80', '[::1]:8080:80', '::1:8080:80']) expect(warned(ports(spec)())).toEqual([expect.stringMatching(/publishes on one address .*listens on every address/)]);
    expect(warned(ports('${BIND}:8080:80', { BIND: '10.0.0.5' })())[0]).toMatch(/publishes on one address \(10\.0\.0\.5:8080:80\)/);
  });

  it('refuses host_ip in the long form, which stack deploy rejects', () => {
    const long = () => swarm('services:\n  s:\n    image: x\n    ports: [{target: 80, host_ip: 127.0.0.1}]\n');
    expect(inputError(long).message).toMatch(/does not accept services\.s\.ports\.0\.host_ip/);
  });

  it('reports a missing env_file, unless it is optional', () => {
    const missing = swarm('services:\n  s:\n    image: x\n    env_file: [./gone.env, {path: ./maybe.env, required: false}]\n');
    expect(missing.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.path?.join('.')])).toEqual([['missing-env-file', 'services.s.env_file.0']]);
  });

  it('drops a version stack deploy refuses, keeps one it takes', () => {
    expect(swarm('version: "2"\nservices:\n  s: {image: x}\n').output.toString()).toBe('services:\n  s: { image: x }\n');
    expect(swarm('version: "3.8"\nservices:\n  s: {image: x}\n').output.toString()).toBe('version: "3.8"\nservices:\n  s: { image: x }\n');
  });

  it('writes interpolated values as stack deploy reads them: variables filled in, every $ doubled', () => {
    const project = swarm('services:\n  s:\n    image: x:${TAG}\n    command: echo $(date) $$HOME\n', { env: { TAG: '1.2' } });
    expect(project.output.toString()).toBe('services:\n  s:\n    image: "x:1.2"\n    command: "echo $$(date) $$HOME"\n');
  });

  it('accepts every-address forms and ports without an address', () => {
    for (const spec of ['0.0.0.0:8080:80', '8080:80', '80', '8080-8081:80-81/udp']) expect(ports(spec)).not.toThrow();
  });
});

describe('swarm target: values stack deploy types more narrowly than Compose', () => {
  const errors = (project: ReturnType<typeof swarm>) => project.findings.filter((f) => f.severity === 'error').map((f) => [f.path?.join('.'), f.message]);

  it('writes a memory byte count and a secret or config uid and gid as strings, through anchors too', () => {
    const project = swarm(
      [
        'x-mem: &mem 536870912',
        'services:',
        '  s:',
        '    image: x',
        '    deploy:',
        '      resources:',
        '        limits: { memory: 1073741824, cpus: 1 }',
        '        reservations: { memory: *mem }',
        '    secrets: [{ source: k, uid: 1000, gid: 0 }]',
        '    configs: [{ source: c, uid: "33", gid: 33 }]',
        'secrets:',
        '  k: { file: ./k }',
        'configs:',
        '  c: { file: ./c }',
        '',
      ].join('\n'),
    );
    const out = parse(project.output.toString()) as { services: { s: { deploy: { resources: Record<string, { memory: unknown }> }; secrets: Record<string, unknown>[]; configs: Record<string, unknown>[] } } };
    expect(out.services.s.deploy.resources.limits.memory).toBe('1073741824');
    expect(out.services.s.deploy.resources.reservations.memory).toBe('536870912');
    expect(out.services.s.secrets[0]).toEqual({ source: 'k', uid: '1000', gid: '0' });
    expect(out.services.s.configs[0]).toEqual({ source: 'c', uid: '33', gid: '33' });
    expect(errors(project)).toEqual([]);
  });

  it('refuses a port range in the long syntax and several addresses for one extra host, which stack deploy refuses', () => {
    const project = swarm(
      [
        'services:',
        '  s:',
        '    image: x',
        '    ports:',
        '      - { target: 80, published: "8080-8081" }',
        '      - { target: 81, published: 8082 }',
        '      - "8090-8091:90-91"',
        '    extra_hosts:',
        '      db: [10.0.0.1, 10.0.0.2]',
        '      cache: 10.0.0.3',
        '',
      ].join('\n'),
    );
    expect(errors(project)).toEqual([
      ['services.s.ports.0.published', expect.stringMatching(/is the range "8080-8081": docker stack deploy takes one port number in the long syntax/)],
      ['services.s.extra_hosts.db', expect.stringMatching(/gives a list of addresses: docker stack deploy holds one address per host/)],
    ]);
  });
});

describe('swarm target: booleans in mappings of names to values', () => {
  it('writes a boolean label, sysctl or build arg as the string Compose passes on, in every section, and leaves numbers and null', () => {
    const text = [
      'services:',
      '  s:',
      '    image: x',
      '    labels: { a: true, n: 2, z: null }',
      '    sysctls: { net.ipv4.ip_forward: false }',
      '    build: { context: ., args: { DEBUG: true }, labels: { b: false } }',
      '    deploy:',
      '      labels:',
      '        c: true # kept',
      'volumes:',
      '  v: { labels: { d: true } }',
      'networks:',
      '  n: { labels: { e: false } }',
      'secrets:',
      '  k: { file: ./k, labels: { f: true } }',
      'configs:',
      '  c: { file: ./c, labels: [g=true] }',
      '',
    ].join('\n');
    const project = swarm(text);
    const out = parse(project.output.toString()) as Record<string, Record<string, Record<string, unknown>>>;
    const s = out.services.s as Record<string, Record<string, unknown>>;
    expect(s.labels).toEqual({ a: 'true', n: 2, z: null });
    expect(s.sysctls).toEqual({ 'net.ipv4.ip_forward': 'false' });
    expect(s.build).toEqual({ context: '.', args: { DEBUG: 'true' }, labels: { b: 'false' } });
    expect(s.deploy).toEqual({ labels: { c: 'true' } });
    expect([out.volumes.v, out.networks.n, out.secrets.k.labels, out.configs.c.labels]).toEqual([{ labels: { d: 'true' } }, { labels: { e: 'false' } }, { f: 'true' }, ['g=true']]);
    expect(project.findings.filter((f) => f.code === 'converted-for-stack-deploy').map((f) => [f.path?.join('.'), f.line])).toEqual([
      ['services.s.deploy.labels.c', 9],
      ['services.s.labels.a', 4],
      ['services.s.sysctls.net.ipv4.ip_forward', 5],
      ['services.s.build.args.DEBUG', 6],
      ['services.s.build.labels.b', 6],
      ['volumes.v.labels.d', 11],
      ['networks.n.labels.e', 13],
      ['secrets.k.labels.f', 15],
    ]);
  });
});

describe('swarm target: scale', () => {
  it('is written as deploy.replicas, which stack deploy reads; a deploy shared through an anchor, alias or merge is left alone', () => {
    const text = [
      'x-d: &d',
      '  mode: replicated',
      'services:',
      '  none:',
      '    image: x',
      '    scale: 2',
      '  empty:',
      '    image: x',
      '    scale: ${N:-3}',
      '    deploy:',
      '  same:',
      '    image: x',
      '    scale: 4',
      '    deploy: { replicas: 4, mode: replicated }',
      '  merged:',
      '    image: x',
      '    scale: 5',
      '    deploy:',
      '      <<: *d',
      '  aliased:',
      '    image: x',
      '    scale: 6',
      '    deploy: *d',
      '',
    ].join('\n');
    const project = swarm(text);
    const out = parse(project.output.toString(), { merge: true }) as { services: Record<string, Record<string, unknown>> };
    expect(Object.fromEntries(Object.entries(out.services).map(([name, s]) => [name, [s.scale, s.deploy]]))).toEqual({
      none: [undefined, { replicas: 2 }],
      empty: [undefined, { replicas: 3 }],
      same: [undefined, { replicas: 4, mode: 'replicated' }],
      merged: [undefined, { mode: 'replicated', replicas: 5 }],
      aliased: [undefined, { mode: 'replicated' }],
    });
    expect(project.findings.filter((f) => f.path?.at(-1) === 'scale').map((f) => [f.path?.[1], f.code, f.severity])).toEqual([
      ['none', 'converted-for-stack-deploy', 'info'],
      ['empty', 'converted-for-stack-deploy', 'info'],
      ['same', 'converted-for-stack-deploy', 'info'],
      ['merged', 'converted-for-stack-deploy', 'info'],
      ['aliased', 'removed-for-stack-deploy', 'warning'],
    ]);
    expect(out.services.merged).toEqual({ image: 'x', deploy: { mode: 'replicated', replicas: 5 } });
    expect((parse(project.output.toString(), { merge: true }) as Record<string, unknown>)['x-d']).toEqual({ mode: 'replicated' });
  });

  it('refuses a scale that differs from deploy.replicas, as Compose does', () => {
    const error = inputError(() => swarm('services:\n  s:\n    image: x\n    scale: 2\n    deploy: { replicas: 3 }\n'));
    expect(error.message).toMatch(/scale is 2 and deploy\.replicas 3: docker compose refuses distinct values/);
    expect(error.location).toEqual({ file: 'c.yml', line: 4, col: 5 });
    expect(() => swarm('services:\n  s:\n    image: x\n    scale: "2"\n    deploy: { replicas: 2 }\n')).not.toThrow();
  });
});

describe('swarm target: a secret with a driver and a file', () => {
  it('is an error at the driver, as stack deploy refuses the file; either one alone is not', () => {
    const both = swarm('services:\n  s:\n    image: x\n    secrets: [k]\nsecrets:\n  k:\n    file: ./k\n    driver: vault\n');
    expect(both.findings.filter((f) => f.severity === 'error').map((f) => [f.path?.join('.'), f.line, f.message])).toEqual([
      ['secrets.k.driver', 8, expect.stringMatching(/docker stack deploy refuses the file \("secret\.driver and secret\.file conflict"\)/)],
    ]);
    for (const one of ['file: ./k', 'driver: vault']) {
      expect(swarm(`services:\n  s:\n    image: x\n    secrets: [k]\nsecrets:\n  k:\n    ${one}\n`).findings.filter((f) => f.severity === 'error')).toEqual([]);
    }
  });
});
