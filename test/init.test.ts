/** `compose-voldriver init`: classes into the stack, a starter policy beside it, and the policy rendering every environment. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/program.js';
import { starterPolicy } from '../src/index.js';
import { loadPolicyText } from '../src/policies/load.js';
import { testIO } from './helpers/io.js';

async function run(args: string[], cwd?: string) {
  const io = testIO({ cwd });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

function stackDir(fixture = 'fixtures/adoption/mastodon.yml'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cv-init-'));
  const file = join(dir, 'compose.yml');
  copyFileSync(fixture, file);
  return { dir, file };
}

describe('init', () => {
  it('prints the stack with a class and a reason on every volume, and leaves the file alone', async () => {
    const { file } = stackDir();
    const before = readFileSync(file, 'utf8');
    const result = await run(['init', '-f', file]);
    expect(result.code, result.err).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(parse(result.out).volumes).toEqual({
      postgres14: { 'x-voldriver': 'durable' },
      redis: { 'x-voldriver': 'durable' },
      'es-data': { 'x-voldriver': 'durable' },
      'public-system': { 'x-voldriver': 'shared' },
    });
    expect(result.out).toContain('  postgres14:\n    x-voldriver: durable  # postgres data\n');
    expect(result.out).toContain('  public-system:\n    x-voldriver: shared  # mounted by web, sidekiq\n');
    expect(result.err).toContain('4 classes written (built-in rules, classes of builtin:default)');
  });

  it('-i writes in place; --check fails before and passes after; a second run changes nothing', async () => {
    const { file } = stackDir();
    const check = await run(['init', '-f', file, '--check']);
    expect(check.code).toBe(1);
    expect(check.err).toContain('4 volumes without a class (postgres14, redis, es-data, public-system)');
    expect(check.out).toBe('');
    const written = await run(['init', '-f', file, '-i']);
    expect(written.code, written.err).toBe(0);
    expect(written.out).toBe('');
    const once = readFileSync(file, 'utf8');
    expect(once).toContain('x-voldriver: durable  # elasticsearch data');
    expect((await run(['init', '-f', file, '--check'])).code).toBe(0);
    const again = await run(['init', '-f', file, '-i']);
    expect(again.err).toContain('every volume has a class');
    expect(readFileSync(file, 'utf8')).toBe(once);
  });

  it('classifies by the policy beside the stack when it has rules', async () => {
    const { dir, file } = stackDir();
    writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\ndefault_class: keep\nclasses: { keep: { driver: local } }\n');
    const result = await run(['init', '-f', file]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('x-voldriver: keep  # no rule matched: default class');
    expect(result.err).toContain(`rules of ${join(dir, 'voldriver.yml')}`);
  });

  it('refuses what it cannot do, with exit 2 and one message', async () => {
    const { file } = stackDir();
    expect((await run(['init', '-f', file, '-f', file])).err).toMatch(/one compose file at a time/);
    expect((await run(['init', '-f', file, '-i', '--check'])).code).toBe(2);
    expect((await run(['init', '-f', file, '--platform', 'aws'])).err).toMatch(/--platform goes with --policy/);
    const bad = await run(['init', '-f', file, '--policy', '-', '--platform', 'aw']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown platform "aw".*did you mean "aws"/);
  });

  it('a volume it cannot edit is reported, and the rest is written', async () => {
    const { dir } = stackDir();
    const file = join(dir, 'anchored.yml');
    writeFileSync(file, 'services:\n  a:\n    image: a\n    volumes: [one:/a, two:/b]\nvolumes:\n  one: &v\n    labels: { a: b }\n  two:\n');
    const result = await run(['init', '-f', file, '-i']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/anchored\.yml:6:3: warning init-skipped: volume "one" is written with a YAML anchor/);
    expect(readFileSync(file, 'utf8')).toContain('  two:\n    x-voldriver: durable');
  });

  it('a volume written with an explicit key ("? name") is reported, not written into its key', async () => {
    const { dir } = stackDir();
    const file = join(dir, 'explicit.yml');
    writeFileSync(file, 'services:\n  a:\n    image: a\n    volumes: [one:/a, two:/b, three:/c]\nvolumes:\n  ? one\n  ? two\n  : {}\n  three:\n');
    const result = await run(['init', '-f', file, '-i']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/explicit\.yml:6:5: warning init-skipped: volume "one" is written with an explicit key/);
    expect(result.err).toMatch(/explicit\.yml:7:5: warning init-skipped: volume "two" is written with an explicit key/);
    const written = readFileSync(file, 'utf8');
    expect(written).toBe('services:\n  a:\n    image: a\n    volumes: [one:/a, two:/b, three:/c]\nvolumes:\n  ? one\n  ? two\n  : {}\n  three:\n    x-voldriver: durable  # no rule matched: default class\n');
  });
});

describe('init --policy', () => {
  const values = ['--set', 'zone=eu-west-1a', '--set', 'nfs_server=192.0.2.10', '--set', 'nfs_export=/srv/nfs', '--set', 'gluster_servers=g1,g2', '--set', 'gluster_volume=gv0'];

  it('refuses a class name no policy can define, instead of writing a policy that does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-init-name-'));
    const file = join(dir, 'compose.yml');
    writeFileSync(file, "services:\n  a:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: 'fast lane'\n");
    const result = await run(['init', '-f', file, '--policy', '--platform', 'aws']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('compose.yml asks for class "fast lane", which no policy can define');
    expect(existsSync(join(dir, 'voldriver.yml'))).toBe(false);
  });

  it('takes a platform named twice once: the policy loads, each environment once', async () => {
    const { dir, file } = stackDir();
    const result = await run(['init', '-f', file, '--policy', '--platform', 'aws,nfs,aws', '--platform', 'nfs']);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toContain('environments dev, aws, nfs;');
    expect(Object.keys(parse(readFileSync(join(dir, 'voldriver.yml'), 'utf8')).environments)).toEqual(['dev', 'aws', 'nfs']);
    const check = await run(['validate', '-f', file, '--all-environments', ...values.slice(0, 6)]);
    expect(check.code, check.err).toBe(0);
    expect(() => loadPolicyText(starterPolicy({ classes: ['durable'], platforms: ['aws', 'aws'], stack: 'compose.yml', schema: './voldriver.schema.json' }).text, 'voldriver.yml')).not.toThrow();
  });

  it('writes voldriver.yml and its schema beside the stack, never over an existing file without --force', async () => {
    const { dir, file } = stackDir();
    const result = await run(['init', '-f', file, '--policy', '--platform', 'aws,nfs']);
    expect(result.code, result.err).toBe(0);
    const policyFile = join(dir, 'voldriver.yml');
    const text = readFileSync(policyFile, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./voldriver.schema.json');
    expect(JSON.parse(readFileSync(join(dir, 'voldriver.schema.json'), 'utf8')).title).toMatch(/policy/);
    const policy = parse(text);
    expect(Object.keys(policy.environments)).toEqual(['dev', 'aws', 'nfs']);
    expect(Object.keys(policy.classes)).toEqual(['durable', 'shared']);
    expect(policy.classes.durable.environments.aws.driver).toBe('rexray/ebs');
    expect(result.err).toContain('aws: zone; nfs: nfs_server, nfs_export');

    writeFileSync(policyFile, '# mine\n');
    const refused = await run(['init', '-f', file, '--policy', '--platform', 'aws']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/voldriver\.yml exists; pass --force/);
    expect(readFileSync(policyFile, 'utf8')).toBe('# mine\n');
    expect((await run(['init', '-f', file, '--policy', '--platform', 'aws', '--force'])).code).toBe(0);
    expect(Object.keys(parse(readFileSync(policyFile, 'utf8')).environments)).toEqual(['dev', 'aws']);
  });

  it('--policy builtin:NAME is refused with the flags that do what it asks, and writes no file of that name', async () => {
    const { dir, file } = stackDir();
    for (const [name, hint] of [['builtin:aws', /--rules builtin:aws; .*--policy --platform aws$/m], ['builtin:nope', /--policy --platform aws,nfs,glusterfs,portworx$/m]] as const) {
      const result = await run(['init', '-f', file, '--policy', name], dir);
      expect(result.code).toBe(2);
      expect(result.err).toContain(`init --policy names the policy file to write; ${name} is how render names a built-in policy`);
      expect(result.err).toMatch(hint);
      expect(existsSync(join(dir, name))).toBe(false);
    }
  });

  it('--policy never writes the starter over a file the run reads, even with --force', async () => {
    const { dir, file } = stackDir();
    writeFileSync(join(dir, '.env'), 'TAG=1\n');
    writeFileSync(join(dir, 'vars.env'), 'TAG=2\n');
    writeFileSync(join(dir, 'compose.override.yml'), 'services: {}\n');
    const before = readFileSync(file, 'utf8');
    const at = (name: string) => join(dir, name);
    for (const [target, extra] of [[file, []], [at('.env'), []], [at('compose.override.yml'), []], [at('vars.env'), ['--env-file', at('vars.env')]]] as const) {
      const result = await run(['init', '-f', file, ...extra, '--policy', target, '--force'], dir);
      expect(result.code, target).toBe(2);
      expect(result.err).toContain(`--policy ${target} would write the starter policy over a file this run reads`);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('TAG=1\n');
    expect(readFileSync(join(dir, 'vars.env'), 'utf8')).toBe('TAG=2\n');
    expect(readFileSync(join(dir, 'compose.override.yml'), 'utf8')).toBe('services: {}\n');
    // The rules file is the policy being replaced: --force lets the starter take its place.
    writeFileSync(join(dir, 'rules.yml'), 'version: 1\ndefault_class: durable\nclasses:\n  durable:\n    driver: local\n');
    expect((await run(['init', '-f', file, '--rules', at('rules.yml'), '--policy', at('rules.yml'), '--force'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'rules.yml'), 'utf8')).toContain('environments:');
  });

  it('the starter for a multi-service stack validates in every environment once its site values are set', async () => {
    const { dir, file } = stackDir('fixtures/adoption/nextcloud.yml');
    expect((await run(['init', '-f', file, '-i'])).code).toBe(0);
    const written = await run(['init', '-f', file, '--policy', '--platform', 'aws,nfs,glusterfs,portworx']);
    expect(written.code, written.err).toBe(0);
    const environments = Object.keys(parse(readFileSync(join(dir, 'voldriver.yml'), 'utf8')).environments);
    expect(environments).toEqual(['dev', 'aws', 'nfs', 'glusterfs', 'portworx']);
    const all = await run(['validate', '-f', file, '--all-environments', ...values]);
    expect(all.code, all.err).toBe(0);
    for (const env of environments) {
      const rendered = await run(['render', '-f', file, '--env', env, ...values]);
      expect(rendered.code, `${env}: ${rendered.err}`).toBe(0);
      const driver = parse(rendered.out).volumes.db.driver;
      expect(driver, env).toBe({ dev: 'local', aws: 'rexray/ebs', nfs: 'local', glusterfs: 'glusterfs', portworx: 'pxd' }[env]);
    }
    // Without the site values, an environment that needs one says which.
    const missing = await run(['validate', '-f', file, '--all-environments']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/needs a value for \{zone\}/);
    expect(missing.err).toMatch(/needs a value for \{nfs_server\}/);
    // Uncommenting the parameters of each environment sets them too.
    const policyFile = join(dir, 'voldriver.yml');
    writeFileSync(policyFile, readFileSync(policyFile, 'utf8').replace(/^ {4}# parameters:$/gm, '    parameters:').replace(/^ {4}# {3}(\w+: )/gm, '      $1'));
    const uncommented = await run(['validate', '-f', file, '--all-environments']);
    expect(uncommented.code, uncommented.err).toBe(0);
  });

  it('--policy - prints the starter; dev alone without --platform', async () => {
    const { dir, file } = stackDir();
    const result = await run(['init', '-f', file, '--policy', '-']);
    expect(result.code, result.err).toBe(0);
    expect(Object.keys(parse(result.out).environments)).toEqual(['dev']);
    expect(existsSync(join(dir, 'voldriver.yml'))).toBe(false);
  });
});

describe('init -f compose.yml beside compose.override.yml', () => {
  const stack = (override: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-init-override-'));
    writeFileSync(
      join(dir, 'compose.yml'),
      'services:\n  db:\n    image: postgres:16\n    volumes: [pgdata:/d, logs:/l]\n  web:\n    image: nginx\n    volumes: [media:/m]\nvolumes:\n  pgdata:\n  logs:\n  media:\n',
    );
    writeFileSync(join(dir, 'compose.override.yml'), override);
    return dir;
  };

  it('leaves a volume the override gives a driver, a class or external, as docker compose merges it over the file', async () => {
    const dir = stack(
      'volumes:\n  pgdata:\n    driver: local\n    driver_opts: { type: nfs, o: "addr=10.0.0.5,rw", device: ":/srv/pg" }\n  logs:\n    x-voldriver: fast\n',
    );
    const result = await run(['init', '-f', join(dir, 'compose.yml')]);
    expect(result.code, result.err).toBe(0);
    const volumes = parse(result.out).volumes;
    expect(volumes.pgdata).toBeNull();
    expect(volumes.logs).toBeNull();
    expect(volumes.media).toEqual({ 'x-voldriver': 'durable' });
  });

  it("counts the override's services for the rules", async () => {
    const dir = stack('services:\n  worker:\n    image: example/worker\n    volumes: [media:/m]\n');
    const result = await run(['init', '-f', join(dir, 'compose.yml')]);
    expect(result.code, result.err).toBe(0);
    expect(parse(result.out).volumes.media).toEqual({ 'x-voldriver': 'shared' });
  });
});
