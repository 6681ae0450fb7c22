/** The policy file: the built-in policies, placeholders, environments. */
import { describe, expect, it } from 'vitest';
import { loadBuiltinPolicy, loadPolicyText } from '../src/policies/load.js';
import { resolveMapping } from '../src/policies/mapping.js';
import { renderStack } from '../src/index.js';
import { builtinPolicies } from '../src/policies/presets/index.js';
import { validateModel } from '../src/schema/validate.js';
import { parse } from 'yaml';

describe('built-in policies', () => {
  for (const [name, text] of Object.entries(builtinPolicies)) {
    it(`builtin:${name} satisfies the policy schema (it is not checked at run time)`, () => {
      const findings = validateModel('policy', parse(text), () => ({ file: name, line: 1, col: 1 }));
      expect(findings).toEqual([]);
      // Loading it untrusted runs every check a user's policy gets.
      expect(() => loadPolicyText(text, `builtin:${name}`)).not.toThrow();
      expect(loadBuiltinPolicy(`builtin:${name}`).data.classes).toHaveProperty('durable');
    });
  }
});

describe('environments as a mapping', () => {
  const text = (environments: string) => `version: 1
environments:
${environments}
parameters: { size: 10Gi }
classes:
  durable:
    driver: local
    driver_opts: { o: "addr={nfs_server}", size: "{size}" }
`;

  it('names the environments --env accepts, with their descriptions and parameters', async () => {
    const { environmentParameters } = await import('../src/policies/mapping.js');
    const policy = loadPolicyText(text('  laptop:\n  onprem:\n    description: NFS\n    parameters: { nfs_server: 10.0.0.5, size: 50Gi }'), 'p.yml');
    expect(policy.environments).toEqual(['laptop', 'onprem']);
    expect(environmentParameters(policy, 'onprem')).toEqual({ nfs_server: '10.0.0.5', size: '50Gi' });
    expect(environmentParameters(policy, 'laptop')).toEqual({});
    expect(environmentParameters(policy, undefined)).toEqual({});
  });

  it('refuses an unknown key in an environment, at its line', () => {
    expect(() => loadPolicyText(text('  onprem:\n    paramters: { nfs_server: x }'), 'p.yml')).toThrow(/p\.yml|paramters/);
    try {
      loadPolicyText(text('  onprem:\n    paramters: { nfs_server: x }'), 'p.yml');
    } catch (error) {
      expect((error as { location: { line: number } }).location.line).toBe(4);
      expect((error as Error).message).toMatch(/did you mean "parameters"/);
    }
  });

  it('still refuses a class override of an environment it does not list', () => {
    const bad = text('  laptop:').replace('driver: local', 'driver: local\n    environments: { aws: { driver: rexray/ebs } }');
    expect(() => loadPolicyText(bad, 'p.yml')).toThrow(/overrides environment "aws", which is not in environments/);
  });
});

