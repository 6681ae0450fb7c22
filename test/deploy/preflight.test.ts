/** What the preflight finds about a stack's volumes against an engine's services and volumes (a fake engine). */
import { describe, expect, test } from 'vitest';
import type { Engine, EngineVolume, SwarmService } from '../../src/deploy/engine.js';
import { preflight, type PreflightInput } from '../../src/deploy/preflight.js';
import { fakeEngine } from '../helpers/fake-engine.js';

function service(name: string, stack: string | undefined, source: string, target = '/data'): SwarmService {
  return {
    ID: name,
    Spec: {
      Name: name,
      Labels: stack === undefined ? {} : { 'com.docker.stack.namespace': stack },
      TaskTemplate: { ContainerSpec: { Mounts: [{ Type: 'volume', Source: source, Target: target, VolumeOptions: { DriverConfig: { Name: 'local', Options: {} } } }] } },
    },
  };
}

function engine(services: SwarmService[], volumes: EngineVolume[]): Engine {
  return fakeEngine({
    services: async (stack) => (stack === undefined ? services : services.filter((s) => s.Spec.Labels?.['com.docker.stack.namespace'] === stack)),
    volume: async (name) => volumes.find((v) => v.Name === name),
  });
}

const input = (engineName: string, allowDrift = false): PreflightInput => ({
  stack: 'shop',
  allowDrift,
  secrets: [],
  services: [{ name: 'db', constraints: [], mode: 'replicated', replicas: 1 }],
  volumes: [{ volume: 'data', engineName, driver: 'local', options: {}, external: false, services: ['db'], secretOptions: [], mounts: [{ service: 'db', target: '/data' }] }],
});

const codes = async (e: Engine, i: PreflightInput) => (await preflight(e, { host: 'h', from: 'test' }, i)).findings.map((f) => `${f.severity} ${f.code}`);

describe('a volume under a new engine name while the data is under the old one', () => {
  test('the running service mounts another volume at the same place: refused, naming it', async () => {
    const result = await preflight(engine([service('shop_db', 'shop', 'shop_data')], [{ Name: 'shop_data', Driver: 'local' }]), { host: 'h', from: 'test' }, input('data-v2'));
    expect(result.findings).toMatchObject([
      { code: 'volume-renamed', severity: 'error', message: expect.stringContaining('"data-v2", while its data is in "shop_data" (mounted at /data by service shop_db)') },
    ]);
  });

  test('the stack is gone but <stack>_<volume> is there: refused; --allow-drift makes it a warning', async () => {
    const e = engine([], [{ Name: 'shop_data', Driver: 'local' }]);
    expect(await codes(e, input('data-v2'))).toEqual(['error volume-renamed']);
    expect(await codes(e, input('data-v2', true))).toEqual(['warning volume-renamed']);
  });

  test('a first deploy, and a volume already moved to its new name, are not', async () => {
    expect(await codes(engine([], []), input('data-v2'))).toEqual([]);
    expect(await codes(engine([], [{ Name: 'shop_data', Driver: 'local' }, { Name: 'data-v2', Driver: 'local' }]), input('data-v2'))).toEqual([]);
  });
});

describe('a volume another stack has', () => {
  test('its volume on this engine, or its service mounting the name: refused', async () => {
    expect(await codes(engine([], [{ Name: 'data', Driver: 'local', Labels: { 'com.docker.stack.namespace': 'blog' } }]), input('data'))).toEqual(['error volume-of-another-stack']);
    expect(await codes(engine([service('blog_db', 'blog', 'data')], []), input('data'))).toEqual(['error volume-of-another-stack']);
  });

  test('a volume made by hand, or the stack\'s own, is no other stack\'s; nor is an external one', async () => {
    expect(await codes(engine([], [{ Name: 'data', Driver: 'local', Labels: {} }]), input('data'))).toEqual([]);
    expect(await codes(engine([service('shop_db', 'shop', 'data')], [{ Name: 'data', Driver: 'local', Labels: { 'com.docker.stack.namespace': 'shop' } }]), input('data'))).toEqual([]);
    const external = input('data');
    external.volumes[0].external = true;
    expect(await codes(engine([service('blog_db', 'blog', 'data')], [{ Name: 'data', Driver: 'local', Labels: { 'com.docker.stack.namespace': 'blog' } }]), external)).toEqual([]);
  });
});

