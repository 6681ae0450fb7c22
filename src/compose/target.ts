/**
 * Making the output acceptable to the program that will read it.
 *
 * `compose`: `docker compose` reads every Compose form; nothing changes.
 * `swarm`: `docker stack deploy` validates against its own, older schema. What it ignores (build, restart,
 * container_name...) is kept and reported (`ignored-by-stack-deploy`). What it rejects is converted when
 * that keeps the meaning (long-form depends_on and env_file, boolean driver_opts, profiles, `!reset`), removed
 * and reported (`removed-for-stack-deploy`) when the key is not needed to run the service, and refused with an
 * InputError when dropping it would change what runs (extends, volume_driver, volumes_from, secrets made from
 * environment or content, an external volume that also sets a driver). In patch mode, values that interpolate are written as
 * Compose reads them (stack deploy reads no .env); a version stack deploy refuses is removed; a missing env_file
 * is an error.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, visit, type Document, type Pair, type YAMLMap } from 'yaml';
import { interpolateString, octalLookingMode, typedAt } from './interpolate.js';
import { InputError, type DocPath, type Finding, type Severity } from '../findings.js';
import { keyName } from './locate.js';
import { isTree } from './merge.js';
import { outputDocument, type ComposeProject } from './project.js';
import { isMergeKey, mayHoldTags, stripComposeTags } from './tags.js';

export type ComposeTarget = 'compose' | 'swarm';

interface Shape {
  keys: readonly string[];
  /** x-* keys are allowed here. */
  x?: boolean;
  /** Keys whose value is a mapping of a known shape. */
  map?: Record<string, Shape>;
  /** Keys whose value is a sequence; its mapping items have a known shape. */
  list?: Record<string, Shape>;
  /** Every value of this mapping (named entries) has a known shape. */
  each?: Shape;
}

const DEPLOY_UPDATE: Shape = { keys: ['parallelism', 'delay', 'failure_action', 'monitor', 'max_failure_ratio', 'order'] };

