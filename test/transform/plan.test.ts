/** planVolumes on its own: what each volume becomes, and where each of its values comes from. */
import { describe, expect, it } from 'vitest';
import { loadPolicyObject } from '../../src/policies/load.js';
import { planVolumes } from '../../src/transform/plan.js';

const policy = loadPolicyObject({
  version: 1,
  environments: ['same', 'other'],
  classes: {
    fast: {
      driver: 'local',
      driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size={size}' },
      parameters: { size: '1g' },
      name: '{project}-{volume}',
      environments: {
        same: { driver_opts: { o: 'size={size},uid=1000' } },
        other: { driver: 'rexray/ebs', driver_opts: { size: '{size}' } },
      },
    },
  },
});

const model = {
  services: { app: { image: 'x', volumes: ['scratch:/s', 'kept:/k'] } },
  volumes: { scratch: { 'x-voldriver': 'fast', driver: 'local', driver_opts: { type: 'none' } }, kept: { name: 'kept-data' } },
};

const plan = (env?: string) => planVolumes(model, policy, { env, projectName: 'shop' }).plans;

describe('planVolumes', () => {
  it('maps a classed volume and leaves a volume without one as written', () => {
    const [scratch, kept] = plan();
    expect(scratch).toMatchObject({ volume: 'scratch', class: 'fast', reason: 'x-voldriver', managed: true, driver: 'local', name: 'shop-scratch' });
    expect(scratch.driver_opts).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1g' });
    expect(scratch.services).toEqual(['app']);
    expect(kept).toMatchObject({ volume: 'kept', managed: false, reason: 'none', engineName: 'kept-data' });
  });

  it('records where the driver, each option and the name come from, and what its placeholders took', () => {
    const { provenance } = plan()[0];
    expect(provenance.driver).toEqual({ source: 'policy', path: ['classes', 'fast', 'driver'] });
    expect(provenance.options.o).toEqual({ source: 'policy', path: ['classes', 'fast', 'driver_opts', 'o'], placeholders: { size: '1g' } });
    expect(provenance.options.type).toEqual({ source: 'policy', path: ['classes', 'fast', 'driver_opts', 'type'] });
    expect(provenance.name).toEqual({ source: 'policy', path: ['classes', 'fast', 'name'], placeholders: { project: 'shop', volume: 'scratch' } });
  });

  it('an environment with the same driver merges options key by key; another driver replaces them all', () => {
    const same = plan('same')[0];
    expect(same.driver_opts).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1g,uid=1000' });
    expect(same.provenance.options.o.path).toEqual(['classes', 'fast', 'environments', 'same', 'driver_opts', 'o']);
    expect(same.provenance.options.type.path).toEqual(['classes', 'fast', 'driver_opts', 'type']);
    expect(same.provenance.optionsAt.path).toEqual(['classes', 'fast', 'driver_opts']);
    const other = plan('other')[0];
    expect(other.driver).toBe('rexray/ebs');
    expect(Object.keys(other.driver_opts)).toEqual(['size']);
    expect(other.provenance.driver?.path).toEqual(['classes', 'fast', 'environments', 'other', 'driver']);
    expect(other.provenance.optionsAt.path).toEqual(['classes', 'fast', 'environments', 'other', 'driver_opts']);
  });

  it('keeps what the volume was before render: driver, options, name and the engine name Docker gave it', () => {
    const [scratch, kept] = plan();
    expect(scratch.provenance.previous).toEqual({ driver: 'local', driver_opts: { type: 'none' }, name: undefined, engineName: 'shop_scratch' });
    expect(kept.provenance.previous).toEqual({ driver: undefined, driver_opts: undefined, name: 'kept-data', engineName: 'kept-data' });
    expect(kept.provenance.name).toEqual({ source: 'compose', path: ['volumes', 'kept', 'name'] });
    expect(kept.provenance.driver).toBeUndefined();
  });

  it('takes an empty name: as none, as Compose and stack deploy do', () => {
    const empty = { services: { app: { image: 'x', volumes: ['kept:/k'] } }, volumes: { kept: { name: '' } } };
    const [kept] = planVolumes(empty, policy, { projectName: 'shop' }).plans;
    expect(kept.engineName).toBe('shop_kept');
    expect(kept.provenance.previous).toEqual({ driver: undefined, driver_opts: undefined, name: undefined, engineName: 'shop_kept' });
    // A class name over it is a rename from Docker's own name, not from "".
    const classed = { ...empty, volumes: { kept: { name: '', 'x-voldriver': 'fast' } } };
    expect(planVolumes(classed, policy, { projectName: 'shop' }).plans[0]).toMatchObject({ name: 'shop-kept', engineName: 'shop-kept' });
  });

  it('takes the engine name of an external volume from the deprecated external.name, as Compose and stack deploy do', () => {
    const volumes = { old: { external: { name: 'legacy-data' } }, plain: { external: true }, named: { external: true, name: 'n1' } };
    const plans = planVolumes({ services: { app: { image: 'x', volumes: ['old:/o', 'plain:/p', 'named:/n'] } }, volumes }, policy, { projectName: 'shop' }).plans;
    expect(plans.map((p) => [p.volume, p.external, p.engineName])).toEqual([
      ['old', true, 'legacy-data'],
      ['plain', true, 'plain'],
      ['named', true, 'n1'],
    ]);
    expect(plans[0].provenance.name).toEqual({ source: 'compose', path: ['volumes', 'old', 'external', 'name'] });
    expect(plans[0].provenance.previous.engineName).toBe('legacy-data');
  });

  it('reports a volume a service mounts but nobody declares', () => {
    const { findings } = planVolumes({ services: { a: { image: 'x', volumes: ['ghost:/g'] } }, volumes: {} }, policy);
    expect(findings.map((f) => [f.code, f.path])).toEqual([['undefined-volume', ['services', 'a', 'volumes', 0]]]);
  });

  it('says a host path in a long mount of type volume is one, and that type: bind mounts it', () => {
    const volumes = [{ type: 'volume', source: './conf', target: '/c' }, { type: 'volume', source: 'dat', target: '/d' }, 'ghost:/g'];
    const { findings } = planVolumes({ services: { a: { image: 'x', volumes } }, volumes: {} }, policy);
    expect(findings.map((f) => f.hint)).toEqual([
      '"./conf" is a host path: write type: bind to mount it (type: volume takes a volume name)',
      'add "dat:" under volumes, or write type: bind with a host path for a bind mount',
      'add "ghost:" under volumes, or mount a path (./ghost) for a bind mount',
    ]);
  });

  it('reports a short mount of a one-letter volume, which Docker reads as a Windows drive path', () => {
    const volumes = ['v:/data', 'v:/data:ro', 'v:\\data:/x', 'C:\\data:/data', 'vv:/data', '/v:/data', 'V:/data', { type: 'volume', source: 'v', target: '/d' }];
    const { findings } = planVolumes({ services: { a: { image: 'x', volumes } }, volumes: { v: {}, vv: {} } }, policy);
    const drive = findings.filter((f) => f.code === 'drive-letter-mount');
    // C: and V: are not declared volumes (names are case-sensitive); vv and the long form are the volumes.
    expect(drive.map((f) => f.path)).toEqual([0, 1, 2].map((i) => ['services', 'a', 'volumes', i]));
    expect(drive.map((f) => f.severity)).toEqual(['error', 'error', 'error']);
    expect(drive[1].message).toBe('service "a" mounts "v:/data:ro", which Docker reads as the Windows drive path "v:/data", not as volume "v": the service would get no part of that volume\'s data');
    expect(drive[2].message).toContain('the Windows drive path "v:\\data"');
  });
});

