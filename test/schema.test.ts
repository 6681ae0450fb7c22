import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseYamlSource, toPlain } from '../src/compose/load.js';
import { locate } from '../src/compose/locate.js';
import type { Finding } from '../src/findings.js';
import { findingsFromErrors, formatPath, knownSchemas, schemaText, validateModel } from '../src/schema/validate.js';
import { requireDocker } from './helpers/docker.js';

function check(schema: string, text: string, file = 'compose.yml'): Finding[] {
  const src = parseYamlSource(text, file, { merge: true });
  return validateModel(schema, toPlain(src), (path, prefer) => locate(src, path, prefer), file);
}

/** Line (1-based) of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not in the text`);
  return index + 1;
}

const realistic = `
name: shop
x-defaults: &defaults
  restart: unless-stopped
  logging:
    driver: json-file
    options:
      max-size: 10m
      max-file: "3"

services:
  web:
    <<: *defaults
    image: registry.example.com/shop/web:1.4.2
    command: ["node", "server.js"]
    environment:
      NODE_ENV: production
      PORT: 8080
      DEBUG:
    env_file:
      - .env
      - path: ./override.env
        required: false
    ports:
      - "80:8080"
      - 443
      - target: 8443
        published: "9443"
        protocol: tcp
        mode: ingress
    volumes:
      - uploads:/srv/uploads
      - ./config:/srv/config:ro
      - type: volume
        source: cache
        target: /srv/cache
        volume:
          nocopy: true
          subpath: web
      - type: tmpfs
        target: /tmp
        tmpfs:
          size: 64m
          mode: 1777
    depends_on:
      db:
        condition: service_healthy
        restart: true
      cache-warmer:
        condition: service_started
        required: false
    networks:
      front:
      back:
        aliases: [shop-web]
    deploy:
      mode: replicated
      replicas: 3
      endpoint_mode: vip
      placement:
        constraints: ["node.role == worker"]
        preferences:
          - spread: node.labels.zone
        max_replicas_per_node: 1
      resources:
        limits: { cpus: "0.50", memory: 512M, pids: 200 }
        reservations: { cpus: 0.25, memory: 256M }
      restart_policy: { condition: on-failure, delay: 5s, max_attempts: 3, window: 2m }
      update_config: { parallelism: 1, delay: 10s, failure_action: rollback, order: start-first }
      rollback_config: { parallelism: 0, order: stop-first }
      labels:
        - com.example.tier=front
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 1m30s
    labels:
      com.example.team: storefront
    secrets:
      - db_password
      - source: api_key
        target: /run/secrets/api
        mode: 0400
    configs:
      - nginx_conf
    ulimits:
      nofile: { soft: 20000, hard: 40000 }
      nproc: 65535
    x-voldriver:
      class: fast

  db:
    image: postgres:16
    environment:
      - POSTGRES_PASSWORD_FILE=/run/secrets/db_password
    volumes:
      - type: volume
        source: pgdata
        target: /var/lib/postgresql/data
      - backups:/backups
    secrets: [db_password]
    healthcheck:
      test: pg_isready -U postgres
      interval: 10s
    stop_grace_period: 1m
    networks: [back]
    deploy:
      placement:
        constraints: [node.labels.db == true]

  cache-warmer:
    build:
      context: ./warmer
      dockerfile: Dockerfile
      args:
        VERSION: "2"
    profiles: [tools]
    entrypoint: /usr/bin/warm
    volumes:
      - cache:/cache

volumes:
  uploads:
    driver: rexray/ebs
    driver_opts:
      size: "20"
      volumetype: gp3
    labels:
      com.example.backup: daily
  cache:
  pgdata:
    driver: local
    driver_opts:
      type: nfs
      o: "addr=10.0.0.5,rw,nfsvers=4"
      device: ":/exports/pgdata"
  backups:
    external: true
    name: shop-backups
  legacy:
    external:
      name: old-volume

networks:
  front:
  back:
    driver: overlay
    attachable: true

secrets:
  db_password:
    file: ./secrets/db_password.txt
  api_key:
    external: true

configs:
  nginx_conf:
    file: ./nginx.conf
`;

const swarmStack = `
version: "3.9"
services:
  web:
    image: nginx:1.27
    ports:
      - target: 80
        published: 8080
        mode: host
    volumes:
      - type: volume
        source: content
        target: /usr/share/nginx/html
        read_only: true
      - logs:/var/log/nginx
    env_file: [web.env]
    deploy:
      mode: global
      resources:
        limits:
          memory: 128M
volumes:
  content:
    driver: local
    driver_opts:
      type: nfs
      o: "addr=10.0.0.5,ro"
      device: ":/exports/content"
  logs:
    external: true
x-stack:
  owner: platform
`;

describe('valid files', () => {
  it('accepts a realistic compose file', () => {
    expect(check('compose', realistic)).toEqual([]);
  });

  it('accepts a realistic stack file with the swarm schema', () => {
    expect(check('swarm', swarmStack)).toEqual([]);
    expect(check('compose', swarmStack)).toEqual([]);
  });

  it('accepts numbers written as strings and unresolved ${VAR} references where Compose interpolates', () => {
    const text = `
services:
  app:
    image: app:\${TAG:-latest}
    ports:
      - target: "8080"
        published: "\${PORT:-8080}"
      - target: 9000
        published: 9000-9010
    cpus: "1.5"
    mem_limit: \${MEM}
    deploy:
      mode: \${MODE:-replicated}
      replicas: "\${REPLICAS:-2}"
      update_config:
        parallelism: "2"
        delay: \${DELAY}
    healthcheck:
      retries: "5"
      interval: $INTERVAL
volumes:
  data:
    external: \${EXTERNAL:-false}
    driver: \${DRIVER}
`;
    expect(check('compose', text)).toEqual([]);
  });

  it('accepts an empty named volume and an empty deploy', () => {
    expect(check('compose', 'services:\n  a:\n    image: x\n    deploy:\nvolumes:\n  data:\n')).toEqual([]);
  });
});

/**
 * Small files built from the structure of the Compose Specification: every service key, every top-level section
 * and the alternative forms (short/long, list/map) of each.
 */
