/**
 * SIGINT or SIGTERM while deploy changes the engine: docker is stopped, what it created is removed again, and the
 * exit code is the signal's; during the wait, the stack stays as deployed. A fake engine, and a fake docker that
 * stops half-way.
 */
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { deployStack, formatOutcome, type InterruptSignal } from '../../src/deploy/index.js';
import type { Engine, StackObject, SwarmService, SwarmTask } from '../../src/deploy/engine.js';
import { runStackDeploy } from '../../src/deploy/runner.js';
import { renderStack } from '../../src/index.js';
import { fakeEngine as engineWith } from '../helpers/fake-engine.js';

const plain = { red: (t: string) => t, yellow: (t: string) => t, green: (t: string) => t, dim: (t: string) => t, bold: (t: string) => t };

function folder(docker: string): { dir: string; docker: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cv-interrupt-'));
  writeFileSync(join(dir, 'stack.yml'), 'services:\n  app:\n    image: busybox\n    volumes: [data:/data]\nvolumes:\n  data: {}\n');
  writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\ndefault_class: fast\nclasses:\n  fast:\n    driver: local\n');
  const script = join(dir, 'docker');
  writeFileSync(script, `#!/bin/sh\n${docker}\n`);
  chmodSync(script, 0o755);
  return { dir, docker: script };
}

/** An engine whose stack objects are what `objects` holds: the fake docker "creates" them as it prints. */
function fakeEngine(objects: Map<string, StackObject>, services: SwarmService[] = [], tasks: SwarmTask[] = []): Engine & { removed: string[] } {
  const removed: string[] = [];
  return {
    removed,
    ...engineWith({
      services: async (stack) => (stack === undefined ? [] : services),
      tasks: async () => tasks,
      stackObjects: async () => [...objects.values()],
      remove: async (object) => {
        objects.delete(object.id);
        removed.push(`${object.kind} ${object.name}`);
      },
    }),
  };
}

/** The signal handler deploy has subscribed, while it has one. */
let handler: ((signal: InterruptSignal) => void) | undefined;

async function deploy(dir: string, docker: string, engine: Engine, wait: boolean, onOutput: (text: string, interrupt: (signal: InterruptSignal) => void) => void) {
  let subscribed = 0;
  const interrupt = (signal: InterruptSignal) => handler?.(signal);
  const rendered = renderStack({ files: [join(dir, 'stack.yml')], target: 'swarm', resolve: true, projectName: 'st', cwd: dir });
  const report = await deployStack(
    { stack: 'st', rendered, dryRun: false, allowDrift: false, wait, timeoutMs: 60_000, extra: [], docker },
    {
      env: {},
      cwd: dir,
      home: dir,
      readFile: () => undefined,
      stdout: (text) => onOutput(text, interrupt),
      stderr: () => undefined,
      onProgress: () => onOutput('progress', interrupt),
      onSignal: (h) => {
        handler = h;
        subscribed++;
        return () => {
          handler = undefined;
          subscribed--;
        };
      },
      connect: async () => engine,
    },
  );
  return { report, subscribed };
}