describe('placement', () => {
  const placed = (constraints: string[], replicas: number | undefined = 1, extra: Partial<PreflightInput['services'][number]> = {}): PreflightInput => ({
    stack: 'shop',
    allowDrift: false,
    secrets: [],
    services: [{ name: 'web', constraints, mode: 'replicated', replicas, ...extra }],
    volumes: [],
  });
  const nodes = engine([], []);

  test('a constraint Swarm refuses, or whose key it does not know, is refused; the service has no volume', async () => {
    const result = await preflight(nodes, { host: 'h', from: 'test' }, placed(['node.labels.zone = x', 'node.label.zone == x']));
    expect(result.findings.map((f) => f.message)).toEqual([
      'service "web": placement constraint "node.labels.zone = x" is not "key == value" or "key != value": Swarm refuses the service',
      'service "web": placement constraint "node.label.zone == x" names "node.label.zone", which Swarm does not know: it would place no task on any node',
    ]);
  });

  test('a key or value Swarm\'s manager refuses (a quoted value), or a node.ip that is no address: refused, with the fix', async () => {
    const result = await preflight(nodes, { host: 'h', from: 'test' }, placed(['node.hostname != "worker-1"', 'node.labels.zone == eu@1', '-x == y', 'node.ip == db-host']));
    expect(result.findings.map((f) => [f.code, f.path?.at(-1), f.message, f.hint])).toEqual([
      [
        'invalid-constraint',
        0,
        'service "web": placement constraint "node.hostname != \\"worker-1\\"": Swarm refuses the service, as its value "\\"worker-1\\"" holds a character it does not take in a constraint (it takes letters, digits, spaces and : - _ . * ( ) ? + [ ] \\ ^ $ | /)',
        'write the value without quotes: node.hostname != worker-1',
      ],
      ['invalid-constraint', 1, expect.stringContaining('as its value "eu@1" holds a character'), expect.stringContaining('give the node a label value')],
      ['invalid-constraint', 2, 'service "web": placement constraint "-x == y": Swarm refuses the service, as its key "-x" is not a name (letters, digits, ., - and _)', expect.stringContaining('constraint keys:')],
      ['invalid-constraint', 3, 'service "web": placement constraint "node.ip == db-host": "db-host" is not an IP address or a subnet, so Swarm would place no task on any node', expect.stringContaining('use node.hostname')],
    ]);
  });

  test('more replicas than max_replicas_per_node lets the eligible nodes run: refused, with how many would stay pending', async () => {
    const three = {
      ...engine([], []),
      nodes: async () => ['n1', 'n2', 'n3'].map((id, i) => ({ ID: id, Spec: { Role: i === 0 ? 'manager' : 'worker' }, Description: { Hostname: `node-${i + 1}` } })),
    };
    const result = await preflight(three, { host: 'h', from: 'test' }, placed(['node.role == worker'], 5, { maxPerNode: 2 }));
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'not-enough-nodes',
        severity: 'error',
        path: ['services', 'web', 'deploy', 'placement', 'max_replicas_per_node'],
        message:
          'service "web" asks for 5 replicas, at most 2 per node (max_replicas_per_node), and 2 nodes can run it (node-2, node-3; placement: node.role == worker): 1 of its tasks would stay pending',
        hint: 'lower replicas to 4, raise max_replicas_per_node to 3, or add nodes the service may run on',
      }),
    ]);
    // Room enough, replicas left to their default of 1, a global service, or scaled to 0: nothing.
    expect(await codes(three, placed([], 6, { maxPerNode: 2 }))).toEqual([]);
    expect(await codes(nodes, placed([], undefined, { maxPerNode: 1 }))).toEqual([]);
    expect(await codes(nodes, placed([], 2, { maxPerNode: 1 }))).toEqual(['error not-enough-nodes']);
    expect(await codes(nodes, placed([], undefined, { maxPerNode: 1, mode: 'global' }))).toEqual([]);
    expect(await codes(nodes, placed([], 0, { maxPerNode: 1 }))).toEqual([]);
  });

  test('constraints no node meets: refused; at 0 replicas, or met, nothing', async () => {
    expect(await codes(nodes, placed(['node.labels.zone == eu']))).toEqual(['error no-eligible-node']);
    expect(await codes(nodes, placed(['node.labels.zone == eu'], 0))).toEqual([]);
    expect(await codes(nodes, placed(['node.hostname == node-1', 'node.ip != 10.0.0.1', 'engine.labels.x != y']))).toEqual([]);
  });
});