describe('labels the class sets over the user\'s', () => {
  const labelled = loadPolicyObject({ version: 1, classes: { durable: { driver: 'local', labels: { backup: 'daily', tier: 'gold' } } } });
  const findings = (labels: unknown, extra: Record<string, unknown> = {}) =>
    planVolumes({ services: {}, volumes: { data: { 'x-voldriver': 'durable', labels, ...extra } } }, labelled).findings.filter((f) => f.code === 'label-replaced');

  it('are reported once each, in the map and the list form, with where they are written', () => {
    expect(findings({ backup: 'weekly', tier: 'gold', owner: 'me' })).toEqual([
      expect.objectContaining({ severity: 'warning', volume: 'data', path: ['volumes', 'data', 'labels', 'backup'], message: 'class "durable" sets label "backup" of volume "data" to "daily", over the "weekly" written here' }),
    ]);
    expect(findings(['backup=weekly', 'tier'])).toHaveLength(2);
  });

  it('are not reported on a volume rendered before, whose values the class gave', () => {
    expect(findings({ backup: 'weekly', 'com.compose-voldriver.class': 'durable' })).toEqual([]);
  });
});


describe('names the class gives', () => {
  const named = (name: string, driver = 'local') =>
    planVolumes({ services: {}, volumes: { data: { 'x-voldriver': 'c' } } }, loadPolicyObject({ version: 1, classes: { c: { driver, name } } }), { set: { team: 'my team' } });

  it('are refused where the local driver would refuse them, with where the template is written', () => {
    const { findings, plans } = named('{team}-{volume}');
    expect(findings).toEqual([
      expect.objectContaining({ code: 'invalid-volume-name', severity: 'error', source: 'policy', path: ['classes', 'c', 'name'], volume: 'data' }),
    ]);
    expect(findings[0].message).toContain('"my team-data", which the local driver refuses');
    expect(plans[0].managed).toBe(false);
  });

  it('are left to other drivers, and to Swarm templates filled per task', () => {
    expect(named('{team}-{volume}', 'rexray/ebs').findings.filter((f) => f.code === 'invalid-volume-name')).toEqual([]);
    const invalid = (name: string) => named(name).findings.filter((f) => f.code === 'invalid-volume-name');
    expect(invalid('{volume}-{{.Task.Slot}}')).toEqual([]);
    expect(invalid('{volume}.v2')).toEqual([]);
  });
});