describe('an environment that keeps the driver', () => {
  const policy = loadPolicyText(
    `version: 1
classes:
  shared:
    driver: local
    driver_opts: { type: nfs, o: "addr={nfs_server},rw", device: ":/srv/{volume}" }
    labels: { backup: daily, tier: nfs }
    name: "{volume}-nfs"
    environments:
      dev:
        driver_opts: { type: tmpfs, device: tmpfs, o: null }
        labels: { backup: null }
        name: null
      staging:
        labels: { tier: staging }
`,
    'voldriver.yml',
  );

  it('takes away the class keys and name it sets to null, and merges the rest', () => {
    const dev = resolveMapping(policy, 'shared', 'dev');
    expect(dev.mapping.driver_opts).toEqual({ type: 'tmpfs', device: 'tmpfs' });
    expect(dev.mapping.labels).toEqual({ tier: 'nfs' });
    expect(dev.mapping.name).toBeUndefined();
    expect(Object.keys(dev.paths.driver_opts)).toEqual(['type', 'device']);
    expect(Object.keys(dev.paths.labels)).toEqual(['tier']);
    const staging = resolveMapping(policy, 'shared', 'staging');
    expect(staging.mapping.labels).toEqual({ backup: 'daily', tier: 'staging' });
    expect(staging.mapping.name).toBe('{volume}-nfs');
  });

  it('renders without the taken keys, and without asking for the placeholders only they used', () => {
    const result = renderStack({
      sources: [{ name: 'compose.yml', text: 'services:\n  a:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: shared\n' }],
      policy: policy.data,
      environment: 'dev',
      variables: {},
    });
    expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(result.output).toContain('type: "tmpfs"');
    expect(result.output).not.toMatch(/addr=|backup|name:/);
  });

  it('refuses null where it takes nothing away: in the class itself', () => {
    expect(() => loadPolicyText('version: 1\nclasses:\n  a:\n    driver: local\n    driver_opts: { o: null }\n', 'voldriver.yml')).toThrow(
      /voldriver.yml:5:23|driver_opts\.o/,
    );
  });
});

describe('<< merge keys in a policy, as in Compose files', () => {
  const shared = `version: 1
environments: [dev, prod]
x-nfs: &nfs
  driver: local
  driver_opts: { type: nfs, o: "addr=10.0.0.1,rw", device: ":/data" }
x-labels: &labels
  labels: { backup: daily }
classes:
  shared:
    <<: [*nfs, *labels]
    driver_opts: { type: nfs, o: "addr=10.0.0.2,rw", device: ":/shared" }
    environments:
      prod:
        <<: *nfs
  scratch:
    <<: *nfs
`;

  it('takes the anchored keys the mapping does not set itself, in classes and environment overrides', () => {
    const policy = loadPolicyText(shared, 'p.yml');
    expect(policy.data.classes.shared).toMatchObject({ driver: 'local', labels: { backup: 'daily' }, driver_opts: { device: ':/shared' } });
    expect(policy.data.classes.scratch).toEqual({ driver: 'local', driver_opts: { type: 'nfs', o: 'addr=10.0.0.1,rw', device: ':/data' } });
    expect(resolveMapping(policy, 'shared', 'prod').mapping.driver_opts).toEqual({ type: 'nfs', o: 'addr=10.0.0.1,rw', device: ':/data' });
    expect(Object.keys(policy.data.classes.shared)).not.toContain('<<');
  });

  it('renders with them, and points a problem in a merged mapping at its own line', () => {
    const result = renderStack({
      sources: [{ name: 'compose.yml', text: 'services:\n  a:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: scratch\n' }],
      policy: loadPolicyText(shared, 'p.yml').data,
      environment: 'dev',
      variables: {},
    });
    expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(result.output).toContain('o: "addr=10.0.0.1,rw"');
    const typo = shared.replace('  driver_opts: { type: nfs, o: "addr=10.0.0.1,rw", device: ":/data" }', '  drivr_opts: {}');
    expect(() => loadPolicyText(typo, 'p.yml')).toThrow(expect.objectContaining({ message: expect.stringContaining('unknown key "drivr_opts"'), location: { file: 'p.yml', line: 5, col: 3 } }));
  });

  it('refuses a << whose value is no mapping, at its place, in one message', () => {
    for (const value of ['5', 'text', '[*nfs, 3]', '~']) {
      expect(() => loadPolicyText(shared.replace('scratch:\n    <<: *nfs', `scratch:\n    <<: ${value}`), 'p.yml'), value).toThrow(
        expect.objectContaining({ message: 'invalid policy: a << merge key takes a mapping (an alias such as *base) or a list of mappings', location: { file: 'p.yml', line: 16, col: 9 } }),
      );
    }
  });
});