describe('external secrets, configs and networks', () => {
  const externals: PreflightInput = {
    ...input('shop_data'),
    externals: [
      { kind: 'secret', key: 'tok', name: 'db-token' },
      { kind: 'config', key: 'conf', name: 'conf' },
      { kind: 'network', key: 'ext', name: 'edge' },
      { kind: 'network', key: 'lan', name: 'lan' },
    ],
  };

  test('one not in the Swarm, or a network that is not swarm-scoped, is refused at its key; one that is there passes', async () => {
    const have: Record<string, { Scope?: string }> = { 'config conf': { Scope: 'swarm' }, 'network edge': { Scope: 'swarm' }, 'network lan': { Scope: 'local' } };
    const e = { ...engine([], []), swarmObject: async (kind: string, name: string) => have[`${kind} ${name}`] };
    const result = await preflight(e, { host: 'h', from: 'test' }, externals);
    expect(result.findings.map((f) => [f.code, f.path, f.message])).toEqual([
      [
        'external-secret-missing',
        ['secrets', 'tok'],
        'external secret "db-token" (secret "tok") does not exist in the Swarm: docker stack deploy would stop at it, after creating the stack\'s networks',
      ],
      [
        'external-network-not-swarm',
        ['networks', 'lan'],
        'external network "lan" is a local network: a stack\'s services attach only to swarm-scoped networks, so docker stack deploy would refuse the stack',
      ],
    ]);
    expect(result.findings[0].hint).toBe('create it first (docker secret create db-token FILE), or fix the name');
    const none = { ...engine([], []), swarmObject: async () => undefined };
    expect(await codes(none, externals)).toEqual(['error external-secret-missing', 'error external-config-missing', 'error external-network-missing', 'error external-network-missing']);
  });
});

describe('the engine\'s Swarm role', () => {
  test('not in a Swarm, or a worker: refused with how to reach a manager, nothing else asked', async () => {
    for (const [swarm, code, words] of [
      [{ LocalNodeState: 'inactive' }, 'swarm-inactive', 'is not part of an active Swarm (state: inactive)'],
      [{ LocalNodeState: '' }, 'swarm-inactive', '(state: inactive)'],
      [{ LocalNodeState: 'active', ControlAvailable: false }, 'not-manager', 'is a Swarm worker'],
    ] as const) {
      const asked: string[] = [];
      const e = { ...engine([], []), info: async () => ({ Swarm: swarm }), services: async () => (asked.push('services'), []) } as Engine;
      const result = await preflight(e, { host: 'unix:///x.sock', from: 'test' }, input('shop_data'));
      expect(result.findings).toMatchObject([{ code, severity: 'error', message: expect.stringContaining(words) }]);
      expect(result.complete).toBe(false);
      expect(asked).toEqual([]);
    }
  });
});

