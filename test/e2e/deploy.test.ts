/**
 * `compose-voldriver deploy` against a real engine: a private dockerd, a one-node Swarm and the test volume plugin.
 * The built CLI is run as users run it. In CI an engine that cannot be started is a failure; elsewhere the tests
 * are skipped with the reason.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, type TestContext } from 'vitest';
import { resolveEndpoint } from '../../src/deploy/connection.js';
import { connectEngine } from '../../src/deploy/engine.js';
import { waitForStack } from '../../src/deploy/wait.js';
import { engineUnavailable, IMAGE, PrivateEngine, run, type RunResult } from './engine.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'compose-voldriver.cjs');
const unavailable = engineUnavailable();
/**
 * Stack names of this run: dockerd finds every plugin socket in /run/docker/plugins, so another run's plugin (one
 * more checkout testing at the same time) lists its volumes to this engine too; names of our own keep them apart.
 */
const RUN = process.pid.toString(36);
const S1 = `a${RUN}`;
const S2 = `b${RUN}`;
const S3 = `c${RUN}`;
const S4 = `d${RUN}`;
const S5 = `e${RUN}`;
const S6 = `f${RUN}`;
const S7 = `g${RUN}`;
const S8 = `h${RUN}`;
const S9 = `i${RUN}`;
const S10 = `j${RUN}`;
const S11 = `k${RUN}`;
const S12 = `l${RUN}`;
const S13 = `m${RUN}`;
const S14 = `n${RUN}`;
const S15 = `o${RUN}`;
const S16 = `p${RUN}`;
const S17 = `q${RUN}`;
const S18 = `r${RUN}`;
const S19 = `s${RUN}`;
const S20 = `t${RUN}`;
const started = Date.now();

if (unavailable && process.env.CI) {
  test('a Docker engine for the end-to-end tests', () => {
    throw new Error(`CI must be able to start a private dockerd: ${unavailable}`);
  });
}

let engine: PrivateEngine | undefined;
let startFailure: string | undefined;
let work: string;

function needEngine(ctx: TestContext): PrivateEngine {
  if (engine) return engine;
  if (process.env.CI) throw new Error(`no engine: ${startFailure}`);
  ctx.skip(`no engine: ${startFailure}`);
  throw new Error('unreachable');
}

function policy(driver: string, size = '5'): string {
  return `version: 1
default_class: fast
classes:
  fast:
    driver: ${driver}
    driver_opts: { mode: fast, size: "{size}" }
    parameters: { size: "${size}" }
`;
}

const STACK = `services:
  app:
    image: local/busybox:\${TAG}
    init: true
    stop_grace_period: 1s
    command: ["sh", "-c", "echo start >> /data/log; exec sleep 100000"]
    volumes:
      - data:/data
volumes:
  data: {}
`;

/** A project folder: stack.yml, voldriver.yml, and a .env the image tag comes from. */
function project(name: string, stack: string, policyText: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stack.yml'), stack);
  writeFileSync(join(dir, 'voldriver.yml'), policyText);
  writeFileSync(join(dir, '.env'), 'TAG=1\n');
  return dir;
}

function cv(e: PrivateEngine, args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], { cwd, env: e.env({ XDG_CACHE_HOME: join(work, 'cache'), NO_COLOR: '1', ...env }) });
}

async function json(e: PrivateEngine, args: string[]): Promise<unknown> {
  const result = await e.dockerCli(args);
  if (result.code !== 0) {
    const calls = e.plugin.calls.slice(-12).map((call) => `${call.endpoint} ${JSON.stringify(call.body)}`);
    throw new Error(`docker ${args.join(' ')} exited ${result.code}: ${result.stderr}\nlast plugin calls:\n${calls.join('\n')}`);
  }
  return JSON.parse(result.stdout);
}

async function serviceSpec(e: PrivateEngine, name: string): Promise<{ Version: { Index: number }; Spec: { TaskTemplate: { ContainerSpec: { Mounts: unknown[] } } } }> {
  const [service] = (await json(e, ['service', 'inspect', name])) as { Version: { Index: number }; Spec: { TaskTemplate: { ContainerSpec: { Mounts: unknown[] } } } }[];
  return service;
}

async function engineState(e: PrivateEngine): Promise<string> {
  const services = await e.must(['service', 'ls', '--format', '{{.Name}} {{.Image}} {{.Replicas}}']);
  // Volumes stacks created on this engine (another run's plugin lists its own volumes here too).
  const volumes = await e.must(['volume', 'ls', '--filter', 'label=com.docker.stack.namespace', '--format', '{{.Driver}} {{.Name}}']);
  const stacks = await e.must(['stack', 'ls', '--format', '{{.Name}} {{.Services}}']);
  const others = [];
  for (const kind of ['network', 'secret', 'config']) {
    others.push(await e.must([kind, 'ls', '--filter', 'label=com.docker.stack.namespace', '--format', '{{.Name}}']));
  }
  return `${services}\n${volumes}\n${stacks}\n${others.join('\n')}`;
}