describe('an empty --set or VOLDRIVER_ value', () => {
  const nfs = loadPolicyObject({
    version: 1,
    environments: { prod: { parameters: { server: '10.0.0.5' } }, lab: {} },
    classes: { shared: { driver: 'local', driver_opts: { type: 'nfs', o: 'addr={server},rw', device: ':/srv/{volume}' } } },
  });
  const shared = { services: { app: { image: 'x', volumes: ['data:/d'] } }, volumes: { data: { 'x-voldriver': 'shared' } } };
  const run = (env: string, set: Record<string, string>, variables: Record<string, string> = {}) => planVolumes(shared, nfs, { env, set, variables });

  it("gives no value: the policy's own applies, never an empty one (addr=,rw)", () => {
    expect(run('prod', { server: '' }).plans[0].driver_opts.o).toBe('addr=10.0.0.5,rw');
    expect(run('prod', {}, { VOLDRIVER_SERVER: '' }).plans[0].driver_opts.o).toBe('addr=10.0.0.5,rw');
    expect(run('prod', { server: '10.9.9.9' }, { VOLDRIVER_SERVER: '' }).plans[0].driver_opts.o).toBe('addr=10.9.9.9,rw');
  });

  it('without another value, is a missing parameter that says the value given is empty', () => {
    const set = run('lab', { server: '' }).findings.filter((f) => f.code === 'missing-parameter');
    expect(set.map((f) => f.message)).toEqual(['class "shared" needs a value for {server} (volume "data"): --set server= is empty, which gives no value']);
    const variable = run('lab', {}, { VOLDRIVER_SERVER: '' }).findings.filter((f) => f.code === 'missing-parameter');
    expect(variable.map((f) => f.message)).toEqual(['class "shared" needs a value for {server} (volume "data"): VOLDRIVER_SERVER is empty, which gives no value']);
  });
});

describe('braces in a variable a policy value uses', () => {
  const cifs = loadPolicyObject({
    version: 1,
    parameters: { server: 'files.example.com' },
    classes: {
      shared: {
        driver: 'local',
        driver_opts: { type: 'cifs', device: '//{server}/share', o: 'username=app,password=${CIFS_PASSWORD}' },
        labels: { owner: '${OWNER:-ops}' },
      },
    },
  });
  const stack = { services: { app: { image: 'x', volumes: ['data:/d'] } }, volumes: { data: { 'x-voldriver': 'shared' } } };

  it('are text, not placeholders: neither filled nor asked for', () => {
    const result = planVolumes(stack, cifs, { variables: { CIFS_PASSWORD: 'p{a}s{server}s', OWNER: '{volume}' } });
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.plans[0].driver_opts.o).toBe('username=app,password=p{a}s{server}s');
    expect(result.plans[0].driver_opts.device).toBe('//files.example.com/share');
    expect(result.plans[0].labels.owner).toBe('{volume}');
  });
});

describe("a rule's parameters", () => {
  const ruled = loadPolicyObject({
    version: 1,
    parameters: { size: '1Gi' },
    classes: { fast: { driver: 'pxd', driver_opts: { size: '{size}' }, parameters: { size: '2Gi' } } },
    rules: [{ match: { volume: '*cache*' }, class: 'fast', parameters: { size: '5Gi' } }],
  });
  const cache = (volume: Record<string, unknown> = {}) => ({ services: { app: { image: 'x', volumes: ['cache:/c'] } }, volumes: { cache: volume } });
  const size = (options: Parameters<typeof planVolumes>[2], volume?: Record<string, unknown>) => planVolumes(cache(volume), ruled, options).plans[0].driver_opts.size;

  it("are over the class's, under --set and VOLDRIVER_, as the policy's values for the volumes the rule matches", () => {
    expect(size({})).toBe('5G');
    expect(size({ set: { size: '50Gi' } })).toBe('50G');
    expect(size({ variables: { VOLDRIVER_SIZE: '40Gi' } })).toBe('40G');
    // The volume's own x-voldriver parameters are over them all.
    expect(size({ set: { size: '50Gi' } }, { 'x-voldriver': { size: '7Gi' } })).toBe('7G');
  });
});