describe('a node-local volume whose data is on a node the services may no longer run on', () => {
  const nodes = [
    { ID: 'n1', Spec: { Role: 'manager' }, Description: { Hostname: 'node-1' } },
    { ID: 'n2', Spec: { Role: 'worker' }, Description: { Hostname: 'node-2' } },
  ];
  function twoNodes(services: SwarmService[], volumes: EngineVolume[], tasks: { ServiceID: string; NodeID: string }[] = []): Engine {
    return {
      ...engine(services, volumes),
      nodes: async () => nodes,
      tasks: async () => tasks.map((task, i) => ({ ID: `t${i}`, ...task, DesiredState: 'shutdown' })),
    };
  }
  const local = (constraints: string[], options: { nodeLocal?: boolean; allowDrift?: boolean } = {}): PreflightInput => ({
    ...input('shop_data', options.allowDrift),
    services: [{ name: 'db', constraints, mode: 'replicated', replicas: 1 }],
    volumes: [{ ...input('shop_data').volumes[0], nodeLocal: options.nodeLocal ?? true }],
  });

  test('the volume is on this engine (node-1) and the placement names node-2: refused, naming both', async () => {
    const result = await preflight(twoNodes([], [{ Name: 'shop_data', Driver: 'local', Scope: 'local' }]), { host: 'h', from: 'test' }, local(['node.hostname == node-2']));
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'volume-on-other-node',
        severity: 'error',
        path: ['volumes', 'data'],
        message:
          'volume "data" (shop_data) keeps its data on node node-1, where it was made, but service "db" (placement: node.hostname == node-2) may run only on node-2: ' +
          'if deployed: Swarm places the tasks there, and the engine creates a new, empty volume "shop_data"',
      }),
    ]);
  });

  test('the running stack\'s task ran on node-2 (a volume this engine cannot see), and the placement now names the managers: refused', async () => {
    const running = service('shop_db', 'shop', 'shop_data');
    const e = twoNodes([running], [], [{ ServiceID: 'shop_db', NodeID: 'n2' }]);
    const result = await preflight(e, { host: 'h', from: 'test' }, local(['node.role == manager']));
    expect(result.findings.map((f) => f.code)).toEqual(['volume-on-other-node']);
    expect(result.findings[0].message).toContain('keeps its data on node node-2, where it was made, but service "db" (placement: node.role == manager) may run only on node-1');
    expect(await codes(e, local(['node.role == manager'], { allowDrift: true }))).toEqual(['warning volume-on-other-node']);
  });

  test('an external volume, judged by what the engine has: a local one here while the placement names node-2 is refused; nfs or a plugin is not', async () => {
    const external = (constraints: string[]) => {
      const base = local(constraints);
      return { ...base, volumes: [{ ...base.volumes[0], external: true, nodeLocal: false, driver: undefined }] };
    };
    const here = (volume: Partial<EngineVolume>) => [{ Name: 'shop_data', Driver: 'local', Scope: 'local', ...volume }];
    const refused = await preflight(twoNodes([], here({})), { host: 'h', from: 'test' }, external(['node.hostname == node-2']));
    expect(refused.findings.map((f) => f.code)).toEqual(['volume-on-other-node']);
    expect(refused.findings[0].message).toContain('volume "data" (shop_data) keeps its data on node node-1, where it was made, but service "db" (placement: node.hostname == node-2) may run only on node-2');
    expect(await codes(twoNodes([], here({ Options: { type: 'none', o: 'bind', device: '/srv/data' } })), external(['node.hostname == node-2']))).toEqual(['error volume-on-other-node']);
    expect(await codes(twoNodes([], here({ Options: { type: 'nfs', o: 'addr=10.0.0.1', device: ':/export' } })), external(['node.hostname == node-2']))).toEqual([]);
    expect(await codes(twoNodes([], here({ Driver: 'rexray/ebs' })), external(['node.hostname == node-2']))).toEqual([]);
    expect(await codes(twoNodes([], here({})), external(['node.hostname == node-1']))).toEqual([]);
  });

  test('an external volume this engine lacks that the running stack\'s tasks mounted on node-2 is there, not missing; placed away from node-2, refused', async () => {
    const external = (constraints: string[]) => {
      const base = local(constraints);
      return { ...base, volumes: [{ ...base.volumes[0], external: true, nodeLocal: false, driver: undefined }] };
    };
    const running = service('shop_db', 'shop', 'shop_data');
    const e = twoNodes([running], [], [{ ServiceID: 'shop_db', NodeID: 'n2' }]);
    expect(await codes(e, external(['node.hostname == node-2']))).toEqual([]);
    expect(await codes(e, external(['node.role == manager']))).toEqual(['error volume-on-other-node']);
    // Nowhere to be seen, and its service runs on node-2 only, whose volumes this engine cannot show: not confirmed.
    expect(await codes(twoNodes([], []), external(['node.hostname == node-2']))).toEqual(['error external-volume-unconfirmed']);
  });

  test('not when a node with the data stays eligible, the data is remote (nfs) or the engine says the volume is global', async () => {
    const here = [{ Name: 'shop_data', Driver: 'local', Scope: 'local' }];
    expect(await codes(twoNodes([], here), local(['node.hostname == node-1']))).toEqual([]);
    expect(await codes(twoNodes([], here), local([]))).toEqual([]);
    expect(await codes(twoNodes([], here), local(['node.hostname == node-2'], { nodeLocal: false }))).toEqual([]);
    expect(await codes(twoNodes([], [{ Name: 'shop_data', Driver: 'local', Scope: 'global' }]), local(['node.hostname == node-2']))).toEqual([]);
    // A first deploy: nothing on this engine; what node-2 has cannot be seen, and is said so (info, not refused).
    expect(await codes(twoNodes([], []), local(['node.hostname == node-2']))).toEqual(['info volumes-unseen-on-nodes']);
  });

  test('a local volume new on this engine whose services may run on other nodes: said once, naming the volumes and the nodes not checked', async () => {
    const result = await preflight(twoNodes([], []), { host: 'h', from: 'test' }, local([]));
    expect(result.findings).toEqual([
      {
        code: 'volumes-unseen-on-nodes',
        severity: 'info',
        message:
          'volume shop_data is new on this engine (node node-1), the only node whose volumes the preflight sees; their services may also run on node-2: ' +
          'a volume of that name left there (by an earlier deploy of the stack, or made by hand) would be used as it is, with its own options and data, and no drift could be seen',
        hint: 'to be sure, look on those nodes: docker volume inspect shop_data',
      },
    ]);
    // Only this node can run the service, the volume is a plugin's (the engine sees it across nodes), or it runs: nothing to say.
    expect(await codes(twoNodes([], []), local(['node.role == manager']))).toEqual([]);
    expect(await codes(twoNodes([], []), { ...local([]), volumes: [{ ...local([]).volumes[0], driver: 'pxd' }] })).toEqual(['error driver-missing']);
    expect(await codes(engine([], []), local([]))).toEqual([]);
  });
});