async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(unavailable !== undefined)(`deploy on a real engine${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cv-deploy-'));
    const candidate = new PrivateEngine();
    try {
      await candidate.start();
      engine = candidate;
    } catch (error) {
      startFailure = (error as Error).message;
      await candidate.stop().catch(() => undefined);
      if (process.env.CI) throw error;
    }
    // Another run on this machine may hold the engine lock for a while.
  }, 330_000);

  afterAll(async () => {
    await engine?.stop();
    rmSync(work, { recursive: true, force: true });
    console.log(`deploy end-to-end tests: ${((Date.now() - started) / 1000).toFixed(1)} s including engine start and teardown`);
  }, 120_000);

  let dir: string;

  test('deploy --wait: the engine creates <stack>_<volume> with the plugin driver and exactly the policy options', async (ctx) => {
    const e = needEngine(ctx);
    dir = project(S1, STACK, policy(e.plugin.name));
    const result = await cv(e, ['deploy', S1, '-f', 'stack.yml', '--wait', '--timeout', '90s', '--resolve-image', 'never'], dir);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('preflight: ok');
    expect(result.stdout).toContain(`${S1}_app: 1/1 running, done`);
    expect(result.stdout).toContain(`converged: every service of stack ${S1} is running`);

    const [volume] = (await json(e, ['volume', 'inspect', `${S1}_data`])) as { Driver: string; Options: Record<string, string>; Labels: Record<string, string> }[];
    expect(volume.Driver).toBe(e.plugin.name);
    expect(volume.Options).toStrictEqual({ mode: 'fast', size: '5' });
    expect(volume.Labels['com.docker.stack.namespace']).toBe(S1);
    expect(e.plugin.callsTo('VolumeDriver.Create')).toContainEqual({ Name: `${S1}_data`, Opts: { mode: 'fast', size: '5' } });
    // .env was read by the render: docker stack deploy reads none.
    expect((await serviceSpec(e, `${S1}_app`)).Spec.TaskTemplate.ContainerSpec).toMatchObject({ Image: IMAGE });

    const log = join(e.plugin.pathOf(`${S1}_data`), 'log');
    await until('the service to write its file', () => (existsSync(log) && readFileSync(log, 'utf8').includes('start') ? true : undefined));
  }, 120_000);

  test('deploy -f from another folder: bind mounts and env_file are read from the project folder, as for the file itself', async (ctx) => {
    const e = needEngine(ctx);
    const stack = STACK.replace('    volumes:\n', '    env_file: [app.env]\n    volumes:\n      - ./conf:/conf:ro\n');
    const folder = project(S4, stack, policy(e.plugin.name));
    mkdirSync(join(folder, 'conf'));
    writeFileSync(join(folder, 'app.env'), 'FROM_ENV_FILE=yes\n');
    const result = await cv(e, ['deploy', S4, '-f', `${S4}/stack.yml`, '--detach', '--resolve-image', 'never'], work);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const spec = (await serviceSpec(e, `${S4}_app`)).Spec.TaskTemplate.ContainerSpec as unknown as { Mounts: { Type: string; Source: string; Target: string }[]; Env?: string[] };
    expect(spec.Mounts).toContainEqual(expect.objectContaining({ Type: 'bind', Source: join(folder, 'conf'), Target: '/conf' }));
    expect(spec.Env).toContain('FROM_ENV_FILE=yes');
    const removed = await e.dockerCli(['stack', 'rm', S4]);
    expect(removed.code, removed.stderr).toBe(0);
  }, 120_000);

  test('a redeploy with the same policy keeps the volume and its data', async (ctx) => {
    const e = needEngine(ctx);
    const log = join(e.plugin.pathOf(`${S1}_data`), 'log');
    const before = readFileSync(log, 'utf8');
    // Counted for this volume only: a task of another test's stack that restarts asks the plugin again for its own.
    const createsOf = (name: string) => e.plugin.callsTo('VolumeDriver.Create').filter((call) => call.Name === name).length;
    const creates = createsOf(`${S1}_data`);
    const result = await cv(e, ['deploy', S1, '-f', 'stack.yml', '--wait', '--timeout', '90s', '--monitor', '1s', '--resolve-image', 'never'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`data\\s+${S1}_data\\s+\\S+\\s+mode=fast,size=5\\s+unchanged`));
    expect(readFileSync(log, 'utf8').startsWith(before)).toBe(true);
    expect(createsOf(`${S1}_data`)).toBe(creates);
  }, 120_000);

  test('a redeploy whose policy changes the options is refused, old and new shown; stack, spec and data untouched', async (ctx) => {
    const e = needEngine(ctx);
    const specBefore = await serviceSpec(e, `${S1}_app`);
    const log = join(e.plugin.pathOf(`${S1}_data`), 'log');
    const dataBefore = readFileSync(log, 'utf8');
    const result = await cv(e, ['deploy', S1, '-f', 'stack.yml', '--wait', '--set', 'size=10', '--resolve-image', 'never'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain(`error [volume-drift] stack.yml:10:3: volume "data" (${S1}_data) would change its options`);
    expect(result.stdout).toMatch(/option\s+running\s+new\n\s+size\s+"5"\s+"10"/);
    expect(result.stdout).toContain('refused: nothing deployed');
    expect(result.stdout).toMatch(/fix: keep the old options, or give the volume a new name/);
    const specAfter = await serviceSpec(e, `${S1}_app`);
    expect(specAfter.Version.Index).toBe(specBefore.Version.Index);
    expect(specAfter.Spec).toStrictEqual(specBefore.Spec);
    expect(readFileSync(log, 'utf8')).toBe(dataBefore);
  }, 120_000);

  test('--dry-run judges a drift as a deploy would, and changes nothing', async (ctx) => {
    const e = needEngine(ctx);
    const before = await engineState(e);
    const calls = e.plugin.calls.length;
    const result = await cv(e, ['deploy', S1, '-f', 'stack.yml', '--dry-run', '--set', 'size=10'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`data\\s+${S1}_data\\s+\\S+\\s+mode=fast,size=10\\s+drift`));
    expect(await engineState(e)).toBe(before);
    expect(e.plugin.calls.slice(calls).filter((c) => c.endpoint === 'VolumeDriver.Create' || c.endpoint === 'VolumeDriver.Remove')).toEqual([]);
  }, 60_000);

  test('--allow-drift deploys anyway and says what Docker does: the existing volume keeps its options', async (ctx) => {
    const e = needEngine(ctx);
    const result = await cv(e, ['deploy', S1, '-f', 'stack.yml', '--wait', '--timeout', '90s', '--monitor', '1s', '--set', 'size=10', '--allow-drift', '--resolve-image', 'never'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('warning [volume-drift]');
    expect(result.stdout).toContain(`deploying anyway (--allow-drift): Docker keeps the existing volume "${S1}_data" with its old options`);
    const [volume] = (await json(e, ['volume', 'inspect', `${S1}_data`])) as { Options: Record<string, string> }[];
    expect(volume.Options).toStrictEqual({ mode: 'fast', size: '5' });
    const spec = await serviceSpec(e, `${S1}_app`);
    expect(spec.Spec.TaskTemplate.ContainerSpec.Mounts).toMatchObject([{ Source: `${S1}_data`, VolumeOptions: { DriverConfig: { Options: { mode: 'fast', size: '10' } } } }]);
    expect(readFileSync(join(e.plugin.pathOf(`${S1}_data`), 'log'), 'utf8')).toMatch(/^start\n/);
  }, 120_000);

  test('a stack needing a driver no node has is refused before anything is deployed, naming the driver', async (ctx) => {
    const e = needEngine(ctx);
    const before = await engineState(e);
    const project2 = project(S2, STACK, policy('nosuchdriver'));
    const result = await cv(e, ['deploy', S2, '-f', 'stack.yml', '--wait'], project2);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain(`error [driver-missing] stack.yml:10:3: no node has volume driver "nosuchdriver" for volume "data" (${S2}_data)`);
    expect(result.stdout).toContain('refused: nothing deployed');
    expect(await engineState(e)).toBe(before);
  }, 60_000);

  test('a missing external volume is refused', async (ctx) => {
    const e = needEngine(ctx);
    const before = await engineState(e);
    const stack = STACK.replace('  data: {}', `  data:\n    external: true\n    name: ${S5}-archive`);
    const result = await cv(e, ['deploy', S5, '-f', 'stack.yml', '--wait'], project(S5, stack, policy(e.plugin.name)));
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`error \\[external-volume-missing\\] stack\\.yml:10:3: external volume "${S5}-archive" \\(volume "data"\\) does not exist on this engine \\(node \\S+\\), the only node its services can run on`),
    );
    // Confirmed to exist on other nodes: a one-node Swarm has none, so the engine can tell, and it stays refused.
    const confirmed = await cv(e, ['deploy', S5, '-f', 'stack.yml', '--wait', '--confirm-external', 'data'], join(work, S5));
    expect(confirmed.code, confirmed.stdout + confirmed.stderr).toBe(1);
    expect(confirmed.stdout).toContain('error [external-volume-missing]');
    expect(await engineState(e)).toBe(before);
    // An external secret docker would look for only after creating the stack's network.
    const secret = STACK.replace('    volumes:\n      - data:/data\n', '    secrets: [token]\n').replace('volumes:\n  data: {}\n', `secrets:\n  token:\n    external: true\n    name: ${S5}-token\n`);
    const missing = await cv(e, ['deploy', S5, '-f', 'stack.yml', '--wait'], project(S5, secret, policy(e.plugin.name)));
    expect(missing.code, missing.stdout + missing.stderr).toBe(1);
    expect(missing.stdout).toContain(`error [external-secret-missing] stack.yml:9:3: external secret "${S5}-token" (secret "token") does not exist in the Swarm`);
    expect(await engineState(e)).toBe(before);
  }, 60_000);

  test('a plugin that refuses Create makes deploy --wait fail with its message, exit 1, within seconds', async (ctx) => {
    const e = needEngine(ctx);
    e.plugin.refuseCreate = 'backend refused: quota of 0 volumes reached';
    try {
      const result = await cv(e, ['deploy', S3, '-f', 'stack.yml', '--wait', '--timeout', '2m', '--resolve-image', 'never', '--format', 'json'], project(S3, STACK, policy(e.plugin.name)));
      expect(result.code, result.stdout + result.stderr).toBe(1);
      const report = JSON.parse(result.stdout) as { outcome: string; wait: { elapsedMs: number; failure: { volume: string; explanation: string; error: string } } };
      expect(report.outcome).toBe('failed');
      expect(report.wait.failure.volume).toBe(`${S3}_data`);
      expect(report.wait.failure.error).toContain('backend refused: quota of 0 volumes reached');
      expect(report.wait.failure.explanation).toContain(`volume driver "${e.plugin.name}" refused to create volume "${S3}_data"`);
      expect(report.wait.elapsedMs).toBeLessThan(20_000);
    } finally {
      // Swarm keeps retrying the task: remove the stack so nothing changes behind the next tests.
      await e.removeStack(S3);
      e.plugin.refuseCreate = undefined;
    }
  }, 120_000);

  test('the wait fails within seconds on the task Swarm leaves pending for a missing volume plugin, naming driver, volume and service', async (ctx) => {
    const e = needEngine(ctx);
    // The preflight refuses such a stack before deploying: here the service reaches Swarm another way (as it does
    // when a node loses its plugin), and the wait is judged on the engine's own task states.
    const created = await e.dockerCli([
      'service', 'create', '--detach', '--name', `${S7}_app`, '--label', `com.docker.stack.namespace=${S7}`,
      '--mount', `type=volume,source=${S7}_data,target=/data,volume-driver=nosuchdriver`, IMAGE, 'sleep', '100000',
    ]);
    expect(created.code, created.stderr).toBe(0);
    try {
      const live = await connectEngine(resolveEndpoint({ env: { DOCKER_HOST: e.host }, home: work, readFile: () => undefined }), {});
      const result = await waitForStack(live, { stack: S7, services: ['app'], before: { services: [], taskIds: new Set() }, timeoutMs: 120_000 });
      expect(result.outcome).toBe('failed');
      expect(result.failure).toMatchObject({ service: `${S7}_app`, volume: `${S7}_data`, driver: 'nosuchdriver', taskState: 'pending' });
      expect(result.failure?.error).toMatch(/missing plugin/);
      expect(result.failure?.explanation).toContain(`no node has volume driver "nosuchdriver" for volume "${S7}_data", mounted by service ${S7}_app: its task stays pending`);
      expect(result.elapsedMs).toBeLessThan(20_000);
    } finally {
      await e.removeStack(S7);
    }
  }, 60_000);

  test('a single-writer or single-attach volume mounted read-write by 2 replicas is refused: no service, no volume created', async (ctx) => {
    const e = needEngine(ctx);
    const replicated = STACK.replace('    volumes:\n      - data:/data', '    deploy:\n      replicas: 2\n    volumes:\n      - data:/data');
    const cases = [
      // A class that promises one writer.
      { stack: S8, code: 'single-writer', policy: policy(e.plugin.name).replace('  fast:\n', '  fast:\n    access: single\n') },
      // A driver the policy describes as attaching to one node at a time.
      { stack: S9, code: 'single-attach-replicated', policy: `${policy(e.plugin.name)}drivers:\n  - name: ${e.plugin.name}\n    scope: global\n    attach: single\n` },
    ];
    for (const c of cases) {
      const before = await engineState(e);
      const creates = e.plugin.callsTo('VolumeDriver.Create').filter((call) => call.Name === `${c.stack}_data`).length;
      const result = await cv(e, ['deploy', c.stack, '-f', 'stack.yml', '--wait', '--timeout', '30s', '--resolve-image', 'never'], project(c.stack, replicated, c.policy));
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`error \\[${c.code}\\] stack\\.yml:\\d+:\\d+: .*service "app".*2 replicas`));
      expect(result.stdout).toContain('refused: nothing deployed');
      expect(await engineState(e)).toBe(before);
      expect(await e.must(['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${c.stack}`])).toBe('');
      expect((await e.must(['volume', 'ls', '-q'])).split('\n')).not.toContain(`${c.stack}_data`);
      expect(e.plugin.callsTo('VolumeDriver.Create').filter((call) => call.Name === `${c.stack}_data`).length).toBe(creates);
    }
  }, 60_000);

  test('a refused deploy changes nothing: docker stopping half-way is undone, names and arguments docker would refuse are refused first', async (ctx) => {
    const e = needEngine(ctx);
    // The network and the secret, and service "a" (with its volume) when docker takes it first, are created before
    // Swarm refuses "b": a port published through the routing mesh with DNS round-robin.
    const halfway = `services:
  a:
    image: local/busybox:1
    command: ["sleep", "100000"]
    secrets: [token]
    volumes:
      - data:/data
  b:
    image: local/busybox:1
    command: ["sleep", "100000"]
    ports: ["18080:80"]
    deploy:
      endpoint_mode: dnsrr
volumes:
  data: {}
secrets:
  token:
    file: ./token.txt
`;
    const folder = project(S10, halfway, policy(e.plugin.name));
    writeFileSync(join(folder, 'token.txt'), 'secret\n');
    const before = await engineState(e);
    const failed = await cv(e, ['deploy', S10, '-f', 'stack.yml', '--wait', '--resolve-image', 'never'], folder);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stderr).toContain(`failed to create service ${S10}_b`);
    // docker creates the services in no set order: "a" is there to remove only when it came first.
    const aFirst = failed.stdout.includes(`Creating service ${S10}_a`);
    expect(failed.stdout).toContain(
      `failed: docker stack deploy exited with code 1; removed what it had created: ${aFirst ? `service ${S10}_a, ` : ''}network ${S10}_default, secret ${S10}_token`,
    );
    expect(await engineState(e)).toBe(before);
    expect((await e.must(['volume', 'ls', '-q'])).split('\n')).not.toContain(`${S10}_data`);

    // A stack that runs: docker updates "a" (when it takes it first), then stops at "b"; "a" is named, not undone.
    const justA = halfway.replace(/  b:\n[\s\S]*?(?=volumes:)/, '');
    writeFileSync(join(folder, 'stack.yml'), justA);
    const up = await cv(e, ['deploy', S10, '-f', 'stack.yml', '--detach', '--resolve-image', 'never'], folder);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    writeFileSync(join(folder, 'stack.yml'), halfway.replace('command: ["sleep", "100000"]', 'command: ["sleep", "200000"]'));
    const update = await cv(e, ['deploy', S10, '-f', 'stack.yml', '--detach', '--resolve-image', 'never'], folder);
    expect(update.code, update.stdout + update.stderr).toBe(1);
    const aUpdated = update.stdout.includes(`Updating service ${S10}_a`);
    expect(update.stdout).toContain(
      aUpdated ? `updated before it stopped, and left so: service ${S10}_a (docker service rollback NAME` : 'the engine was left as it was',
    );
    // With --prune docker first removes the services the file no longer has, then stops at "b": "a" is named.
    writeFileSync(join(folder, 'stack.yml'), halfway.replace(/  a:\n[\s\S]*?(?=  b:)/, ''));
    const pruned = await cv(e, ['deploy', S10, '-f', 'stack.yml', '--detach', '--prune', '--resolve-image', 'never'], folder);
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(1);
    expect(pruned.stdout).toContain(`warning [service-pruned] --prune removes service ${S10}_a: it runs in stack ${S10}, and the stack file no longer has it; the volumes it mounts stay (${S10}_data)`);
    expect(pruned.stdout).toContain(`removed before it stopped, and not brought back: service ${S10}_a (--prune`);
    await e.removeStack(S10);
    await e.must(['volume', 'rm', `${S10}_data`]);
    writeFileSync(join(folder, 'stack.yml'), halfway);

    for (const [stack, args, message] of [
      [`${S10}.x`, [], 'is not a valid stack name'],
      [`${S10}${'x'.repeat(60)}`, [], 'in the engine ('],
      [S10, ['--', '-c', 'stack.yml'], 'would add a compose file that is neither rendered nor checked'],
    ] as [string, string[], string][]) {
      const result = await cv(e, ['deploy', stack, '-f', 'stack.yml', '--resolve-image', 'never', ...args], folder);
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(await engineState(e)).toBe(before);
    }
  }, 120_000);

  test('SIGINT while docker stack deploy runs: docker stops, what it created is removed, exit 130', async (ctx) => {
    const e = needEngine(ctx);
    // Enough services that docker is still creating them when the first line comes.
    const services = Array.from({ length: 20 }, (_, i) => `  s${i}:\n    image: local/busybox:1\n    command: ["sleep", "100000"]\n    secrets: [token]\n    networks: [back]\n${i === 0 ? '    volumes:\n      - data:/data\n' : ''}`);
    const stack = `services:\n${services.join('')}volumes:\n  data: {}\nsecrets:\n  token:\n    file: ./token.txt\nnetworks:\n  back: {}\n`;
    const folder = project(S18, stack, policy(e.plugin.name));
    writeFileSync(join(folder, 'token.txt'), 'secret\n');
    const before = await engineState(e);
    const child = spawn(process.execPath, [CLI, 'deploy', S18, '-f', 'stack.yml', '--wait', '--resolve-image', 'never'], {
      cwd: folder,
      env: e.env({ XDG_CACHE_HOME: join(work, 'cache'), NO_COLOR: '1' }),
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (!out.includes('Creating service') && (out + text).includes('Creating service')) child.kill('SIGINT');
      out += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (out += text));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
    expect(code, out).toBe(130);
    // docker prints "Creating service" as it asks: whether the engine had made that service when the signal came
    // depends on the machine's load. What must hold is that everything it had made is named and removed.
    expect(out).toMatch(new RegExp(`interrupted by SIGINT while docker stack deploy ran; removed what it had created: (service|network|secret|config) ${S18}_`));
    expect(out).not.toContain('could not remove');
    expect(await engineState(e)).toBe(before);
    expect((await e.must(['volume', 'ls', '-q'])).split('\n')).not.toContain(`${S18}_data`);
  }, 90_000);

  test('a credential the engine quotes back in a task error is never printed: not in the progress lines, not in the outcome', async (ctx) => {
    const e = needEngine(ctx);
    // The local driver's mount error quotes the mount options, password and all.
    const share = `version: 1
default_class: share
classes:
  share:
    driver: local
    driver_opts: { type: cifs, device: "//127.0.0.1/share", o: "username=bob,password=pw-${RUN}-secret" }
`;
    const folder = project(S19, STACK, share);
    try {
      const result = await cv(e, ['deploy', S19, '-f', 'stack.yml', '--wait', '--timeout', '60s', '--resolve-image', 'never'], folder);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`${S19}_app: failed: .*password=\\*\\*\\*`));
      expect(result.stdout).toMatch(/\nfailed: .*password=\*\*\*/);
      expect(result.stdout + result.stderr).not.toContain(`pw-${RUN}-secret`);
    } finally {
      await e.removeStack(S19);
      await e.dockerCli(['volume', 'rm', `${S19}_data`]);
    }
  }, 90_000);

  test('a volume whose labels would change, or whose data sits under its old name, is refused; the stack and its data stay', async (ctx) => {
    const e = needEngine(ctx);
    // A $ in a label is written $$ for Compose's interpolation, and reaches the engine as one $.
    const labelled = (backup: string, name = '') => `${policy(e.plugin.name)}    labels: { backup: ${backup}, cost: "$$5" }\n${name}`;
    const folder = project(S11, STACK, labelled('daily'));
    const first = await cv(e, ['deploy', S11, '-f', 'stack.yml', '--wait', '--timeout', '90s', '--monitor', '1s', '--resolve-image', 'never'], folder);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const log = join(e.plugin.pathOf(`${S11}_data`), 'log');
    await until('the service to write its file', () => (existsSync(log) ? true : undefined));
    const [created] = (await json(e, ['volume', 'inspect', `${S11}_data`])) as { Labels: Record<string, string> }[];
    expect(created.Labels).toMatchObject({ backup: 'daily', cost: '$5' });
    const again = await cv(e, ['deploy', S11, '-f', 'stack.yml', '--dry-run'], folder);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/data\s+\S+_data\s+\S+\s+\S+\s+unchanged/);
    const specBefore = await serviceSpec(e, `${S11}_app`);
    const before = await engineState(e);

    // Labels: Docker keeps the existing volume's, so a backup tool reading them would never see "hourly".
    writeFileSync(join(folder, 'voldriver.yml'), labelled('hourly'));
    const relabelled = await cv(e, ['deploy', S11, '-f', 'stack.yml', '--wait', '--resolve-image', 'never'], folder);
    expect(relabelled.code, relabelled.stdout + relabelled.stderr).toBe(1);
    expect(relabelled.stdout).toContain(`error [volume-drift] stack.yml:10:3: volume "data" (${S11}_data) would change its labels, which Docker never applies to an existing volume`);
    expect(relabelled.stdout).toMatch(/label\s+running\s+new\n\s+backup\s+"daily"\s+"hourly"/);
    expect(relabelled.stdout).toContain('refused: nothing deployed');

    // A name: added by the policy: the running service mounts the old volume at the same place.
    writeFileSync(join(folder, 'voldriver.yml'), labelled('daily', '    name: "{volume}-v2"\n'));
    const renamed = await cv(e, ['deploy', S11, '-f', 'stack.yml', '--wait', '--resolve-image', 'never'], folder);
    expect(renamed.code, renamed.stdout + renamed.stderr).toBe(1);
    expect(renamed.stdout).toContain(
      `error [volume-renamed] stack.yml:10:3: volume "data" would be the new, empty volume "data-v2", while its data is in "${S11}_data" (mounted at /data by service ${S11}_app)`,
    );
    expect(await engineState(e)).toBe(before);
    expect((await serviceSpec(e, `${S11}_app`)).Version.Index).toBe(specBefore.Version.Index);

    // The stack removed (its volume stays): the old volume still holds the data.
    await e.removeStack(S11);
    const afterRemoval = await cv(e, ['deploy', S11, '-f', 'stack.yml', '--dry-run'], folder);
    expect(afterRemoval.code, afterRemoval.stdout + afterRemoval.stderr).toBe(1);
    expect(afterRemoval.stdout).toContain(`while its data is in "${S11}_data" (exists on this engine, the stack's own name for it)`);
    expect(readFileSync(log, 'utf8')).toMatch(/^start\n/);
  }, 120_000);

  test('a volume whose name another stack\'s volume has is refused: no service, no volume of the second stack', async (ctx) => {
    const e = needEngine(ctx);
    const shared = `${policy(e.plugin.name)}    name: "${S12}-{volume}"\n`;
    const first = await cv(e, ['deploy', S12, '-f', 'stack.yml', '--wait', '--timeout', '90s', '--monitor', '1s', '--resolve-image', 'never'], project(S12, STACK, shared));
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const before = await engineState(e);
    const second = await cv(e, ['deploy', S13, '-f', 'stack.yml', '--wait', '--resolve-image', 'never'], project(S13, STACK, shared));
    expect(second.code, second.stdout + second.stderr).toBe(1);
    expect(second.stdout).toContain(
      `error [volume-of-another-stack] stack.yml:10:3: volume "data" is named "${S12}-data" in the engine, and that volume belongs to stack ${S12} (volume on this engine), stack ${S12} (service ${S12}_app)`,
    );
    expect(second.stdout).toContain('refused: nothing deployed');
    expect(await engineState(e)).toBe(before);
    // Shared on purpose: external.
    const external = STACK.replace('  data: {}', `  data:\n    external: true\n    name: ${S12}-data`);
    const onPurpose = await cv(e, ['deploy', S13, '-f', 'stack.yml', '--dry-run'], project(S13, external, shared));
    expect(onPurpose.code, onPurpose.stdout + onPurpose.stderr).toBe(0);
    await e.removeStack(S12);
  }, 120_000);

  test('a managed volume plugin installed but disabled is named with how to enable it, written with or without :latest', async (ctx) => {
    const e = needEngine(ctx);
    const plugin = `cvoff${RUN}`;
    const source = join(work, 'managed-plugin');
    mkdirSync(join(source, 'rootfs'), { recursive: true });
    writeFileSync(
      join(source, 'config.json'),
      JSON.stringify({
        description: 'test volume plugin, never enabled',
        documentation: 'https://example.invalid',
        entrypoint: ['/bin/true'],
        interface: { types: ['docker.volumedriver/1.0'], socket: 'p.sock' },
        network: { type: 'host' },
      }),
    );
    await e.must(['plugin', 'create', plugin, source]);
    try {
      const before = await engineState(e);
      for (const driver of [plugin, `${plugin}:latest`]) {
        const result = await cv(e, ['deploy', S14, '-f', 'stack.yml', '--wait', '--resolve-image', 'never'], project(S14, STACK, policy(driver)));
        expect(result.code, result.stdout + result.stderr).toBe(1);
        expect(result.stdout).toContain(`error [driver-missing] stack.yml:10:3: no node has volume driver "${driver}" for volume "data" (${S14}_data)`);
        expect(result.stdout).toContain(`the plugin "${plugin}:latest" is installed on this node but disabled`);
        expect(result.stdout).toContain(`fix: enable it: docker plugin enable ${plugin}:latest`);
        expect(await engineState(e)).toBe(before);
      }
    } finally {
      await e.dockerCli(['plugin', 'rm', '--force', plugin]);
    }
  }, 60_000);

  test('--wait: a service scaled to 0 is skipped and a global one counted; an image the engine lacks fails at once, naming it', async (ctx) => {
    const e = needEngine(ctx);
    const modes = `services:
  idle:
    image: local/busybox:1
    command: ["sleep", "100000"]
    deploy: { replicas: 0 }
  agent:
    image: local/busybox:1
    init: true
    stop_grace_period: 1s
    command: ["sleep", "100000"]
    deploy: { mode: global }
`;
    const converged = await cv(e, ['deploy', S15, '-f', 'stack.yml', '--wait', '--timeout', '60s', '--monitor', '1s', '--resolve-image', 'never'], project(S15, modes, policy(e.plugin.name)));
    expect(converged.code, converged.stdout + converged.stderr).toBe(0);
    expect(converged.stdout).toContain(`${S15}_idle: skipped (scaled to 0)`);
    expect(converged.stdout).toContain(`${S15}_agent: 1/1 running, done`);
    await e.removeStack(S15);

    const missing = `services:\n  app:\n    image: local/nosuchimage:1\n`;
    const failed = await cv(e, ['deploy', S16, '-f', 'stack.yml', '--wait', '--timeout', '60s', '--resolve-image', 'never'], project(S16, missing, policy(e.plugin.name)));
    try {
      expect(failed.code, failed.stdout + failed.stderr).toBe(1);
      expect(failed.stdout).toMatch(new RegExp(`failed: task of service ${S16}_app rejected on node \\S+: No such image: local/nosuchimage:1`));
    } finally {
      await e.removeStack(S16);
    }

    // A command that crashes a second after it starts: its task is seen running, and Swarm restarts it in a loop.
    const crashing = `services:\n  app:\n    image: local/busybox:1\n    init: true\n    stop_grace_period: 1s\n    command: ["sh", "-c", "sleep 1; exit 3"]\n`;
    const crashed = await cv(e, ['deploy', S20, '-f', 'stack.yml', '--wait', '--timeout', '60s', '--resolve-image', 'never'], project(S20, crashing, policy(e.plugin.name)));
    try {
      expect(crashed.code, crashed.stdout + crashed.stderr).toBe(1);
      expect(crashed.stdout).toMatch(
        new RegExp(`\\nfailed: a task of service ${S20}_app crashed on node \\S+: its command exited with code 3 \\(task: non-zero exit \\(3\\)\\); its restart policy \\(condition: any\\) starts it again, so it would restart in a loop; see its output: docker service logs ${S20}_app\\n`),
      );
    } finally {
      await e.removeStack(S20);
    }
  }, 120_000);

  test('placement Swarm cannot meet is refused for every service, volume or not: a misspelt key, no node, a bad operator', async (ctx) => {
    const e = needEngine(ctx);
    // What Swarm does with a key it does not know: accepts the service and places no task.
    const created = await e.dockerCli(['service', 'create', '--detach', '--name', `${S17}_probe`, '--constraint', 'node.label.zone==x', IMAGE, 'sleep', '100000']);
    expect(created.code, created.stderr).toBe(0);
    try {
      let state = '';
      for (let i = 0; i < 50 && !/constraints not satisfied/.test(state); i++) {
        state = (await e.dockerCli(['service', 'ps', '--no-trunc', '--format', '{{.CurrentState}} {{.Error}}', `${S17}_probe`])).stdout;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(state).toMatch(/^Pending .*scheduling constraints not satisfied/);
    } finally {
      await e.dockerCli(['service', 'rm', `${S17}_probe`]);
    }

    const before = await engineState(e);
    for (const [constraint, message] of [
      ['node.label.zone == x', `error [invalid-constraint] stack.yml:6:23: service "web": placement constraint "node.label.zone == x" names "node.label.zone", which Swarm does not know`],
      ['node.labels.zone == nowhere', `error [no-eligible-node] stack.yml:6:22: no node can run service "web" (placement: node.labels.zone == nowhere)`],
      ['node.labels.zone = x', `error [invalid-constraint] stack.yml:6:23: service "web": placement constraint "node.labels.zone = x" is not "key == value" or "key != value"`],
      // A value Swarm's manager refuses: docker would create the services before this one, then stop.
      ['node.hostname != "worker-1"', `error [invalid-constraint] stack.yml:6:23: service "web": placement constraint "node.hostname != \\"worker-1\\"": Swarm refuses the service, as its value`],
    ]) {
      const stack = `services:\n  web:\n    image: local/busybox:1\n    deploy:\n      placement:\n        constraints: [${JSON.stringify(constraint)}]\n`;
      const result = await cv(e, ['deploy', S17, '-f', 'stack.yml', '--wait', '--timeout', '30s', '--resolve-image', 'never'], project(S17, stack, policy(e.plugin.name)));
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toContain(message);
      expect(result.stdout).toContain('refused: nothing deployed');
      expect(await engineState(e)).toBe(before);
    }
    // Two replicas, one per node, on a one-node Swarm: the second task would stay pending, and --wait run into its timeout.
    const crowded = `services:\n  web:\n    image: local/busybox:1\n    deploy:\n      replicas: 2\n      placement:\n        max_replicas_per_node: 1\n`;
    const result = await cv(e, ['deploy', S17, '-f', 'stack.yml', '--wait', '--resolve-image', 'never'], project(S17, crowded, policy(e.plugin.name)));
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('error [not-enough-nodes] stack.yml:7:32: service "web" asks for 2 replicas, at most 1 per node (max_replicas_per_node), and 1 node can run it');
    expect(result.stdout).toContain('refused: nothing deployed');
    expect(await engineState(e)).toBe(before);
  }, 60_000);

  test('the Docker CLI plugin answers its metadata, and `docker voldriver deploy --dry-run` uses the CLI context', async (ctx) => {
    const e = needEngine(ctx);
    const config = join(work, 'plugin-config');
    const env = { DOCKER_CONFIG: config, DOCKER_HOST: '' };
    const install = await cv(e, ['docker-plugin', 'install'], work, env);
    expect(install.code, install.stderr).toBe(0);
    const plugin = join(config, 'cli-plugins', 'docker-voldriver');
    const metadata = await run(plugin, ['docker-cli-plugin-metadata'], { env: e.env(env) });
    expect(JSON.parse(metadata.stdout)).toMatchObject({ SchemaVersion: '0.1.0', Vendor: 'compose-voldriver', Version: expect.any(String), ShortDescription: expect.any(String) });

    // The engine is reached only through a context the docker CLI made current.
    const cliEnv = { ...e.env({ DOCKER_CONFIG: config, XDG_CACHE_HOME: join(work, 'cache'), NO_COLOR: '1' }), DOCKER_HOST: undefined };
    for (const args of [['context', 'create', 'e2e', '--docker', `host=${e.host}`], ['context', 'use', 'e2e']]) {
      const made = await e.dockerCli(args, { env: cliEnv });
      expect(made.code, made.stderr).toBe(0);
    }
    const help = await e.dockerCli(['--help'], { env: cliEnv });
    expect(help.stdout).toMatch(/voldriver\*?\s+Deploy stacks with volume drivers/);
    const deployHelp = await e.dockerCli(['voldriver', 'deploy', '--help'], { env: cliEnv });
    expect(deployHelp.code, deployHelp.stderr).toBe(0);
    expect(deployHelp.stdout).toMatch(/^Usage: docker voldriver deploy \[options\] <stack>/);
    expect(deployHelp.stdout).not.toContain('compose-voldriver deploy');
    const before = await engineState(e);
    const result = await e.dockerCli(['voldriver', 'deploy', S6, '-f', join(dir, 'stack.yml'), '--dry-run'], { env: cliEnv });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`engine: ${e.host} (currentContext in ${join(config, 'config.json')})`);
    expect(result.stdout).toMatch(new RegExp(`data\\s+${S6}_data\\s+\\S+\\s+mode=fast,size=5\\s+new`));
    expect(result.stdout).toContain('dry run: nothing deployed');
    expect(await engineState(e)).toBe(before);
  }, 60_000);
});