const specExamples: Record<string, string> = {
  'top level: version, name, include, models, extensions': `
version: "3.8"
name: my-project_2
include:
  - ./common.yml
  - path: [./a.yml, ./b.yml]
    env_file: ./a.env
    project_directory: ./sub
  - path: ./c.yml
services:
  chat:
    image: chat
    models:
      - llm
  chat2:
    image: chat
    models:
      llm:
        endpoint_var: LLM_URL
        model_var: LLM_NAME
      embed:
models:
  llm:
    model: ai/smollm2
    context_size: 4096
    runtime_flags: ["--threads", "4"]
  embed:
    model: ai/embed
    name: embedder
x-anything:
  - free: form
`,
  'build: string and long form': `
services:
  a:
    build: ./dir
  b:
    build:
      context: https://github.com/example/repo.git#main
      dockerfile_inline: |
        FROM alpine
      args: [A=1, B]
      ssh: [default]
      labels: { a: b }
      cache_from: [type=registry,ref=x]
      cache_to: [type=inline]
      no_cache: true
      additional_contexts:
        base: docker-image://alpine
      network: host
      pull: true
      target: prod
      shm_size: 2g
      extra_hosts: ["host:10.0.0.1"]
      isolation: default
      privileged: false
      secrets: [npm_token]
      tags: [x:1]
      ulimits: { nofile: 1024 }
      platforms: [linux/amd64, linux/arm64]
      entitlements: [network.host]
      provenance: mode=max
      sbom: true
      x-extra: 1
secrets:
  npm_token:
    environment: NPM_TOKEN
`,
  'process and resources keys': `
services:
  a:
    image: a
    annotations: { com.example.x: "1" }
    attach: false
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    cgroup: private
    cgroup_parent: m-executor
    command: echo hi
    container_name: my-web
    cpu_count: 2
    cpu_percent: 50
    cpu_period: 100000
    cpu_quota: 50000
    cpu_rt_period: 11000us
    cpu_rt_runtime: 10000
    cpu_shares: 512
    cpus: 1.5
    cpuset: "0-3"
    device_cgroup_rules: ["c 1:3 mr"]
    dns: 8.8.8.8
    dns_opt: [use-vc]
    dns_search: [example.com]
    domainname: example.com
    entrypoint: [/entry.sh, --flag]
    expose: ["3000", 4000, "5000-5010/udp"]
    external_links: [redis_1]
    group_add: [mail, 1001]
    hostname: web
    init: true
    ipc: shareable
    isolation: default
    label_file: [./labels.env]
    links: [db:database]
    mac_address: "02:42:ac:11:65:43"
    mem_limit: 1gb
    mem_reservation: 512m
    mem_swappiness: 60
    memswap_limit: -1
    network_mode: bridge
    oom_kill_disable: true
    oom_score_adj: -500
    pid: host
    pids_limit: -1
    platform: linux/amd64
    privileged: true
    pull_policy: every_12h
    pull_refresh_after: 24h
    read_only: true
    restart: on-failure:3
    runtime: runc
    scale: 2
    security_opt: [label:user:USER]
    shm_size: 64M
    stdin_open: true
    stop_signal: SIGUSR1
    storage_opt: { size: 1G }
    sysctls: { net.core.somaxconn: 1024 }
    tmpfs: /run
    tty: true
    use_api_socket: true
    user: "1000:1000"
    userns_mode: host
    uts: host
    volumes_from: [other:ro]
    working_dir: /app
`,
  'blkio, credential spec, devices, gpus, extra hosts': `
services:
  a:
    image: a
    blkio_config:
      weight: 300
      weight_device: [{ path: /dev/sda, weight: 400 }]
      device_read_bps: [{ path: /dev/sdb, rate: 12mb }]
      device_read_iops: [{ path: /dev/sdb, rate: 120 }]
      device_write_bps: [{ path: /dev/sdb, rate: "1024k" }]
      device_write_iops: [{ path: /dev/sdb, rate: 30 }]
    credential_spec:
      config: my_credential_spec
    devices:
      - /dev/ttyUSB0:/dev/ttyUSB0
      - source: /dev/sda
        target: /dev/xvda
        permissions: rwm
    gpus: all
    extra_hosts:
      somehost: 162.242.195.82
      multi: ["10.0.0.1", "::1"]
  b:
    image: b
    gpus:
      - driver: nvidia
        count: 2
        capabilities: [gpu]
      - device_ids: ["0", "3"]
        options: { virtualization: "false" }
    extra_hosts: ["otherhost=50.31.209.229"]
    deploy:
      resources:
        reservations:
          devices:
            - capabilities: [gpu]
              driver: nvidia
              count: all
          generic_resources:
            - discrete_resource_spec: { kind: gpu, value: 2 }
`,
  'develop, lifecycle hooks, provider, logging, depends_on list': `
services:
  a:
    image: a
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app/src
          ignore: [node_modules/]
          initial_sync: true
        - path: package.json
          action: rebuild
        - path: ./conf
          action: sync+exec
          exec:
            command: ["reload"]
    post_start:
      - command: ./on-start.sh
        user: root
        privileged: true
        working_dir: /app
        environment: { A: "1" }
    pre_stop:
      - command: ["./drain.sh"]
    pre_start:
      - command: chown -R 1000 /data
        user: root
        privileged: "true"
        working_dir: /data
        environment: [MODE=init]
      - command: ["./migrate.sh", "--wait"]
    logging:
      driver: syslog
      options:
        syslog-address: "tcp://192.168.0.42:123"
        tag:
    depends_on: [b]
    extends:
      service: base
      file: common.yml
    profiles: [debug]
  b:
    image: b
    extends: a
  ai:
    provider:
      type: model
      options:
        model: ai/smollm2
        flags: [a, 1, true]
`,
  'service volumes: every long-syntax type': `
services:
  a:
    image: a
    volumes:
      - /anonymous
      - named:/data:rw,nocopy
      - ./rel:/rel:z
      - type: bind
        source: ./src
        target: /src
        read_only: true
        consistency: cached
        bind:
          propagation: rshared
          create_host_path: true
          recursive: readonly
          selinux: Z
      - type: volume
        source: named
        target: /labelled
        volume:
          labels: [a=b]
      - type: tmpfs
        target: /cache
        tmpfs:
          size: 1000000
      - type: npipe
        source: \\\\.\\pipe\\docker_engine
        target: \\\\.\\pipe\\docker_engine
      - type: cluster
        source: csi-vol
        target: /csi
      - type: image
        source: alpine:3
        target: /img
        image:
          subpath: etc
volumes:
  named:
`,
  'service networks and top-level networks': `
services:
  a:
    image: a
    networks:
      front:
        ipv4_address: 172.16.238.10
        ipv6_address: 2001:3984:3989::10
        interface_name: eth1
        link_local_ips: [169.254.1.1]
        mac_address: "02:42:ac:11:00:02"
        driver_opts: { com.docker.network.bridge.mtu: 1400 }
        priority: 1000
        gw_priority: 1
      outside:
networks:
  front:
    name: my-front
    driver: bridge
    driver_opts:
      com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"
      mtu: 1400
    ipam:
      driver: default
      config:
        - subnet: 172.16.238.0/24
          ip_range: 172.16.238.0/25
          gateway: 172.16.238.1
          aux_addresses:
            host1: 172.16.238.5
      options:
        foo: bar
    internal: false
    attachable: true
    enable_ipv4: true
    enable_ipv6: true
    labels: [com.example.net=front]
  outside:
    external: true
`,
  'secrets and configs, short and long grants': `
services:
  a:
    image: a
    secrets:
      - s1
      - source: s2
        target: renamed
        uid: "103"
        gid: "103"
        mode: 0440
    configs:
      - c1
      - source: c2
        target: /etc/c2.conf
        mode: "0444"
secrets:
  s1: { file: ./s1 }
  s2: { environment: S2_VALUE, name: prod_s2, labels: { a: b } }
  s3: { external: true, name: existing }
  s4: { driver: vault, driver_opts: { path: secret/x }, template_driver: golang }
configs:
  c1: { file: ./c1.conf }
  c2: { content: "debug=\${DEBUG}" }
  c3: { external: true }
  c4: { environment: C4, template_driver: golang, labels: [x=y] }
`,
  'top-level volumes: every key': `
services:
  a:
    image: a
volumes:
  plain:
  named:
    name: my-app-data
  with-driver:
    driver: local
    driver_opts:
      type: tmpfs
      device: tmpfs
      o: "size=100m,uid=1000"
    labels:
      - com.example.description=scratch
    x-voldriver: { class: scratch }
  external-bool:
    external: true
  external-named:
    external: true
    name: real-name
  external-object:
    external:
      name: deprecated-form
  not-external:
    external: false
    driver: local
`,
};