describe('numbers in a policy', () => {
  const policy = `version: 1.0
x-opts: &opts { replicas: 03 }
parameters: { size: 20.0 }
environments:
  prod: { parameters: { zone: 010 } }
classes:
  fast:
    driver: myplug
    driver_opts: { ver: 4.0, mode: 0700, mask: 0x1F, big: 1e3, plus: +12, octal: 0o17, ratio: 1.50, plain: 7, half: 0.5, size: "{size}", zone: "{zone}", <<: *opts }
    labels: { release: 2.10, zip: 01234, count: 12 }
rules:
  - match: { volume: "*", min_services: 01 }
    class: fast
    parameters: { size: 30.0 }
`;
  const compose = 'services:\n  a:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data: {}\n';

  it('keeps an option, label or parameter value as it is written, where reading it as a number would write it otherwise', () => {
    const loaded = loadPolicyText(policy, 'p.yml');
    expect(loaded.data.classes.fast.driver_opts).toEqual({ ver: '4.0', mode: '0700', mask: '0x1F', big: '1e3', plus: '+12', octal: '0o17', ratio: '1.50', plain: 7, half: 0.5, size: '{size}', zone: '{zone}', replicas: '03' });
    expect(loaded.data.classes.fast.labels).toEqual({ release: '2.10', zip: '01234', count: 12 });
    // Where a number is a number, it stays one.
    expect(loaded.data.version).toBe(1);
    expect(loaded.data.rules?.[0].match.min_services).toBe(1);
    const result = renderStack({ sources: [{ name: 'compose.yml', text: compose }], policy: loaded.data, environment: 'prod', variables: {} });
    expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    const [plan] = result.plans;
    expect(plan.driver_opts).toEqual({ ver: '4.0', mode: '0700', mask: '0x1F', big: '1e3', plus: '+12', octal: '0o17', ratio: '1.50', plain: '7', half: '0.5', size: '30.0', zone: '010', replicas: '03' });
    expect(result.output).toContain('release: "2.10"');
    expect(result.output).toContain('zip: "01234"');
  });

  it('keeps a key as it is written: class 007 is the class "007" a volume asks for, an option 0x10 the option "0x10"', () => {
    const text = 'version: 1\nenvironments:\n  010: {}\nclasses:\n  007:\n    driver: myplug\n    driver_opts: { 0x10: a, 1e3: b, 12: c }\n  1.50: { driver: local }\n';
    const loaded = loadPolicyText(text, 'p.yml');
    expect(Object.keys(loaded.data.classes)).toEqual(['007', '1.50']);
    expect(loaded.data.classes['007'].driver_opts).toEqual({ '0x10': 'a', '1e3': 'b', '12': 'c' });
    expect(loaded.locate(['classes', '1.50'], 'key')).toMatchObject({ file: 'p.yml', line: 8, col: 3 });
    const stack = (cls: string) => `services:\n  a:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: "${cls}"\n`;
    const result = renderStack({ sources: [{ name: 'compose.yml', text: stack('007') }], policy: loaded.data, environment: '010', variables: {} });
    expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(result.plans[0]).toMatchObject({ class: '007', driver_opts: { '0x10': 'a', '1e3': 'b', '12': 'c' } });
  });
});

