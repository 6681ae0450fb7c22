/**
 * One deploy of a stack at a time: the second is refused before docker runs, naming the first; the lock is taken
 * only after the preflight passed, the engine is checked again under it, and it is given back however the deploy
 * ends. A fake engine whose configs are a map, and a fake docker.
 */
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { deployLockName, deployStack, formatFindings, leftByDeadProcess } from '../../src/deploy/index.js';
import type { Engine, EngineVolume } from '../../src/deploy/engine.js';
import { renderStack } from '../../src/index.js';
import { fakeEngine } from '../helpers/fake-engine.js';

const plain = { red: (t: string) => t, yellow: (t: string) => t, green: (t: string) => t, dim: (t: string) => t, bold: (t: string) => t };

function setup(dockerExit = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'cv-lock-'));
  writeFileSync(join(dir, 'stack.yml'), 'services:\n  app:\n    image: busybox\n    volumes: [data:/data]\nvolumes:\n  data: {}\n');
  writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\ndefault_class: fast\nclasses:\n  fast:\n    driver: local\n    driver_opts: { type: nfs, o: "addr=10.0.0.1", device: ":/data" }\n');
  const docker = join(dir, 'docker');
  // The fake docker leaves a mark: whether it ran.
  writeFileSync(docker, `#!/bin/sh\ncat >/dev/null\ntouch "${join(dir, 'ran')}"\nexit ${dockerExit}\n`);
  chmodSync(docker, 0o755);
  const configs = new Map<string, string>();
  const volumes: EngineVolume[] = [];
  const calls: string[] = [];
  const engine: Engine = fakeEngine({
    volume: async (name) => volumes.find((v) => v.Name === name),
    claim: async (name, _labels, data) => {
      calls.push(`claim ${name}`);
      if (configs.has(name)) return { created: false, data: configs.get(name) };
      configs.set(name, data);
      return { created: true };
    },
    release: async (name) => {
      calls.push(`release ${name}`);
      configs.delete(name);
    },
  });
  const deploy = (dryRun = false) =>
    deployStack(
      { stack: 'st', rendered: renderStack({ files: [join(dir, 'stack.yml')], target: 'swarm', resolve: true, projectName: 'st', cwd: dir }), dryRun, allowDrift: false, wait: false, timeoutMs: 1000, extra: [], docker },
      { env: {}, cwd: dir, home: dir, readFile: () => undefined, stdout: () => undefined, stderr: () => undefined, connect: async () => engine },
    );
  return { dir, engine, configs, volumes, calls, deploy, ran: () => existsSync(join(dir, 'ran')) };
}

describe('one deploy of a stack at a time', () => {
  test('a deploy while another holds the lock is refused, naming it and how to clear a stale lock; docker never runs', async () => {
    const { configs, calls, deploy, ran } = setup();
    const lock = deployLockName('st');
    configs.set(lock, JSON.stringify({ host: 'ci-runner-7', pid: 4242, started: '2026-12-02T21:00:00.000Z' }));
    const report = await deploy();
    expect(report.outcome).toBe('refused');
    expect(report.exitCode).toBe(1);
    expect(formatFindings(report, plain)).toContain(
      'error [deploy-in-progress] another deploy of stack st is running (since 2026-12-02T21:00:00.000Z, on ci-runner-7, pid 4242): two at once would each undo what the other creates\n' +
        `  fix: run it again once that one has ended; if none runs (one killed on another machine before it could finish), remove its lock: docker config rm ${lock}`,
    );
    expect(ran()).toBe(false);
    // The other deploy's lock is not ours to give back.
    expect(calls).toEqual([`claim ${lock}`]);
    expect(configs.has(lock)).toBe(true);
  });

  test('a lock left on this machine by a process that is gone is taken over; one whose process runs is not', async () => {
    const { configs, calls, deploy, ran } = setup();
    const lock = deployLockName('st');
    // A pid no process has: the deploy that held it was killed (SIGKILL) before it could give the lock back.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    configs.set(lock, JSON.stringify({ host: hostname(), pid: Number(gone), started: '2026-12-02T21:00:00.000Z' }));
    const report = await deploy();
    expect(report.outcome).toBe('deployed');
    expect(ran()).toBe(true);
    expect(calls).toEqual([`claim ${lock}`, `release ${lock}`, `claim ${lock}`, `release ${lock}`]);
    expect(leftByDeadProcess(JSON.stringify({ host: hostname(), pid: process.ppid }))).toBe(false);
    expect(leftByDeadProcess(JSON.stringify({ host: 'elsewhere', pid: Number(gone) }))).toBe(false);
    expect(leftByDeadProcess('not json')).toBe(false);
  });

  test('the lock is given back whether docker succeeds or fails; a dry run never takes it', async () => {
    for (const exit of [0, 1]) {
      const { configs, calls, deploy, ran } = setup(exit);
      const report = await deploy();
      expect(report.outcome).toBe(exit === 0 ? 'deployed' : 'deploy-failed');
      expect(ran()).toBe(true);
      expect(calls).toEqual([`claim ${deployLockName('st')}`, `release ${deployLockName('st')}`]);
      expect(configs.size).toBe(0);
    }
    const dry = setup();
    expect((await dry.deploy(true)).outcome).toBe('planned');
    expect(dry.calls).toEqual([]);
  });

  test('what changed while the lock was awaited is judged again under it: refused, docker never runs, the lock given back', async () => {
    const { engine, volumes, configs, deploy, ran } = setup();
    // Another deploy finished just before this one took the lock: the volume now exists with other options.
    const claim = engine.claim;
    engine.claim = async (...args) => {
      volumes.push({ Name: 'st_data', Driver: 'local', Options: { type: 'nfs', o: 'addr=10.0.0.9', device: ':/data' } });
      return claim(...args);
    };
    const report = await deploy();
    expect(report.outcome).toBe('refused');
    expect(report.findings.map((f) => f.code)).toEqual(['volume-drift']);
    expect(ran()).toBe(false);
    expect(configs.size).toBe(0);
  });

  test('the lock\'s name is one Swarm takes, for any stack name', () => {
    expect(deployLockName('shop')).toBe('compose-voldriver-lock_shop');
    const long = deployLockName('s'.repeat(60));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*[a-zA-Z0-9]$/);
    expect(deployLockName('s'.repeat(61))).not.toBe(long);
  });
});