describe('Compose Specification structure', () => {
  for (const [title, text] of Object.entries(specExamples)) {
    it(`accepts: ${title}`, () => {
      expect(check('compose', text)).toEqual([]);
    });
  }

  it('the examples use every service key of the schema', () => {
    const schema = JSON.parse(schemaText('compose')) as { definitions: { service: { properties: Record<string, unknown> } } };
    const used = new Set<string>();
    for (const text of [realistic, ...Object.values(specExamples)]) {
      const model = toPlain(parseYamlSource(text, 'x.yml', { merge: true })) as { services?: Record<string, Record<string, unknown>> };
      for (const service of Object.values(model.services ?? {})) for (const key of Object.keys(service)) used.add(key);
    }
    const unused = Object.keys(schema.definitions.service.properties).filter((key) => !used.has(key) && key !== 'volume_driver');
    expect(unused).toEqual([]);
  });
});

describe('one clear finding per problem', () => {
  it('unknown top-level key, with a suggestion', () => {
    const text = 'services:\n  web:\n    image: nginx\nvolumes:\n  data:\nbanana: 1\nservics:\n  x: {}\n';
    const findings = check('compose', text);
    expect(findings).toHaveLength(2);
    const [extra, typo] = findings;
    expect(typo).toMatchObject({
      code: 'schema',
      severity: 'error',
      path: ['servics'],
      source: 'compose',
      file: 'compose.yml',
      line: lineOf(text, 'servics:'),
      col: 1,
    });
    expect(typo.message).toBe('unknown top-level key "servics" (did you mean "services"?)');
    expect(extra.message).toBe('unknown top-level key "banana"');
    expect(extra.hint).toContain('x-*');
  });

  it('unknown service key', () => {
    const text = 'services:\n  web:\n    image: nginx\n    imag: nginx\n    x-ok: true\n';
    const findings = check('compose', text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: ['services', 'web', 'imag'], line: 4, col: 5 });
    expect(findings[0].message).toBe('unknown key "imag" in services.web (did you mean "image"?)');
  });

  it('a number in driver_opts is accepted, as docker takes it; a boolean is not, and the hint says how to quote it', () => {
    const numbers = 'volumes:\n  data:\n    driver: rexray/ebs\n    driver_opts:\n      size: 10\n      type: gp3\n';
    expect(check('compose', numbers)).toEqual([]);
    expect(check('swarm', numbers)).toEqual([]);
    const flags = 'volumes:\n  data:\n    driver: pxd\n    driver_opts:\n      shared: true\n';
    const findings = check('compose', flags);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: ['volumes', 'data', 'driver_opts', 'shared'], volume: 'data', line: 5, col: 15 });
    expect(findings[0].message).toMatch(/driver_opts values must be strings or numbers/);
    expect(findings[0].hint).toMatch(/"true"/);
    expect(findings[0].hint).not.toMatch(/10G/);
  });

  it('external: true together with driver', () => {
    const text = 'volumes:\n  shared:\n    external: true\n    driver: local\n    name: shared-data\n';
    const findings = check('compose', text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: ['volumes', 'shared', 'driver'], volume: 'shared', line: 4, col: 5 });
    expect(findings[0].message).toBe('volumes.shared.driver: cannot be set on an external volume');
    expect(findings[0].hint).toBeTruthy();
    expect(check('swarm', text)).toHaveLength(1);
  });

  it('name together with external.name, in any section and through a merge of files: one finding at name', () => {
    for (const section of ['volumes', 'networks', 'secrets', 'configs']) {
      const text = `services:\n  a:\n    image: a\n${section}:\n  r:\n    external:\n      name: old\n    name: new\n`;
      const findings = check('compose', text);
      expect(findings.map((f) => [f.message, f.line])).toEqual([[`${section}.r.name: cannot be set together with external.name: Compose and docker stack deploy refuse both ("external.name and name conflict")`, 8]]);
    }
    // An empty name (a variable not set) is no name, as Compose reads it.
    expect(check('compose', 'volumes:\n  r:\n    external: { name: old }\n    name: ""\n')).toEqual([]);
  });

  it('a bind mount needs a host path: missing or empty (an unset variable) is refused at the mount', () => {
    const missing = check('compose', 'services:\n  a:\n    image: a\n    volumes:\n      - type: bind\n        target: /d\n');
    expect(missing.map((f) => [f.message, f.line])).toEqual([['services.a.volumes[0]: missing required key "source"', 5]]);
    const empty = check('compose', 'services:\n  a:\n    image: a\n    volumes:\n      - type: bind\n        source: ""\n        target: /d\n');
    expect(empty.map((f) => [f.message, f.line])).toEqual([['services.a.volumes[0].source: must name the host path of a bind mount: Docker refuses an empty one ("field Source must not be empty")', 6]]);
  });

  it('external with driver_opts and labels: one finding each', () => {
    const text = 'volumes:\n  shared:\n    external: { name: x }\n    driver_opts: { a: "1" }\n    labels: [a=b]\n';
    const findings = check('swarm', text);
    expect(findings.map((f) => f.path)).toEqual([
      ['volumes', 'shared', 'driver_opts'],
      ['volumes', 'shared', 'labels'],
    ]);
  });

  it('wrong type of replicas', () => {
    const text = 'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: three\n';
    const findings = check('compose', text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: ['services', 'web', 'deploy', 'replicas'], line: 5, col: 17 });
    expect(findings[0].message).toBe('services.web.deploy.replicas: must be a whole number (0 or more), not "three"');

    const negative = check('compose', 'services:\n  web:\n    deploy:\n      replicas: -1\n');
    expect(negative).toHaveLength(1);
    expect(negative[0].message).toContain('must be a whole number');

    const bool = check('compose', 'services:\n  web:\n    deploy:\n      replicas: true\n');
    expect(bool).toHaveLength(1);
    expect(bool[0].message).toBe('services.web.deploy.replicas: must be a whole number (0 or more), not true');
  });

  it('a string where Compose reads a boolean must hold one (any case, spaces around) or a variable', () => {
    for (const value of ['"true"', '"Yes"', '" off "', 'N', '"${RO}"', '"${RO:-false}"', 'true']) {
      expect(check('compose', `services:\n  web:\n    image: nginx\n    read_only: ${value}\n`), value).toEqual([]);
    }
    for (const [key, value] of [['read_only', '"maybe"'], ['init', '"1"'], ['tty', 'enabled'], ['privileged', '""']]) {
      const findings = check('compose', `services:\n  web:\n    image: nginx\n    ${key}: ${value}\n`);
      expect(findings, `${key}: ${value}`).toHaveLength(1);
      expect(findings[0]).toMatchObject({ path: ['services', 'web', key], line: 4, col: key.length + 7 });
      expect(findings[0].message).toMatch(new RegExp(`^services\\.web\\.${key}: must be a boolean \\(true or false\\), not `));
    }
    const volume = check('swarm', 'services:\n  web:\n    image: nginx\n    volumes:\n      - { type: volume, source: d, target: /d, read_only: sometimes }\nvolumes:\n  d: {}\n');
    expect(volume.map((finding) => finding.message)).toEqual(['services.web.volumes[0].read_only: must be a boolean (true or false), not "sometimes"']);
  });

  it('swarm root rejects name (and compose accepts it)', () => {
    const text = 'name: shop\nservices:\n  web:\n    image: nginx\n';
    expect(check('compose', text)).toEqual([]);
    const findings = check('swarm', text, 'stack.yml');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: ['name'], line: 1, col: 1, file: 'stack.yml' });
    expect(findings[0].message).toBe('"name" is not allowed at the top level of a stack file (docker stack deploy rejects it)');
    expect(findings[0].hint).toBe('allowed here: version, services, networks, volumes, secrets, configs, x-*');
  });

  it('swarm rejects extends, volume_driver and long-form env_file', () => {
    const text = [
      'services:',
      '  web:',
      '    image: nginx',
      '    extends: base',
      '    volume_driver: flocker',
      '    env_file:',
      '      - a.env',
      '      - path: b.env',
      '        required: false',
      '  base:',
      '    image: nginx',
    ].join('\n');
    const findings = check('swarm', text);
    expect(findings.map((f) => [f.path, f.line])).toEqual([
      [['services', 'web', 'extends'], 4],
      [['services', 'web', 'volume_driver'], 5],
      [['services', 'web', 'env_file', 1], 8],
    ]);
    expect(findings[0].message).toBe('services.web.extends: not supported by docker stack deploy');
    expect(findings[2].message).toContain('plain paths only');
    // Compose only refuses volume_driver.
    expect(check('compose', text).map((f) => f.path)).toEqual([['services', 'web', 'volume_driver']]);
  });

  it('pre_start hooks take the shape of post_start: a command is required, unknown keys are refused', () => {
    const noCommand = check('compose', 'services:\n  web:\n    image: nginx\n    pre_start:\n      - user: root\n');
    expect(noCommand.map((f) => [formatPath(f.path ?? []), f.message])).toEqual([['services.web.pre_start[0]', 'services.web.pre_start[0]: missing required key "command"']]);
    const misspelt = check('compose', 'services:\n  web:\n    image: nginx\n    pre_start:\n      - command: x\n        workdir: /a\n');
    expect(misspelt.map((f) => formatPath(f.path ?? []))).toEqual(['services.web.pre_start[0].workdir']);
    expect(check('compose', 'services:\n  web:\n    image: nginx\n    pre_start: {command: x}\n')).toHaveLength(1);
    expect(check('swarm', 'services:\n  web:\n    image: nginx\n    pre_start: [{command: x}]\n').map((f) => f.message)).toEqual(['services.web.pre_start: not supported by docker stack deploy']);
  });

  it('swarm rejects Compose-only service keys, with a hint where a stack file has an equivalent', () => {
    const text = 'services:\n  web:\n    image: nginx\n    profiles: [debug]\n    cpus: 0.5\n';
    expect(check('compose', text)).toEqual([]);
    const findings = check('swarm', text);
    expect(findings.map((f) => [formatPath(f.path ?? []), f.message, f.hint])).toEqual([
      ['services.web.profiles', 'services.web.profiles: not supported by docker stack deploy', expect.stringContaining('remove it')],
      ['services.web.cpus', 'services.web.cpus: not supported by docker stack deploy', 'use `deploy.resources.limits.cpus` in a stack file'],
    ]);
  });

  it('long volume syntax: a misspelt key gives one finding, not also "missing type"', () => {
    const text = 'services:\n  web:\n    volumes:\n      - typ: volume\n        source: data\n        target: /data\n';
    const findings = check('compose', text);
    expect(findings).toHaveLength(1);
    expect(findings[0].path).toEqual(['services', 'web', 'volumes', 0, 'typ']);
    expect(findings[0].message).toBe('unknown key "typ" in services.web.volumes[0] (did you mean "type"?)');
  });

  it('long volume syntax: wrong type names the indexed path', () => {
    const text = 'services:\n  web:\n    volumes:\n      - type: volume\n        source: data\n        target: 5\n';
    const findings = check('compose', text);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe('services.web.volumes[0].target: must be a string, not the number 5');
    expect(findings[0]).toMatchObject({ line: 6, col: 17 });
  });

  it('missing required key', () => {
    const findings = check('compose', 'services:\n  web:\n    volumes:\n      - source: data\n        target: /data\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe('services.web.volumes[0]: missing required key "type"');
  });

  it('a misspelt word suggests the right one', () => {
    const findings = check('compose', 'services:\n  web:\n    deploy:\n      mode: replicatd\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe(
      'services.web.deploy.mode: must be one of: replicated, global, replicated-job, global-job, not "replicatd" (did you mean "replicated"?)',
    );
  });

  it('type unions are described in words', () => {
    const findings = check('compose', 'services:\n  web:\n    environment: 5\n    volumes: {}\nvolumes:\n  data: []\n');
    expect(findings.map((f) => f.message)).toEqual([
      'services.web.environment: must be a mapping or a list, not the number 5',
      'services.web.volumes: must be a list, not a mapping',
      'volumes.data: must be a mapping (or empty), not a list',
    ]);
  });

  it('bad resource names point at the key', () => {
    const text = 'services:\n  web:\n    image: a\n  "my app":\n    image: b\n';
    const findings = check('compose', text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: ['services', 'my app'], line: 4, col: 3 });
    expect(findings[0].message).toMatch(/^services: invalid name "my app": names may hold only letters/);
  });

  it('a one-character container name is refused in words that say why', () => {
    const findings = check('compose', 'services:\n  web:\n    image: a\n    container_name: x\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(/container names are two characters or more/);
    expect(check('compose', 'services:\n  web:\n    image: a\n    container_name: xy\n')).toEqual([]);
  });

  it('duplicate list items', () => {
    const findings = check('compose', 'services:\n  web:\n    ports:\n      - "80:80"\n      - "80:80"\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe('services.web.ports[1]: repeats services.web.ports[0]');
    expect(findings[0].line).toBe(5);
  });

  it('several problems: sorted by place, each reported once', () => {
    const text = [
      'services:',
      '  web:',
      '    image: 5',
      '    deploy:',
      '      replicas: many',
      '      placment: {}',
      'volumes:',
      '  data:',
      '    driver_opts: { size: 5, iops: 3000, shared: true, encrypted: false }',
    ].join('\n');
    const findings = check('compose', text);
    expect(findings.map((f) => formatPath(f.path ?? []))).toEqual([
      'services.web.image',
      'services.web.deploy.replicas',
      'services.web.deploy.placment',
      'volumes.data.driver_opts.shared',
      'volumes.data.driver_opts.encrypted',
    ]);
    expect(findings[2].message).toContain('did you mean "placement"?');
  });
});