describe('a built-in placeholder the run has no value for', () => {
  it('says how to give it: {env} with --env, not --set env=', () => {
    const labelled = loadPolicyObject({ version: 1, classes: { fast: { driver: 'local', labels: { env: '{env}' } } } });
    const stack = { services: { app: { image: 'x', volumes: ['data:/d'] } }, volumes: { data: { 'x-voldriver': 'fast' } } };
    const [missing] = planVolumes(stack, labelled, {}).findings.filter((f) => f.code === 'missing-parameter');
    expect(missing.hint).toBe('{env} is the name of the environment the run renders for, and it has none: pass --env NAME');
  });
});

describe('VOLDRIVER_ for a placeholder with capitals', () => {
  const camel = loadPolicyObject({
    version: 1,
    parameters: { nfsServer: '10.0.0.5' },
    classes: { shared: { driver: 'local', driver_opts: { type: 'nfs', o: 'addr={nfsServer},rw', device: ':/srv' } } },
  });
  const stack = { services: { app: { image: 'x', volumes: ['data:/d'] } }, volumes: { data: { 'x-voldriver': 'shared' } } };

  it('fills it, as the missing-parameter hint says (VOLDRIVER_NFSSERVER for {nfsServer}); --set stays over it', () => {
    expect(planVolumes(stack, camel, { variables: { VOLDRIVER_NFSSERVER: '10.9.9.9' } }).plans[0].driver_opts.o).toBe('addr=10.9.9.9,rw');
    expect(planVolumes(stack, camel, { variables: { VOLDRIVER_NFSSERVER: '10.9.9.9' }, set: { nfsServer: '10.1.1.1' } }).plans[0].driver_opts.o).toBe('addr=10.1.1.1,rw');
  });
});

describe('volumes shared through volumes_from', () => {
  const single = loadPolicyObject({
    version: 1,
    classes: { durable: { driver: 'local', access: 'single', placement: ['node.labels.disk == ssd'] } },
  });
  const shared = (services: Record<string, unknown>) =>
    planVolumes({ services, volumes: { data: { 'x-voldriver': 'durable' }, logs: {} } }, single);

  it('count as mounts of the services that take them, transitively, with their mode', () => {
    const { plans, findings } = shared({
      db: { image: 'x', volumes: ['data:/d', { type: 'volume', source: 'logs', target: '/l', read_only: true }, './conf:/c'] },
      backup: { image: 'x', volumes_from: ['db:ro'] },
      tail: { image: 'x', volumes_from: ['backup', 'container:other', 'nope'] },
      editor: { image: 'x', volumes_from: ['db:rw'] },
      plain: { image: 'x', volumes_from: ['db'] },
    });
    const [data, logs] = plans;
    expect(data.services).toEqual(['db', 'backup', 'tail', 'editor', 'plain']);
    expect(logs.services).toEqual(['db', 'backup', 'tail', 'editor', 'plain']);
    const mode = (plan: (typeof plans)[number]) => Object.fromEntries(plan.mounts.map((m) => [m.service, m.readOnly]));
    expect(mode(data)).toEqual({ db: false, backup: true, tail: true, editor: false, plain: false });
    expect(mode(logs)).toEqual({ db: true, backup: true, tail: true, editor: false, plain: true });
    expect(data.mounts.find((m) => m.service === 'tail')?.path).toEqual(['services', 'tail', 'volumes_from', 0]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('are no undefined volume of their own, and a cycle or a long chain ends', () => {
    const ghost = planVolumes({ services: { a: { image: 'x', volumes: ['ghost:/g'] }, b: { image: 'x', volumes_from: ['a'] } }, volumes: {} }, single);
    expect(ghost.findings.map((f) => f.path)).toEqual([['services', 'a', 'volumes', 0]]);
    const cycle = shared({ a: { image: 'x', volumes: ['data:/d'], volumes_from: ['b'] }, b: { image: 'x', volumes_from: ['a'] } });
    // Loading refuses the cycle; planning one still ends.
    expect(cycle.plans[0].services).toContain('a');
    const chain: Record<string, unknown> = { s0: { image: 'x', volumes: ['data:/d'] } };
    for (let i = 1; i < 20_000; i++) chain[`s${i}`] = { image: 'x', volumes_from: [`s${i - 1}`] };
    expect(shared(chain).plans[0].services).toHaveLength(20_000);
  });
});
