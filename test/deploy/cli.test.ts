/** The deploy command without an engine: what it says when it cannot reach one, and bad input. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/program.js';
import { testIO } from '../helpers/io.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-deploy-cli-'));
  writeFileSync(join(dir, 'stack.yml'), 'services:\n  app:\n    image: busybox\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-voldriver: fast\n');
  writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\nclasses:\n  fast:\n    driver: blockstore\n    driver_opts: { size: "5G" }\n');
  return dir;
}

describe('deploy without a reachable engine', () => {
  test('refused with exit 1: the plan as rendered, the engine it tried and how to choose another', async () => {
    const dir = project();
    const io = testIO({ cwd: dir, env: { DOCKER_HOST: `unix://${join(dir, 'no.sock')}`, HOME: dir } });
    const code = await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), '--dry-run'], io);
    expect(code).toBe(1);
    expect(io.out).toMatch(/data\s+shop_data\s+blockstore\s+size=5G\s+not checked/);
    expect(io.out).toContain(`error [engine-unreachable] cannot reach the Docker engine at unix://${join(dir, 'no.sock')} (from DOCKER_HOST)`);
    expect(io.out).toContain('refused: nothing deployed');
  });

  test('--format json: one document', async () => {
    const dir = project();
    const io = testIO({ cwd: dir, env: { DOCKER_HOST: `unix://${join(dir, 'no.sock')}`, HOME: dir } });
    expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), '--format', 'json'], io)).toBe(1);
    expect(JSON.parse(io.out)).toMatchObject({ stack: 'shop', outcome: 'refused', exitCode: 1, findings: [{ code: 'engine-unreachable' }], volumes: [{ engineName: 'shop_data', state: 'unchecked' }] });
  });

  test('a password in DOCKER_HOST is never shown: the engine line, the message and the JSON report have ***', async () => {
    const dir = project();
    for (const format of ['text', 'json']) {
      const io = testIO({ cwd: dir, env: { DOCKER_HOST: 'tcp://deploy:s3cret-pw@127.0.0.1:1', HOME: dir } });
      expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), '--dry-run', '--format', format], io)).toBe(1);
      expect(io.out + io.err).not.toContain('s3cret-pw');
      expect(io.out).toContain('tcp://deploy:***@127.0.0.1:1');
    }
    const ssh = testIO({ cwd: dir, env: { DOCKER_HOST: 'ssh://deploy:s3cret-pw@127.0.0.1:1', HOME: dir } });
    expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), '--dry-run'], ssh)).toBe(2);
    expect(ssh.err).toMatch(/^error: cannot use docker host "ssh:\/\/deploy:\*\*\*@127\.0\.0\.1:1" \(from DOCKER_HOST\): a password/);
    expect(ssh.out + ssh.err).not.toContain('s3cret-pw');
  });

  test('an unknown context is unusable input: exit 2, one message', async () => {
    const dir = project();
    const io = testIO({ cwd: dir, env: { HOME: dir } });
    expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), '--context', 'nope'], io)).toBe(2);
    expect(io.err).toMatch(/^error: docker context "nope" \(from --context\) does not exist/);
    expect(io.err).not.toMatch(/internal error|at /);
  });

  test('bad options are unusable input', async () => {
    const dir = project();
    for (const args of [['--timeout', '5x'], ['--timeout', '0s'], ['--wait', '--detach'], ['-p', 'other'], ['--target', 'compose']]) {
      const io = testIO({ cwd: dir, env: { HOME: dir } });
      expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), ...args], io), args.join(' ')).toBe(2);
    }
  });

  test('--monitor: a duration shorter than --timeout, only with the wait; the engine never asked', async () => {
    const dir = project();
    for (const [args, message] of [
      [['--monitor', '5x'], 'error: --monitor: "5x" is not a duration (like 90s, 5m, 1m30s)'],
      [['--monitor', '2m', '--timeout', '90s'], 'error: --monitor 2m is not shorter than --timeout 90s: --wait would time out (exit 3) before a service could count as running'],
      [['--monitor', '10s', '--timeout', '10s'], 'error: --monitor 10s is not shorter than --timeout 10s'],
      [['--monitor', '10s', '--detach'], 'error: --monitor is how long --wait watches the services; --detach does not wait'],
    ] as const) {
      const io = testIO({ cwd: dir, env: { HOME: dir, DOCKER_HOST: `unix://${join(dir, 'no.sock')}` } });
      expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), ...args], io), args.join(' ')).toBe(2);
      expect(io.err.startsWith(message), io.err).toBe(true);
      expect(io.out).toBe('');
    }
    // 0 does not watch; a dry run takes it as it would deploy (refused here only by the missing engine, exit 1).
    const io = testIO({ cwd: dir, env: { HOME: dir, DOCKER_HOST: `unix://${join(dir, 'no.sock')}` } });
    expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), '--dry-run', '--monitor', '0'], io)).toBe(1);
    expect(io.out).toContain('error [engine-unreachable]');
  });
});

describe('what docker stack deploy would refuse half-way is refused first', () => {
  test('stack names Swarm refuses, docker-args that would deploy unchecked files: exit 2, one message, the engine never asked', async () => {
    const dir = project();
    const cases: [string[], RegExp][] = [
      [['my.stack'], /^error: "my\.stack" is not a valid stack name: Swarm names its services and networks <stack>_<name>/],
      [['s'.repeat(60)], /^\S*stack\.yml:2:3: error: stack "s+": service "app" would be named "s+_app" in the engine \(64 characters, Swarm takes 63 at most\)/],
      [['shop', '--', '-c', 'other.yml'], /^error: docker-args: -c would add a compose file that is neither rendered nor checked/],
      [['shop', 'other'], /^error: docker-args: "other" is not an option/],
      [['shop', '--', '--help'], /^error: docker-args: --help would make docker print its help and deploy nothing/],
      [['shop', '--', '-H', 'tcp://other:2376'], /^error: docker-args: -H is docker's own option, which docker stack deploy does not take/],
      [['shop', '--', '--bogus'], /^error: docker-args: --bogus is not an option of docker stack deploy/],
    ];
    for (const [args, message] of cases) {
      // An engine that is there would be asked first: a socket that is not shows whether it was.
      const io = testIO({ cwd: dir, env: { DOCKER_HOST: `unix://${join(dir, 'no.sock')}`, HOME: dir } });
      const [stack, ...rest] = args;
      expect(await main(['deploy', stack, '-f', join(dir, 'stack.yml'), ...rest], io), args.join(' ')).toBe(2);
      expect(io.err).toMatch(message);
      expect(io.err.trim().split('\n').filter((line) => !/^\s+hint:/.test(line))).toHaveLength(1);
      expect(io.out).not.toContain('engine-unreachable');
    }
  });
});

describe('help as the Docker CLI plugin', () => {
  test('`docker voldriver deploy --help` names the command as docker runs it', async () => {
    const io = testIO({ env: {} });
    expect(await main(['docker-cli-plugin', '--context', 'prod', 'voldriver', 'deploy', '--help'], io)).toBe(0);
    expect(io.out).toMatch(/^Usage: docker voldriver deploy \[options\] <stack>/);
    expect(io.out).toContain('$ docker voldriver deploy shop -f stack.yml --dry-run');
    expect(io.out).not.toContain('compose-voldriver deploy');
  });

  test('the top-level help and a usage error too; run directly, it stays compose-voldriver', async () => {
    const top = testIO({ env: {} });
    expect(await main(['docker-cli-plugin', 'voldriver', '--help'], top)).toBe(0);
    expect(top.out).toMatch(/^Usage: docker voldriver \[options\] \[command\]/);
    expect(top.out).toContain('$ docker voldriver deploy shop -f stack.yml --dry-run');
    expect(top.out).not.toMatch(/\$ compose-voldriver /);
    const usage = testIO({ env: {} });
    expect(await main(['docker-cli-plugin', 'voldriver', 'deploy'], usage)).toBe(2);
    expect(usage.err).toContain("missing required argument 'stack'");
    const direct = testIO({ env: {} });
    expect(await main(['deploy', '--help'], direct)).toBe(0);
    expect(direct.out).toMatch(/^Usage: compose-voldriver deploy \[options\] <stack>/);
  });
});

describe('deploy with unusable input', () => {
  test('every input error is shown, each with its place, as render shows them; exit 2 and the engine never asked', async () => {
    const dir = project();
    const stack = 'services:\n  app:\n    image: busybox\n    volumes: [data:/data, logs:/logs]\nvolumes:\n  data:\n    x-voldriver: fsat\n  logs:\n    x-voldriver: slwo\n';
    writeFileSync(join(dir, 'stack.yml'), stack);
    const io = testIO({ cwd: dir, env: { DOCKER_HOST: `unix://${join(dir, 'no.sock')}`, HOME: dir } });
    expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), '--dry-run'], io)).toBe(2);
    const render = testIO({ cwd: dir, env: { HOME: dir } });
    expect(await main(['render', '-f', join(dir, 'stack.yml')], render)).toBe(2);
    expect(io.err).toMatch(/stack\.yml:7:\d+: error unknown-class: volume "data" asks for class "fsat"/);
    expect(io.err).toMatch(/stack\.yml:9:\d+: error unknown-class: volume "logs" asks for class "slwo"/);
    expect(io.err).toContain('2 error(s), 0 warning(s), 0 info; nothing deployed');
    expect(io.err.replace('nothing deployed', '')).toBe(render.err.replace('nothing written', ''));
    expect(io.out).toBe('');
    expect(io.err).not.toContain('engine');
  });

  test('--format json: the findings as one JSON list', async () => {
    const dir = project();
    writeFileSync(join(dir, 'stack.yml'), 'services:\n  app:\n    image: busybox\n    volumes: [data:/data, logs:/logs]\nvolumes:\n  data:\n    x-voldriver: fsat\n  logs:\n    x-voldriver: slwo\n');
    const io = testIO({ cwd: dir, env: { DOCKER_HOST: `unix://${join(dir, 'no.sock')}`, HOME: dir } });
    expect(await main(['deploy', 'shop', '-f', join(dir, 'stack.yml'), '--format', 'json'], io)).toBe(2);
    const findings = JSON.parse(io.err) as { code: string; line: number }[];
    expect(findings.filter((f) => f.code === 'unknown-class').map((f) => f.line)).toEqual([7, 9]);
  });
});