describe('anyOf / oneOf failures', () => {
  const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
  const validate = ajv.compile({
    type: 'object',
    properties: {
      globs: {
        oneOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', minItems: 1, items: { type: 'string' } },
        ],
      },
      external: { anyOf: [{ const: true }, { type: 'object' }] },
      mount: {
        anyOf: [
          { type: 'string' },
          { type: 'object', properties: { target: { type: 'string' }, read_only: { type: 'boolean' } }, additionalProperties: false },
        ],
      },
    },
  });
  const run = (text: string) => {
    const src = parseYamlSource(text, 'p.yml');
    const model = toPlain(src);
    validate(model);
    return findingsFromErrors(validate.errors ?? [], model, (path, prefer) => locate(src, path, prefer), { schemaName: 'test' });
  };

  it('no branch matches the type: one merged message', () => {
    const findings = run('globs: 5\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe('globs: must be a string or a list, not the number 5');
    expect(run('external: "yes"\n').map((f) => f.message)).toEqual(['external: must be a mapping or true, not "yes"']);
  });

  it('a branch matches the type: its own error only', () => {
    expect(run('globs: ""\n').map((f) => f.message)).toEqual(['globs: must not be empty']);
    expect(run('globs: [a, 7]\n').map((f) => f.message)).toEqual(['globs[1]: must be a string, not the number 7']);
    const findings = run('mount:\n  target: /x\n  readonly: true\n');
    expect(findings.map((f) => f.message)).toEqual(['unknown key "readonly" in mount (did you mean "read_only"?)']);
  });
});