describe('an external volume this engine does not have: refused where the engine can tell, else until confirmed', () => {
  const node = (id: string, hostname: string, role: string, extra: object = {}) => ({ ID: id, Spec: { Role: role, ...extra }, Description: { Hostname: hostname } });
  const withNodes = (nodes: ReturnType<typeof node>[]): Engine => ({ ...engine([], []), nodes: async () => nodes });
  const two = [node('n1', 'node-1', 'manager'), node('n2', 'node-2', 'worker')];
  const three = [...two, node('n3', 'node-3', 'worker')];
  const external = (constraints: string[], confirmed = false, replicas = 1): PreflightInput => ({
    ...input('archive'),
    services: [{ name: 'db', constraints, mode: 'replicated', replicas }],
    volumes: [{ ...input('archive').volumes[0], external: true, driver: undefined }],
    ...(confirmed ? { confirmedExternal: ['data'] } : {}),
  });
  const run = (e: Engine, i: PreflightInput) => preflight(e, { host: 'h', from: 'test' }, i);

  test('a one-node Swarm, or every other node drained or down: missing, confirmed or not', async () => {
    for (const nodes of [[node('n1', 'node-1', 'manager')], [two[0], node('n2', 'node-2', 'worker', { Availability: 'drain' })], [two[0], { ...two[1], Status: { State: 'down' } }]]) {
      for (const confirmed of [false, true]) {
        const result = await run(withNodes(nodes), external([], confirmed));
        expect(result.findings).toEqual([
          expect.objectContaining({
            code: 'external-volume-missing',
            severity: 'error',
            path: ['volumes', 'data'],
            message: 'external volume "archive" (volume "data") does not exist on this engine (node node-1), the only node its services can run on: Swarm would create an empty one with the local driver where a task lands',
          }),
        ]);
      }
    }
  });

  test('services that may run here and on other nodes: missing here, whatever is confirmed, with how to place them', async () => {
    for (const confirmed of [false, true]) {
      const result = await run(withNodes(three), external([], confirmed));
      expect(result.findings).toEqual([
        expect.objectContaining({
          code: 'external-volume-missing',
          severity: 'error',
          message:
            'external volume "archive" (volume "data") does not exist on this engine (node node-1), where service "db" may run: a task placed there gets a new, empty one with the local driver ' +
            '(the preflight sees the volumes of this engine\'s node only, not those of node-2, node-3)',
          hint:
            'if it exists on node-2 or node-3, keep the services there with a placement constraint (node.hostname == node-2, or node.hostname != node-1) and confirm it with ' +
            '--confirm-external data; else create it first (docker volume create --driver DRIVER archive), or fix the name',
        }),
      ]);
    }
  });

  test('services placed on other nodes only: refused as unconfirmed, naming the nodes checked and not; confirmed, deployed with a note', async () => {
    const unconfirmed = await run(withNodes(two), external(['node.hostname == node-2']));
    expect(unconfirmed.findings).toEqual([
      expect.objectContaining({
        code: 'external-volume-unconfirmed',
        severity: 'error',
        message:
          'external volume "archive" (volume "data") is not on this engine (node node-1), and the preflight sees the volumes of this engine\'s node only, not those of node-2, ' +
          'where its services run (service "db" may run on node-2 (placement: node.hostname == node-2)): if it exists on none of them, Swarm would create an empty one with the local driver where a task lands',
        hint: 'check it there (docker volume inspect archive on node-2), then deploy with --confirm-external data; else create it first, or fix the name',
      }),
    ]);
    expect(unconfirmed.volumes[0]).toMatchObject({ state: 'external', exists: false, elsewhere: 'unconfirmed' });

    const confirmed = await run(withNodes(two), external(['node.hostname == node-2'], true));
    expect(confirmed.findings).toEqual([
      expect.objectContaining({
        code: 'external-volume-elsewhere',
        severity: 'info',
        message: 'external volume "archive" (volume "data") is not on this engine (node node-1); deployed as confirmed (--confirm-external) to exist where its services run: service "db" may run on node-2 (placement: node.hostname == node-2)',
      }),
    ]);
    expect(confirmed.volumes[0]).toMatchObject({ elsewhere: 'confirmed' });
    // A service that may land on several nodes needs it on each: a warning, which does not refuse.
    expect(await codes(withNodes(three), external(['node.role == worker'], true))).toEqual(['warning external-volume-elsewhere']);
    expect(await codes(withNodes(three), external(['node.role == worker']))).toEqual(['error external-volume-unconfirmed']);
  });

  test('nothing to say when no task will mount it (scaled to 0), or it is on this engine', async () => {
    expect(await codes(withNodes(two), external([], false, 0))).toEqual([]);
    const here: Engine = { ...engine([], [{ Name: 'archive', Driver: 'local', Scope: 'local' }]), nodes: async () => two };
    expect(await codes(here, external([]))).toEqual([]);
  });
});