describe('interrupted', () => {
  test('while docker stack deploy runs: docker stops, what it created is removed, exit 128 + the signal (SIGHUP 129 ... SIGTERM 143)', async () => {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129], ['SIGQUIT', 131], ['SIGPIPE', 141]] as const) {
      // docker creates the network and one service, then would go on for a long while.
      const { dir, docker } = folder('cat >/dev/null\necho "Creating service st_app"\nexec sleep 30');
      const objects = new Map<string, StackObject>();
      const engine = fakeEngine(objects);
      const started = Date.now();
      const { report, subscribed } = await deploy(dir, docker, engine, true, (text, interrupt) => {
        if (!text.includes('Creating service')) return;
        objects.set('n', { kind: 'network', id: 'n', name: 'st_default' });
        objects.set('s', { kind: 'service', id: 's', name: 'st_app' });
        interrupt(signal);
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(report.outcome).toBe('interrupted');
      expect(report.exitCode).toBe(code);
      expect(engine.removed).toEqual(['service st_app', 'network st_default']);
      expect(objects.size).toBe(0);
      expect(formatOutcome(report, plain)).toBe(
        `interrupted by ${signal} while docker stack deploy ran; removed what it had created: service st_app, network st_default\n`,
      );
      // The signals are given back once the deploy is over.
      expect(subscribed).toBe(0);
    }
  });

  test('while waiting: the stack stays as docker deployed it, the services not yet running are named', async () => {
    const { dir, docker } = folder('cat >/dev/null\necho "Creating service st_app"');
    const objects = new Map<string, StackObject>();
    const service: SwarmService = { ID: 's', Spec: { Name: 'st_app', Mode: { Replicated: { Replicas: 1 } } } };
    const task: SwarmTask = { ID: 't', ServiceID: 's', DesiredState: 'running', Status: { State: 'preparing' } };
    const engine = fakeEngine(objects, [service], [task]);
    const { report } = await deploy(dir, docker, engine, true, (text, interrupt) => {
      if (text === 'progress') interrupt('SIGTERM');
    });
    expect(report.outcome).toBe('interrupted');
    expect(report.exitCode).toBe(143);
    expect(engine.removed).toEqual([]);
    expect(formatOutcome(report, plain)).toBe('interrupted by SIGTERM while waiting: stack st is deployed and Swarm goes on with it; not running yet:\n  st_app: 0/1\n');
  });

  test('while it takes the lock: the lock is given back, docker never runs, nothing deployed', async () => {
    const { dir, docker } = folder(`cat >/dev/null\ntouch ran`);
    const objects = new Map<string, StackObject>();
    const engine = fakeEngine(objects);
    const calls: string[] = [];
    engine.claim = async (name) => {
      calls.push(`claim ${name}`);
      handler?.('SIGTERM');
      return { created: true };
    };
    engine.release = async (name) => {
      calls.push(`release ${name}`);
    };
    const { report, subscribed } = await deploy(dir, docker, engine, true, () => undefined);
    expect(report.outcome).toBe('interrupted');
    expect(report.exitCode).toBe(143);
    expect(formatOutcome(report, plain)).toBe('interrupted by SIGTERM before docker stack deploy ran: nothing deployed\n');
    expect(calls).toEqual(['claim compose-voldriver-lock_st', 'release compose-voldriver-lock_st']);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(subscribed).toBe(0);
  });

  test('a docker that does not stop when asked is killed after the grace period, so the undo runs and the run ends', async () => {
    // Ignores SIGINT and SIGTERM (an ignored signal stays ignored through exec), then would run for 30 s.
    const { dir, docker } = folder('trap "" INT TERM\ncat >/dev/null\necho started\nexec sleep 30');
    const interrupt = new AbortController();
    const started = Date.now();
    const ran = await runStackDeploy(
      { docker, stack: 'st', globalArgs: [], extra: [], env: {}, cwd: dir, signal: interrupt.signal, killAfterMs: 300 },
      'services: {}\n',
      { stdout: (text) => text.includes('started') && interrupt.abort('SIGHUP'), stderr: () => undefined },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ran).toEqual({ code: 1, error: 'docker stack deploy was stopped by SIGKILL' });
  });

  test('once docker has finished, before the wait: deployed, not undone', async () => {
    // This docker finishes whatever it is sent.
    const { dir, docker } = folder('trap "" INT TERM\ncat >/dev/null\necho "Creating service st_app"\nsleep 0.2');
    const objects = new Map<string, StackObject>();
    const engine = fakeEngine(objects);
    const { report } = await deploy(dir, docker, engine, false, (text, interrupt) => {
      if (text.includes('Creating service')) {
        objects.set('s', { kind: 'service', id: 's', name: 'st_app' });
        interrupt('SIGINT');
      }
    });
    expect(report.outcome).toBe('interrupted');
    expect(report.exitCode).toBe(130);
    expect(engine.removed).toEqual([]);
    expect(formatOutcome(report, plain)).toContain('docker stack deploy had finished, so stack st is deployed');
  });
});