// Property names of docker stack's compose file schema (3.13), the newest the docker CLI knows.
const SERVICE: Shape = {
  keys: [
    'deploy', 'build', 'cap_add', 'cap_drop', 'cgroupns_mode', 'cgroup_parent', 'command', 'configs', 'container_name',
    'credential_spec', 'depends_on', 'devices', 'dns', 'dns_search', 'domainname', 'entrypoint', 'env_file', 'environment',
    'expose', 'external_links', 'extra_hosts', 'healthcheck', 'hostname', 'image', 'init', 'ipc', 'isolation', 'labels',
    'links', 'logging', 'mac_address', 'network_mode', 'networks', 'pid', 'ports', 'privileged', 'read_only', 'restart',
    'security_opt', 'shm_size', 'secrets', 'sysctls', 'stdin_open', 'stop_grace_period', 'stop_signal', 'tmpfs', 'tty',
    'ulimits', 'user', 'userns_mode', 'volumes', 'working_dir',
  ],
  x: true,
  map: {
    healthcheck: { keys: ['disable', 'interval', 'retries', 'test', 'timeout', 'start_period', 'start_interval'] },
    logging: { keys: ['driver', 'options'] },
    credential_spec: { keys: ['config', 'file', 'registry'] },
    networks: { keys: [], each: { keys: ['aliases', 'driver_opts', 'ipv4_address', 'ipv6_address'] } },
    deploy: {
      keys: ['mode', 'endpoint_mode', 'replicas', 'labels', 'rollback_config', 'update_config', 'resources', 'restart_policy', 'placement'],
      map: {
        rollback_config: DEPLOY_UPDATE,
        update_config: DEPLOY_UPDATE,
        resources: {
          keys: ['limits', 'reservations'],
          map: {
            limits: { keys: ['cpus', 'memory', 'pids'] },
            reservations: { keys: ['cpus', 'memory', 'generic_resources'] },
          },
        },
        restart_policy: { keys: ['condition', 'delay', 'max_attempts', 'window'] },
        placement: { keys: ['constraints', 'preferences', 'max_replicas_per_node'] },
      },
    },
  },
  list: {
    ports: { keys: ['mode', 'target', 'published', 'protocol'] },
    volumes: { keys: ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs'] },
  },
};

const TOP: Shape = {
  keys: ['version', 'services', 'networks', 'volumes', 'secrets', 'configs'],
  x: true,
  map: {
    services: { keys: [], each: SERVICE },
    volumes: { keys: [], each: { keys: ['name', 'driver', 'driver_opts', 'external', 'labels', 'x-cluster-spec'], x: true } },
    networks: {
      keys: [],
      each: {
        keys: ['name', 'driver', 'driver_opts', 'ipam', 'external', 'internal', 'attachable', 'labels'],
        x: true,
        map: { ipam: { keys: ['driver', 'config'], list: { config: { keys: ['subnet'] } } } },
      },
    },
    secrets: {
      keys: [],
      each: { keys: ['name', 'file', 'external', 'labels', 'driver', 'driver_opts', 'template_driver'], x: true },
    },
    configs: { keys: [], each: { keys: ['name', 'file', 'external', 'labels', 'template_driver'], x: true } },
  },
};

/** Accepted by stack deploy, then ignored: kept so the same file still works with Compose. */
const IGNORED = new Set([
  'build', 'cgroupns_mode', 'cgroup_parent', 'devices', 'domainname', 'external_links', 'ipc', 'links', 'mac_address',
  'network_mode', 'pid', 'privileged', 'restart', 'security_opt', 'shm_size', 'userns_mode', 'container_name', 'expose',
  'depends_on',
]);

const REFUSED: Record<string, string> = {
  'services.*.extends': 'resolve it first (several files or --resolve write a resolved file)',
  'services.*.volume_driver': 'set the driver on the top-level volume instead',
  'services.*.volumes_from':
    "without it the service would run without the other service's volumes: list the named volumes it needs under its own volumes (anonymous volumes cannot be shared between the services of a stack)",
  'services.*.ports.*.host_ip': 'stack deploy takes no host_ip in the long form; write the short form "IP:PUBLISHED:TARGET" (it listens on every address), or publish with mode: host',
  'secrets.*.environment': 'create the secret with "docker secret create" and declare it external',
  'secrets.*.content': 'create the secret with "docker secret create" and declare it external',
  'configs.*.environment': 'create the config with "docker config create" and declare it external',
  'configs.*.content': 'create the config with "docker config create" and declare it external',
};

/** What to do instead of a mount option stack deploy ignores. */
const IGNORED_MOUNT_OPTIONS: Record<string, string> = {
  selinux: 'the service mounts the folder without relabelling it: label it yourself on every node (chcon -Rt container_file_t PATH), or use a volume',
  create_host_path: 'a swarm task whose bind source does not exist fails to start: create the folder on every node first',
  recursive: 'submounts are mounted as Docker does by default (recursively, read-only ones as they are)',
  labels: 'the mount is made without these labels: set labels on the top-level volume instead',
  mode: 'the tmpfs is mounted with the default mode (1777)',
};

const REMOVED_HINTS: Record<string, string> = {
  mem_limit: 'use deploy.resources.limits.memory',
  mem_reservation: 'use deploy.resources.reservations.memory',
  cpus: 'use deploy.resources.limits.cpus',
  pids_limit: 'use deploy.resources.limits.pids',
  scale: 'use deploy.replicas',
  platform: 'use a placement constraint such as node.platform.arch==x86_64',
  models: 'stack deploy has no models',
};

export interface TargetOutput {
  /** The document to write, made acceptable to the target's reader. */
  document: Document;
  /** What was changed, or will be ignored, for that reader. */
  findings: Finding[];
}

/** The project's output document (see outputDocument), adapted for `target`. */
export function targetOutput(project: ComposeProject, target: ComposeTarget): TargetOutput {
  const document = outputDocument(project);
  return { document, findings: applyTarget(document, project, target) };
}

/**
 * Adapts `document`, a document of the project's own (see outputDocument, documentCopy), in place for `target`;
 * returns what was changed or will be ignored. The project is read, never changed.
 */
export function applyTarget(document: Document, project: ComposeProject, target: ComposeTarget): Finding[] {
  if (target === 'compose') return [];
  return new SwarmTarget(document, project).run();
}

interface Entry {
  key: string;
  pair: Pair;
  /** The mapping the pair is written in: the map itself, or a `<<` source. */
  holder: YAMLMap;
}

class SwarmTarget {
  private readonly findings: Finding[] = [];

  constructor(
    private readonly doc: Document,
    private readonly project: ComposeProject,
  ) {}

  run(): Finding[] {
    if (this.project.sources.some(mayHoldTags)) stripComposeTags(this.doc);
    const root = this.doc.contents;
    if (!isMap(root)) return [];
    if (this.project.mode === 'patch') this.bake(root);
    for (const entry of this.entries(root)) {
      // Compose-only top-level keys that stack deploy has its own answer for.
      if (entry.key === 'name' || entry.key === 'include') this.remove(entry);
      if (entry.key === 'version') this.version(entry);
    }
    const services = this.mapAt(root, 'services');
    if (services) this.services(services);
    const volumes = this.mapAt(root, 'volumes');
    if (volumes) for (const entry of this.entries(volumes)) this.volume(entry);
    for (const section of ['volumes', 'networks', 'secrets', 'configs']) {
      const resources = this.mapAt(root, section);
      if (!resources) continue;
      for (const entry of this.entries(resources)) {
        const resource = this.deref(entry.pair.value);
        if (!isMap(resource)) continue;
        this.flagValues(this.mapAt(resource, 'labels'), [section, entry.key, 'labels']);
        // A secret made by a driver has no file: stack deploy refuses both ("secret.driver and secret.file conflict").
        const keys = new Set(this.entries(resource).map((e) => e.key));
        if (section === 'secrets' && keys.has('driver') && keys.has('file')) {
          const path = [section, entry.key, 'driver'];
          this.note('converted-for-stack-deploy', path, `${path.join('.')} and file are both set: docker stack deploy refuses the file ("secret.driver and secret.file conflict"); keep one of them`, 'error');
        }
      }
    }
    this.typedStrings(root);
    this.check(root, TOP, []);
    return this.findings;
  }

  private services(services: YAMLMap): void {
    const enabled = isTree(this.project.model.services) ? this.project.model.services : {};
    for (const entry of this.entries(services)) {
      // Services switched off by profiles: the file is deployed as a whole, so they must go.
      if (!Object.prototype.hasOwnProperty.call(enabled, entry.key)) {
        this.remove(entry);
        continue;
      }
      const service = this.deref(entry.pair.value);
      if (!isMap(service)) continue;
      const path = ['services', entry.key];
      for (const field of this.entries(service)) {
        const at = [...path, field.key];
        if (field.key === 'profiles') this.remove(field);
        else if (field.key === 'scale') this.scale(field, service, at);
        else if (field.key === 'depends_on') this.dependsOn(field, at);
        else if (field.key === 'env_file') this.envFile(field, at);
        else if (IGNORED.has(field.key)) this.note('ignored-by-stack-deploy', at, `${at.join('.')} is ignored by docker stack deploy`);
      }
      this.types(service, path);
    }
  }

  /**
   * Stack deploy's schema is typed where Compose takes strings: whole numbers must be numbers, `cpus` a string,
   * environment values strings. Literal values are converted; a `${VAR}` is left for deploy time.
   */
  /**
   * Converts the value of `key` in `map` (through `<<` merges too) to the type stack deploy's schema wants there.
   * int: a string of digits becomes a number; string: a number or boolean becomes a string; flag: only a boolean
   * does (environment values and labels may be numbers, and their text is kept exactly).
   */
  private convert(map: YAMLMap | undefined, key: string, to: 'int' | 'string' | 'flag', where: DocPath): void {
    if (map) this.convertValue(this.entries(map).find((entry) => entry.key === key)?.pair.value, to, [...where, key]);
  }

  private convertValue(value: unknown, to: 'int' | 'string' | 'flag', path: DocPath): void {
    // The scalar is changed in place, so an anchor on it keeps working.
    const node = this.deref(value);
    if (!isScalar(node)) return;
    const scalar = node.value;
    if (to === 'int' && typeof scalar === 'string' && /^\d+$/.test(scalar.trim())) {
      node.value = Number(scalar.trim());
      node.type = Scalar.PLAIN;
    } else if (typeof scalar === 'boolean' || (to === 'string' && typeof scalar === 'number')) {
      if (to === 'int') return;
      node.value = String(scalar);
      node.type = Scalar.QUOTE_DOUBLE;
    } else return;
    this.note('converted-for-stack-deploy', path, `${path.join('.')} is written as ${to === 'int' ? 'a number' : 'a string'}: docker stack deploy's schema wants one`, 'info');
  }

  /**
   * A mapping of names to values (labels, sysctls, build args): Compose takes a boolean value and passes it on as
   * "true" or "false", stack deploy's schema takes strings, numbers and null only and refuses the file.
   */
  private flagValues(map: YAMLMap | undefined, where: DocPath): void {
    if (map) for (const entry of this.entries(map)) this.convertValue(entry.pair.value, 'flag', [...where, entry.key]);
  }

  private types(service: YAMLMap, path: DocPath): void {
    const deploy = this.mapAt(service, 'deploy');
    const d = [...path, 'deploy'];
    this.flagValues(deploy && this.mapAt(deploy, 'labels'), [...d, 'labels']);
    for (const key of ['labels', 'sysctls']) this.flagValues(this.mapAt(service, key), [...path, key]);
    const build = this.mapAt(service, 'build');
    for (const key of ['args', 'labels']) this.flagValues(build && this.mapAt(build, key), [...path, 'build', key]);
    this.convert(deploy, 'replicas', 'int', d);
    for (const block of ['update_config', 'rollback_config']) this.convert(deploy && this.mapAt(deploy, block), 'parallelism', 'int', [...d, block]);
    this.convert(deploy && this.mapAt(deploy, 'restart_policy'), 'max_attempts', 'int', [...d, 'restart_policy']);
    const resources = deploy && this.mapAt(deploy, 'resources');
    for (const block of ['limits', 'reservations']) {
      const map = resources && this.mapAt(resources, block);
      this.convert(map, 'cpus', 'string', [...d, 'resources', block]);
      // A byte count: Compose takes a number or a string, stack deploy a string (1073741824 or "1g").
      this.convert(map, 'memory', 'string', [...d, 'resources', block]);
      if (block === 'limits') this.convert(map, 'pids', 'int', [...d, 'resources', block]);
    }
    const ulimits = this.mapAt(service, 'ulimits');
    if (ulimits) {
      for (const entry of this.entries(ulimits)) {
        const where = [...path, 'ulimits'];
        const value = this.deref(entry.pair.value);
        if (isMap(value)) for (const bound of ['soft', 'hard']) this.convert(value, bound, 'int', [...where, entry.key]);
        else this.convert(ulimits, entry.key, 'int', where);
      }
    }
    this.flagValues(this.mapAt(service, 'environment'), [...path, 'environment']);
    for (const [list, keys] of [['ports', ['target', 'published']], ['volumes', []]] as const) {
      const items = this.deref(service.get(list, true));
      if (!isSeq(items)) continue;
      items.items.forEach((raw, index) => {
        const item = this.deref(raw);
        if (list === 'volumes') this.ignoredMountOptions(item, [...path, list, index]);
        if (!isMap(item)) return;
        const where = [...path, list, index];
        for (const key of keys) this.convert(item, key, 'int', where);
        if (list === 'ports') this.portRange(item, where);
        if (list === 'volumes') this.tmpfsSize(this.mapAt(item, 'tmpfs'), [...where, 'tmpfs']);
      });
    }
    // Several addresses for one host (`extra_hosts: { db: [10.0.0.1, 10.0.0.2] }`): stack deploy's hosts hold one each.
    const hosts = this.mapAt(service, 'extra_hosts');
    if (hosts) {
      for (const entry of this.entries(hosts)) {
        if (!isSeq(this.deref(entry.pair.value))) continue;
        const where = [...path, 'extra_hosts', entry.key];
        this.note(
          'converted-for-stack-deploy',
          where,
          `${where.join('.')} gives a list of addresses: docker stack deploy holds one address per host and refuses the file; give the host one address`,
          'error',
        );
      }
    }
    // A user or group id: Compose takes a number or a string, stack deploy a string.
    for (const list of ['secrets', 'configs']) {
      const items = this.deref(service.get(list, true));
      if (!isSeq(items)) continue;
      items.items.forEach((raw, index) => {
        const item = this.deref(raw);
        if (isMap(item)) for (const key of ['uid', 'gid']) this.convert(item, key, 'string', [...path, list, index]);
      });
    }
    const ports = this.deref(service.get('ports', true));
    const modelPorts = (this.project.model.services as Record<string, { ports?: unknown[] }> | undefined)?.[String(path[1])]?.ports;
    if (isSeq(ports)) {
      ports.items.forEach((raw, index) => {
        // The interpolated value: in patch mode the document still holds "${BIND}:8080:80".
        const text = modelPorts?.[index] ?? this.deref(raw);
        const value = isScalar(text) ? text.value : text;
        if (typeof value !== 'string') return;
        // As docker reads a short port: everything before the last two colons is the address.
        const parts = value.split(':');
        const address = parts.length >= 3 ? parts.slice(0, -2).join(':').replace(/^\[|\]$/g, '') : '';
        if (address === '' || address === '0.0.0.0' || address === '::') return;
        // Compose binds that one address; docker stack deploy accepts the form and listens on every address.
        this.findings.push({
          code: 'ignored-by-stack-deploy',
          severity: 'warning',
          message: `${[...path, 'ports', index].join('.')} publishes on one address (${value}): docker stack deploy accepts it but listens on every address of every node`,
          hint: 'drop the address, or publish with mode: host and restrict access with a firewall',
          path: [...path, 'ports', index],
          source: 'compose',
          ...this.project.locate([...path, 'ports', index]),
        });
      });
    }
  }

  /**
   * A port in the long syntax with a range (`published: 8081-8082`): Compose takes it, stack deploy's schema takes
   * one port number only and refuses the file. Not guessed at: the short syntax says something else again.
   */
  private portRange(port: YAMLMap, where: DocPath): void {
    for (const key of ['published', 'target']) {
      const node = this.deref(this.entries(port).find((entry) => entry.key === key)?.pair.value);
      if (!isScalar(node) || typeof node.value !== 'string' || !/^\s*\d+\s*-\s*\d+\s*$/.test(node.value)) continue;
      const path = [...where, key];
      this.note(
        'converted-for-stack-deploy',
        path,
        `${path.join('.')} is the range "${node.value.trim()}": docker stack deploy takes one port number in the long syntax and refuses the file; publish one port per entry`,
        'error',
      );
    }
  }

  /**
   * Where Compose reads a string as a boolean or a number (`read_only: "true"`, `retries: "3"`, `external: "yes"`:
   * the casts of compose/interpolate), stack deploy's schema refuses the string: it is written as the value Compose
   * reads. A `${VAR}` is bake's; an anchored value, which other places may use as a string, is left as it is.
   */
  private typedStrings(root: YAMLMap): void {
    visit(root, {
      Scalar: (key, node, ancestors) => {
        if (key === 'key' || typeof node.value !== 'string' || node.value.includes('$') || node.anchor) return;
        const cheap = docPathOf([...ancestors, node]);
        const typed = typedAt(cheap, node.value);
        if (typeof typed === 'string') {
          if (octalLookingMode(cheap, typed)) {
            const path = docPathOf([...ancestors, node], true);
            // Read as a number it would be decimal (0440 -> 440), not the octal mode it looks like: not guessed.
            this.note(
              'converted-for-stack-deploy',
              path,
              `${path.join('.')} is the string "${typed}": docker stack deploy's schema takes a number only, and this one would be read as the decimal ${Number(typed)}, not the octal mode it looks like; write it unquoted (${typed.trim()}, octal) or as a decimal number`,
              'error',
            );
          }
          return;
        }
        node.value = typed;
        node.type = Scalar.PLAIN;
        const path = docPathOf([...ancestors, node], true);
        const what = typeof typed === 'boolean' ? 'a boolean' : 'a number';
        this.note('converted-for-stack-deploy', path, `${path.join('.')} is written as ${what}: docker stack deploy's schema wants one`, 'info');
      },
    });
  }

  /**
   * Stack deploy reads no .env file, and its template parser refuses a `$` that starts no variable (`$(date)`).
   * Every value that interpolates is written as Compose reads it, from the same variables, with each `$` doubled:
   * docker reads back exactly that value. Where Compose types the value (`read_only`, `external`, `retries`...), it
   * is written as a plain boolean or number: stack deploy's schema refuses the quoted string.
   */
  private bake(root: YAMLMap): void {
    const env = this.project.variables;
    visit(root, {
      Scalar: (key, node, ancestors) => {
        if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
        const text = interpolateString(node.value, env);
        const typed = typedAt(docPathOf([...ancestors, node]), text);
        if (typeof typed !== 'string') {
          node.value = typed;
          node.type = Scalar.PLAIN;
          return;
        }
        const written = text.replace(/\$/g, '$$$$');
        if (written === node.value) return;
        node.value = written;
        if (node.type === Scalar.PLAIN || node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) node.type = Scalar.QUOTE_DOUBLE;
      },
    });
  }

  /** Stack deploy knows versions 3 to 3.13 and refuses any other; Compose ignores the key. */
  private version(entry: Entry): void {
    const node = this.deref(entry.pair.value);
    const value = isScalar(node) ? String(node.value) : '';
    if (/^3(\.([0-9]|1[0-3]))?$/.test(value)) return;
    this.remove(entry);
    this.note('removed-for-stack-deploy', ['version'], `version "${value}" is removed: docker stack deploy refuses it ("unsupported Compose file version") and Compose ignores it`, 'info');
  }

  /** A tmpfs size such as "10m" becomes bytes: stack deploy takes a whole number only. */
  /**
   * Mount options stack deploy reads past without a word: the docker CLI keeps only bind.propagation,
   * volume.nocopy and volume.subpath, tmpfs.size, and drops SELinux relabelling from the short form too. Each is
   * kept for Compose and reported, since the service runs without it.
   */
  private ignoredMountOptions(item: unknown, where: DocPath): void {
    const report = (at: DocPath, what: string, hint: string) =>
      this.findings.push({
        code: 'ignored-by-stack-deploy',
        severity: 'warning',
        message: `${at.join('.')} ${what}: docker stack deploy ignores it`,
        hint,
        path: at,
        source: 'compose',
        ...this.project.locate(at, 'key'),
      });
    if (isScalar(item)) {
      const spec = typeof item.value === 'string' ? item.value : '';
      const options = /:([A-Za-z]+(?:,[A-Za-z]+)*)$/.exec(spec)?.[1].split(',') ?? [];
      if (spec.split(':').length >= 3 && options.some((option) => option === 'z' || option === 'Z')) {
        report(where, `asks for SELinux relabelling (${spec.slice(spec.lastIndexOf(':'))})`, IGNORED_MOUNT_OPTIONS.selinux);
      }
      return;
    }
    if (!isMap(item)) return;
    for (const [block, kept] of [['bind', ['propagation']], ['volume', ['nocopy', 'subpath']], ['tmpfs', ['size']]] as const) {
      const options = this.mapAt(item, block);
      if (!options) continue;
      for (const entry of this.entries(options)) {
        if ((kept as readonly string[]).includes(entry.key) || entry.key.startsWith('x-')) continue;
        report([...where, block, entry.key], 'is set', IGNORED_MOUNT_OPTIONS[entry.key] ?? 'remove it from the stack file, or do by hand on every node what it does');
      }
    }
  }

  private tmpfsSize(tmpfs: YAMLMap | undefined, where: DocPath): void {
    const pair = tmpfs?.items.find((item) => isScalar(item.key) && item.key.value === 'size') as Pair | undefined;
    const node = this.deref(pair?.value);
    if (!pair || !isScalar(node) || typeof node.value !== 'string') return;
    const match = /^(\d+)\s*([kmg]?)i?b?$/i.exec(node.value.trim());
    if (!match) return;
    const bytes = Number(match[1]) * 1024 ** ' kmg'.indexOf((match[2] || ' ').toLowerCase());
    pair.value = this.doc.createNode(bytes);
    this.note('converted-for-stack-deploy', [...where, 'size'], `${[...where, 'size'].join('.')} "${node.value}" is written as ${bytes} bytes: docker stack deploy takes a number`, 'info');
  }

  /**
   * `scale` is Compose's replica count, which stack deploy does not read: written as deploy.replicas, as Compose
   * itself takes it (the load refuses a scale that differs from deploy.replicas). A `deploy:` shared through an
   * anchor, an alias or a `<<` merge is not changed for one service: scale is then removed with the hint.
   */
  private scale(field: Entry, service: YAMLMap, at: DocPath): void {
    const value = this.deref(field.pair.value);
    const count = isScalar(value) && typeof value.value === 'number' && Number.isInteger(value.value) ? value.value : undefined;
    if (count === undefined) return;
    const deploy = this.entries(service).find((entry) => entry.key === 'deploy');
    const node = deploy?.pair.value;
    const shared = deploy && (deploy.holder !== service || isAlias(node) || (isMap(node) && node.anchor !== undefined));
    if (shared || (deploy && !isMap(node) && !(isScalar(node) && node.value === null))) return;
    const where = [...at.slice(0, -1), 'deploy', 'replicas'];
    if (isMap(node)) {
      if (!this.entries(node).some((entry) => entry.key === 'replicas')) node.set(this.doc.createNode('replicas'), this.doc.createNode(count));
    } else {
      service.set(this.doc.createNode('deploy'), this.doc.createNode({ replicas: count }));
    }
    this.remove(field);
    this.note('converted-for-stack-deploy', at, `${at.join('.')} is written as ${where.join('.')}: ${count}: docker stack deploy reads no scale`, 'info');
  }

  /** The long form (a mapping with conditions) is rejected; the names alone are accepted, and ignored. */
  private dependsOn(field: Entry, at: DocPath): void {
    const value = this.deref(field.pair.value);
    if (isMap(value)) {
      const names = this.entries(value).map((e) => e.key);
      field.pair.value = this.doc.createNode(names);
    }
    this.note('ignored-by-stack-deploy', at, `${at.join('.')} is ignored by docker stack deploy: services start in any order`);
  }

  /** Only paths are accepted: an optional file that exists becomes required, one that is missing is left out. */
  private envFile(field: Entry, at: DocPath): void {
    const value = this.deref(field.pair.value);
    if (isScalar(value)) {
      this.requireFile(String(value.value), at);
      return;
    }
    if (!isSeq(value)) return;
    value.items.forEach((raw, i) => {
      const item = this.deref(raw);
      if (isScalar(item)) this.requireFile(String(item.value), [...at, i]);
    });
    const dropped: number[] = [];
    value.items.forEach((raw, i) => {
      const item = this.deref(raw);
      if (!isMap(item)) return;
      const path = this.deref(item.get('path', true));
      if (!isScalar(path)) throw new InputError(`${at.join('.')}[${i}] has no path`, this.project.locate([...at, i]));
      const optional = item.get('required') === false;
      const where = [...at, i];
      if (optional && this.project.fileExists?.(String(path.value)) === false) {
        // Compose skips a missing optional file; stack deploy would fail to open it.
        this.note('converted-for-stack-deploy', where, `${at.join('.')}[${i}] (${String(path.value)}) is optional and missing: left out for docker stack deploy`, 'info');
        dropped.push(i);
        return;
      }
      if (!optional) this.requireFile(String(path.value), where);
      if (optional) {
        this.note('converted-for-stack-deploy', where, `${at.join('.')}[${i}] becomes required: docker stack deploy has no "required: false"`);
      } else {
        this.note('converted-for-stack-deploy', where, `${at.join('.')}[${i}] is written as a plain path for docker stack deploy`, 'info');
      }
      value.items[i] = this.doc.createNode(String(path.value));
    });
    for (const i of dropped.reverse()) value.items.splice(i, 1);
    if (value.items.length === 0) this.remove(field);
  }

  /** An env_file that is not there: stack deploy would stop on it, after Compose already would have. */
  private requireFile(file: string, at: DocPath): void {
    if (this.project.fileExists?.(file) !== false) return;
    this.findings.push({
      code: 'missing-env-file',
      severity: 'error',
      message: `${at.join('.')}: env_file ${file} does not exist; docker stack deploy (and Compose) fail on it`,
      hint: 'create the file, fix the path (relative to the compose file), or make it optional with the long form: { path: FILE, required: false }',
      path: at,
      source: 'compose',
      ...this.project.locate(at),
    });
  }

  private volume(entry: Entry): void {
    const volume = this.deref(entry.pair.value);
    if (!isMap(volume)) return;
    const path = ['volumes', entry.key];
    const keys = new Set(this.entries(volume).map((e) => e.key));
    const external = volume.get('external');
    if (external !== undefined && external !== false && external !== null) {
      const conflicting = ['driver', 'driver_opts', 'labels'].filter((k) => keys.has(k));
      if (conflicting.length > 0) {
        throw new InputError(
          `volume "${entry.key}" is external and also sets ${conflicting.join(', ')}: docker stack deploy refuses that ("conflicting parameters")`,
          this.project.locate([...path, conflicting[0]], 'key'),
          'an external volume is created outside the stack: drop these keys, or make the volume not external',
        );
      }
    }
    const opts = this.deref(volume.get('driver_opts', true));
    if (!isMap(opts)) return;
    for (const opt of this.entries(opts)) {
      const value = this.deref(opt.pair.value);
      if (isScalar(value) && typeof value.value === 'boolean') {
        opt.pair.value = this.doc.createNode(String(value.value));
        this.note('converted-for-stack-deploy', [...path, 'driver_opts', opt.key], `driver option ${opt.key} is written as the string "${String(value.value)}": stack deploy takes strings and numbers only`);
      }
    }
  }

  /** Removes what the schema does not allow, or refuses it; then descends into the shapes it knows. */
  private check(map: YAMLMap, shape: Shape, path: DocPath): void {
    for (const entry of this.entries(map)) {
      const at = [...path, entry.key];
      if (shape.each) {
        const value = this.deref(entry.pair.value);
        if (isMap(value)) this.check(value, shape.each, at);
        continue;
      }
      if ((shape.x && entry.key.startsWith('x-')) || shape.keys.includes(entry.key)) {
        this.descend(entry, shape, at);
        continue;
      }
      this.reject(entry, at);
    }
  }

  private descend(entry: Entry, shape: Shape, at: DocPath): void {
    const value = this.deref(entry.pair.value);
    const inner = shape.map?.[entry.key];
    if (inner && isMap(value)) this.check(value, inner, at);
    const items = shape.list?.[entry.key];
    if (items && isSeq(value)) {
      value.items.forEach((item, i) => {
        const map = this.deref(item);
        if (isMap(map)) this.check(map, items, [...at, i]);
      });
    }
  }

  private reject(entry: Entry, at: DocPath): void {
    const pattern = at.map((step, i) => (i === 1 || typeof step === 'number' ? '*' : String(step))).join('.');
    const refusal = REFUSED[pattern];
    const where = this.project.locate(at, 'key');
    if (refusal) throw new InputError(`docker stack deploy does not accept ${at.join('.')}`, where, refusal);
    this.remove(entry);
    this.findings.push({
      code: 'removed-for-stack-deploy',
      severity: 'warning',
      message: `${at.join('.')} is removed: docker stack deploy does not accept it`,
      hint: REMOVED_HINTS[entry.key],
      path: at,
      source: 'compose',
      ...where,
    });
  }

  private note(code: string, path: DocPath, message: string, severity: Severity = 'warning'): void {
    this.findings.push({ code, severity, message, path, source: 'compose', ...this.project.locate(path, 'key') });
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  private mapAt(map: YAMLMap, key: string): YAMLMap | undefined {
    const entry = this.entries(map).find((e) => e.key === key);
    const value = entry && this.deref(entry.pair.value);
    return isMap(value) ? value : undefined;
  }

  /** The pairs a mapping ends up with: its own, then those `<<` merges in that it does not set itself. */
  private entries(map: YAMLMap, seen = new Set<unknown>()): Entry[] {
    if (seen.has(map)) return [];
    seen.add(map);
    const out: Entry[] = [];
    const have = new Set<string>();
    const merged: Entry[] = [];
    for (const pair of map.items as Pair[]) {
      const key = keyName(pair.key);
      if (key === undefined) continue;
      if (isMergeKey(pair.key)) {
        const value = this.deref(pair.value);
        const sources = isSeq(value) ? value.items.map((item) => this.deref(item)) : [value];
        for (const source of sources) if (isMap(source)) merged.push(...this.entries(source, seen));
        continue;
      }
      have.add(key);
      out.push({ key, pair, holder: map });
    }
    for (const entry of merged) {
      if (have.has(entry.key)) continue;
      have.add(entry.key);
      out.push(entry);
    }
    return out;
  }

  /** Removes a pair; a comment written above it stays, on what follows. */
  private remove(entry: Entry): void {
    const items = entry.holder.items;
    const index = items.indexOf(entry.pair as (typeof items)[number]);
    if (index < 0) return;
    const key = entry.pair.key as { commentBefore?: string | null; spaceBefore?: boolean } | null;
    const next = items[index + 1]?.key as { commentBefore?: string | null; spaceBefore?: boolean } | null | undefined;
    if (key?.commentBefore && next && typeof next === 'object') {
      next.commentBefore = next.commentBefore ? `${key.commentBefore}\n${next.commentBefore}` : key.commentBefore;
      // The comment now leads what follows: a blank line goes where one was before the comment, not between it
      // and what it describes.
      next.spaceBefore = key.spaceBefore;
    }
    items.splice(index, 1);
  }
}

/**
 * The document path of the last node of a chain of nodes from the root: keys of pairs, and indexes in sequences.
 * For typedAt, `indexes: false` writes -1 for any index (the casts match every index alike; looking each one up
 * would be quadratic in a long list).
 */
function docPathOf(chain: readonly unknown[], indexes = false): DocPath {
  const path: (string | number)[] = [];
  for (let i = 0; i < chain.length - 1; i++) {
    const here = chain[i];
    if (isPair(here)) path.push(isScalar(here.key) ? String(here.key.value) : '');
    else if (isSeq(here)) path.push(indexes ? here.items.indexOf(chain[i + 1] as never) : -1);
  }
  return path;
}