describe('YAML tags in a policy', () => {
  const base = (value: string) => `version: 1\nenvironments: [prod]\nclasses:\n  shared:\n    driver: local\n    driver_opts: { type: nfs, o: "addr=10.0.0.1,rw", device: ":/data" }\n    environments:\n      prod:\n        driver_opts: ${value}\n`;

  it("refuses a tag it gives no meaning to at its place, Compose's !reset and !override with how a policy takes a key away", () => {
    const cases: [string, string, number][] = [
      ['!reset {}', "invalid policy: the YAML tag !reset is not read in a policy (it is one of Compose's merge tags)", 22],
      ['!override { type: tmpfs }', "invalid policy: the YAML tag !override is not read in a policy (it is one of Compose's merge tags)", 22],
      ['{ o: !Ref server }', 'invalid policy: the YAML tag !Ref is not read in a policy', 27],
      ['{ o: !!binary aGk= }', 'invalid policy: the YAML tag !!binary is not read in a policy', 27],
      ['!!set { o }', 'invalid policy: the YAML tag !!set is not read in a policy', 22],
      ['!!omap [ { o: x } ]', 'invalid policy: the YAML tag !!omap is not read in a policy', 22],
    ];
    for (const [value, message, col] of cases) {
      expect(() => loadPolicyText(base(value), 'p.yml'), value).toThrow(expect.objectContaining({ message, location: { file: 'p.yml', line: 9, col } }));
    }
    expect(() => loadPolicyText(base('!reset {}'), 'p.yml')).toThrow(expect.objectContaining({ hint: expect.stringContaining('with null (driver_opts: { o: null })') }));
  });

  it("takes the core schema's own tags as what they say", () => {
    const policy = loadPolicyText(base('!!map { o: !!str 4.0, size: !!int 3, ro: !!bool true }'), 'p.yml');
    expect(resolveMapping(policy, 'shared', 'prod').mapping.driver_opts).toEqual({ type: 'nfs', o: '4.0', device: ':/data', size: 3, ro: true });
  });
});

describe('a brace group written as a placeholder that is none', () => {
  const policy = (value: string, where = 'driver_opts: { type: nfs, device: ":/data", o: VALUE }') =>
    `version: 1\nparameters: { nfs_server: 10.0.0.1 }\nenvironments:\n  prod: { parameters: { zone: a } }\nclasses:\n  shared:\n    driver: local\n    ${where.replace('VALUE', value)}\n`;

  it('is refused at its place with the name it probably meant, wherever placeholders are filled', () => {
    const cases: [string, string, string, number, number][] = [
      ['"addr={nfs-server},rw"', '{nfs-server}', '{nfs_server}', 8, 52],
      ['"addr={ nfs_server },rw"', '{ nfs_server }', '{nfs_server}', 8, 52],
      ['"{nfs.server}"', '{nfs.server}', '{nfs_server}', 8, 52],
      ['"{1st}"', '{1st}', '{_1st}', 8, 52],
    ];
    for (const [value, written, meant, line, col] of cases) {
      expect(() => loadPolicyText(policy(value), 'p.yml'), value).toThrow(
        expect.objectContaining({
          message: `invalid policy: ${written} is no placeholder: a placeholder's name is letters, digits and _, not a digit first, without spaces, so render would write ${written} into the value as it is`,
          hint: `write ${meant}, and give the parameter that name`,
          location: { file: 'p.yml', line, col },
        }),
      );
    }
    for (const where of ['labels: { site: VALUE }', 'name: VALUE', 'placement: [VALUE]', 'parameters: { path: VALUE }', 'environments: { prod: { labels: { a: VALUE } } }']) {
      expect(() => loadPolicyText(policy('"{zone-id}"', where), 'p.yml'), where).toThrow(expect.objectContaining({ message: expect.stringContaining('{zone-id} is no placeholder'), location: expect.objectContaining({ line: 8 }) }));
    }
    expect(() => loadPolicyText(policy('"{zone-id}"').replace('prod: { parameters: { zone: a } }', 'prod: { parameters: { zone: "{zone-id}" } }'), 'p.yml')).toThrow(expect.objectContaining({ location: expect.objectContaining({ line: 4 }) }));
  });

  it("leaves alone Docker's {{...}}, ${VAR} and braces around what is no name", () => {
    for (const value of ['"{{.Task.Slot}}-{volume}"', '"${NFS_OPTS:-{nfs_server}}"', '"{}"', "'{\"a\": 1}'", '"{a b}"', '"addr={nfs_server},rw"']) {
      expect(() => loadPolicyText(policy(value), 'p.yml'), value).not.toThrow();
    }
  });
});