describe('schemas and generated validators', () => {
  it('lists the schemas and prints their text', () => {
    expect(knownSchemas()).toEqual(expect.arrayContaining(['compose', 'swarm']));
    const compose = JSON.parse(schemaText('compose')) as Record<string, unknown>;
    expect(compose.$id).toBe('compose.schema.json');
    expect(schemaText('swarm')).toBe(`${JSON.stringify(JSON.parse(readFileSync(new URL('../src/schema/swarm.schema.json', import.meta.url), 'utf8')), null, 2)}\n`);
    expect(() => schemaText('compse')).toThrow(/unknown schema "compse" \(did you mean "compose"\?\)/);
    expect(() => validateModel('nope', {}, () => ({ file: 'x', line: 1, col: 1 }))).toThrow(/unknown schema/);
  });

  it('every listed schema has a generated validator that loads no compiler', () => {
    const list = JSON.parse(readFileSync(new URL('../src/schema/schemas.json', import.meta.url), 'utf8')) as { name: string }[];
    for (const { name } of list) {
      const code = readFileSync(new URL(`../src/schema/generated/${name}.cjs`, import.meta.url), 'utf8');
      const required = [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
      for (const spec of required) expect(spec).toMatch(/^ajv\/dist\/runtime\/[a-z0-9]+$/);
      expect(code).toMatch(/module\.exports = /);
    }
  });
});

// Without docker these fail under CI (requireDocker throws) and are skipped, saying why, elsewhere.
describe('the swarm schema agrees with `docker stack config`', () => {
  const cases: [string, string, boolean][] = [
    ['the realistic stack file', swarmStack, true],
    ['top-level name', 'name: x\nservices:\n  a:\n    image: a\n', false],
    ['extends', 'services:\n  a:\n    image: a\n    extends: b\n  b:\n    image: b\n', false],
    ['volume_driver', 'services:\n  a:\n    image: a\n    volume_driver: x\n', false],
    ['a Compose-only key (pull_policy)', 'services:\n  a:\n    image: a\n    pull_policy: always\n', false],
    ['service-level cpus', 'services:\n  a:\n    image: a\n    cpus: 0.5\n', false],
    ['long-form env_file', 'services:\n  a:\n    image: a\n    env_file:\n      - path: web.env\n', false],
    ['external volume with driver', 'services:\n  a:\n    image: a\nvolumes:\n  v:\n    external: true\n    driver: local\n', false],
    ['external volume with labels', 'services:\n  a:\n    image: a\nvolumes:\n  v:\n    external: true\n    labels: [a=b]\n', false],
    ['a bind mount without source', 'services:\n  a:\n    image: a\n    volumes:\n      - { type: bind, target: /d }\n', false],
    ['a bind mount with an empty source', 'services:\n  a:\n    image: a\n    volumes:\n      - { type: bind, source: "", target: /d }\n', false],
    ['a bind mount with a source, and a volume mount without one (anonymous)', 'services:\n  a:\n    image: a\n    volumes:\n      - { type: bind, source: /srv, target: /d }\n      - { type: volume, target: /e }\n', true],
    ['external.name alone', 'services:\n  a:\n    image: a\nvolumes:\n  v:\n    external: { name: old }\nnetworks:\n  n:\n    external: { name: old }\n', true],
    ...['volumes', 'networks', 'secrets', 'configs'].map((section): [string, string, boolean] => [
      `${section}: name and external.name, even the same`,
      `services:\n  a:\n    image: a\n${section}:\n  r:\n    external: { name: old }\n    name: old\n`,
      false,
    ]),
  ];
  for (const [title, text, accepted] of cases) {
    it(`${accepted ? 'accepts' : 'rejects'} ${title}`, (ctx) => {
      const docker = requireDocker();
      if (!docker) ctx.skip('docker CLI not found on PATH');
      const dir = mkdtempSync(join(tmpdir(), 'cv-schema-'));
      try {
        writeFileSync(join(dir, 'stack.yml'), text);
        writeFileSync(join(dir, 'web.env'), 'A=1\n');
        const result = spawnSync(docker!, ['stack', 'config', '-c', 'stack.yml'], { cwd: dir, encoding: 'utf8' });
        expect(result.status === 0, result.stderr).toBe(accepted);
        expect(check('swarm', text).length === 0).toBe(accepted);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
