import { describe, expect, test } from 'vitest';
import type { Engine, SwarmService, SwarmTask } from '../../src/deploy/engine.js';
import { waitForStack } from '../../src/deploy/wait.js';
import { fakeEngine } from '../helpers/fake-engine.js';

const mount = { Type: 'volume', Source: 'st_data', VolumeOptions: { DriverConfig: { Name: 'pxd', Options: { size: '1G' } } } };

function svc(name: string, mode: SwarmService['Spec']['Mode'], extra: Partial<SwarmService> = {}): SwarmService {
  return { ID: name, Spec: { Name: `st_${name}`, Mode: mode, TaskTemplate: { ContainerSpec: { Mounts: [mount] } } }, ...extra };
}

function task(id: string, service: string, state: string, desired = 'running', status: Partial<NonNullable<SwarmTask['Status']>> = {}): SwarmTask {
  return { ID: id, ServiceID: service, NodeID: 'n1', DesiredState: desired, Status: { State: state, ...status } };
}

/** An engine that answers each poll with the next state in the list (the last one repeats). */
function engine(polls: { services: SwarmService[]; tasks: SwarmTask[] }[]): Engine {
  let index = -1;
  const current = () => polls[Math.min(index, polls.length - 1)];
  return fakeEngine({
    version: async () => ({ Version: 'x', ApiVersion: '1.41' }),
    info: async () => ({}),
    services: async () => {
      index++;
      return current().services;
    },
    tasks: async () => current().tasks,
  });
}

let clock = 0;
const fake = { now: () => clock, sleep: async (ms: number) => void (clock += ms) };
const before = { services: [] as SwarmService[], taskIds: new Set<string>() };

describe('waitForStack', () => {
  test('follows every service at once: replicated, global, a job, and one scaled to 0 is skipped', async () => {
    const services = [
      svc('web', { Replicated: { Replicas: 2 } }),
      svc('agent', { Global: {} }, { ServiceStatus: { DesiredTasks: 1, RunningTasks: 1 } }),
      svc('migrate', { ReplicatedJob: { TotalCompletions: 1 } }),
      svc('idle', { Replicated: { Replicas: 0 } }),
    ];
    const seen: string[][] = [];
    const result = await waitForStack(
      engine([
        { services, tasks: [task('a', 'web', 'running'), task('b', 'web', 'starting'), task('c', 'agent', 'running'), task('d', 'migrate', 'running', 'complete')] },
        { services, tasks: [task('a', 'web', 'running'), task('b', 'web', 'running'), task('c', 'agent', 'running'), task('d', 'migrate', 'complete', 'complete')] },
      ]),
      { stack: 'st', services: ['web', 'agent', 'migrate', 'idle'], before, timeoutMs: 60_000, ...fake, onProgress: (p) => seen.push(p.map((s) => `${s.name}:${s.state}`)) },
    );
    expect(result.outcome).toBe('converged');
    // The global service runs at once, and counts once it has kept running for the monitor period.
    expect(seen[0]).toEqual(['st_web:waiting', 'st_agent:waiting', 'st_migrate:waiting', 'st_idle:skipped']);
    expect(seen.at(-1)).toEqual(['st_web:converged', 'st_agent:converged', 'st_migrate:converged', 'st_idle:skipped']);
  });

  test('a rejected task fails at once, with the plugin message, the volume and the node', async () => {
    const services = [svc('db', { Replicated: { Replicas: 1 } })];
    const result = await waitForStack(
      engine([{ services, tasks: [task('t1', 'db', 'rejected', 'shutdown', { Err: 'create st_data: VolumeDriver.Create: no capacity left' })] }]),
      { stack: 'st', services: ['db'], before, timeoutMs: 60_000, ...fake },
    );
    expect(result.outcome).toBe('failed');
    expect(result.failure).toMatchObject({ service: 'st_db', volume: 'st_data', driver: 'pxd', node: 'node-1' });
    expect(result.failure?.explanation).toBe('volume driver "pxd" refused to create volume "st_data" on node node-1: create st_data: VolumeDriver.Create: no capacity left');
  });

  test('a failed task from before the deploy is not this deploy\'s failure', async () => {
    const services = [svc('db', { Replicated: { Replicas: 1 } })];
    const result = await waitForStack(engine([{ services, tasks: [task('old', 'db', 'failed', 'shutdown', { Err: 'old' }), task('new', 'db', 'running')] }]), {
      stack: 'st',
      services: ['db'],
      before: { services, taskIds: new Set(['old', 'new']) },
      timeoutMs: 60_000,
      ...fake,
    });
    expect(result.outcome).toBe('converged');
  });

  test('a changed task template converges on new tasks only', async () => {
    const previous = svc('db', { Replicated: { Replicas: 1 } });
    const updated = { ...previous, Spec: { ...previous.Spec, TaskTemplate: { ContainerSpec: { Mounts: [{ ...mount, Target: '/new' }] } } } };
    const result = await waitForStack(engine([{ services: [updated], tasks: [task('old', 'db', 'running')] }]), {
      stack: 'st',
      services: ['db'],
      before: { services: [previous], taskIds: new Set(['old']) },
      timeoutMs: 2_000,
      ...fake,
    });
    expect(result.outcome).toBe('timeout');
  });

  test('a task that ended well under restart condition none or on-failure fails at once: Swarm starts it never again', async () => {
    for (const condition of ['none', 'on-failure']) {
      const services = [svc('once', { Replicated: { Replicas: 2 } })];
      services[0].Spec.TaskTemplate = { ...services[0].Spec.TaskTemplate, RestartPolicy: { Condition: condition } };
      clock = 0;
      const result = await waitForStack(
        engine([
          { services, tasks: [task('a', 'once', 'running'), task('b', 'once', 'starting')] },
          { services, tasks: [task('a', 'once', 'running'), task('b', 'once', 'complete', 'shutdown')] },
        ]),
        { stack: 'st', services: ['once'], before, timeoutMs: 300_000, ...fake },
      );
      expect(result.outcome).toBe('failed');
      expect(result.elapsedMs).toBeLessThan(5_000);
      expect(result.failure).toMatchObject({ service: 'st_once', task: 'b', node: 'node-1', taskState: 'complete' });
      expect(result.failure?.explanation).toBe(
        `a task of service st_once ended on node node-1 (its command exited 0), and its restart policy (condition: ${condition}) does not start it again: ` +
          'the service will not run all its tasks; a task meant to run once and end is a job (deploy.mode: replicated-job), one meant to keep running needs a command that does',
      );
    }
  });

  test('a job\'s complete task is its success; under restart condition any, a service\'s task that ended restarts in a loop: a failure', async () => {
    const job = svc('migrate', { ReplicatedJob: { TotalCompletions: 1 } });
    job.Spec.TaskTemplate = { ...job.Spec.TaskTemplate, RestartPolicy: { Condition: 'on-failure' } };
    const done = await waitForStack(engine([{ services: [job], tasks: [task('j', 'migrate', 'complete', 'complete')] }]), { stack: 'st', services: ['migrate'], before, timeoutMs: 60_000, ...fake });
    expect(done.outcome).toBe('converged');

    const web = svc('web', { Replicated: { Replicas: 1 } });
    clock = 0;
    const looped = await waitForStack(
      engine([
        { services: [web], tasks: [task('a', 'web', 'running')] },
        { services: [web], tasks: [task('a', 'web', 'complete', 'shutdown'), task('b', 'web', 'running')] },
      ]),
      { stack: 'st', services: ['web'], before, timeoutMs: 60_000, ...fake },
    );
    expect(looped.outcome).toBe('failed');
    expect(looped.failure).toMatchObject({ service: 'st_web', task: 'a', taskState: 'complete' });
    expect(looped.failure?.explanation).toBe(
      'a task of service st_web ended on node node-1 (its command exited 0), and its restart policy (condition: any) starts it again, so it would restart in a loop; ' +
        'a task meant to run once and end is a job (deploy.mode: replicated-job), one meant to keep running needs a command that does',
    );
  });

  test('converged only once every task has kept running for the monitor period (5 s by default, or as given)', async () => {
    const services = [svc('web', { Replicated: { Replicas: 2 } })];
    const running = { services, tasks: [task('a', 'web', 'running'), task('b', 'web', 'running')] };
    for (const [monitorMs, converges] of [[undefined, 5_000], [2_000, 2_000], [0, 0]] as const) {
      clock = 0;
      const seen: string[] = [];
      const result = await waitForStack(engine([running]), { stack: 'st', services: ['web'], before, timeoutMs: 60_000, monitorMs, ...fake, onProgress: (p) => seen.push(`${p[0].state} ${p[0].note ?? ''}`.trim()) });
      expect(result.outcome).toBe('converged');
      expect(result.elapsedMs).toBe(converges);
      if (converges > 0) expect(seen[0]).toBe(`waiting must keep running ${(converges / 1000).toFixed(1)} s`);
      expect(seen.at(-1)).toBe('converged');
    }
  });

  test('a task that crashes right after it started fails the wait with its exit code, where it ran, and the restart loop', async () => {
    for (const [condition, said] of [
      [undefined, 'its restart policy (condition: any) starts it again, so it would restart in a loop'],
      ['on-failure', 'its restart policy (condition: on-failure) starts it again, so it would restart in a loop'],
      ['none', 'its restart policy (condition: none) does not start it again'],
    ] as const) {
      const web = svc('web', { Replicated: { Replicas: 1 } });
      if (condition) web.Spec.TaskTemplate = { ...web.Spec.TaskTemplate, RestartPolicy: { Condition: condition } };
      clock = 0;
      const crashed = { Err: 'task: non-zero exit (3)', Message: 'started', ContainerStatus: { ExitCode: 3 } };
      const result = await waitForStack(
        engine([
          // Seen running first: before the monitor period, that was "converged".
          { services: [web], tasks: [task('a', 'web', 'running')] },
          { services: [web], tasks: [task('a', 'web', 'running')] },
          { services: [web], tasks: [task('a', 'web', 'failed', 'shutdown', crashed), task('b', 'web', 'running')] },
        ]),
        { stack: 'st', services: ['web'], before, timeoutMs: 60_000, ...fake },
      );
      expect(result.outcome).toBe('failed');
      expect(result.failure).toMatchObject({ service: 'st_web', task: 'a', node: 'node-1', taskState: 'failed', error: 'task: non-zero exit (3)' });
      expect(result.failure?.explanation).toBe(
        `a task of service st_web crashed on node node-1: its command exited with code 3 (task: non-zero exit (3)); ${said}; see its output: docker service logs st_web`,
      );
    }
  });

  test('a task killed rather than crashed says by what: a failing healthcheck, a signal, out of memory', async () => {
    for (const [err, code, said] of [
      ['task: non-zero exit (137): dockerexec: unhealthy container', 137, 'was stopped as unhealthy on node node-1: its healthcheck kept failing (exit code 137: task: non-zero exit (137): dockerexec: unhealthy container)'],
      ['task: non-zero exit (137)', 137, 'was killed on node node-1 by signal 9 (SIGKILL: often out of memory) (exit code 137: task: non-zero exit (137))'],
      ['task: non-zero exit (139)', 139, 'was killed on node node-1 by signal 11 (exit code 139: task: non-zero exit (139))'],
    ] as const) {
      const web = svc('web', { Replicated: { Replicas: 1 } });
      clock = 0;
      const result = await waitForStack(engine([{ services: [web], tasks: [task('a', 'web', 'failed', 'shutdown', { Err: err, ContainerStatus: { ExitCode: code } })] }]), {
        stack: 'st',
        services: ['web'],
        before,
        timeoutMs: 60_000,
        ...fake,
      });
      expect(result.failure?.explanation).toBe(
        `a task of service st_web ${said}; its restart policy (condition: any) starts it again, so it would restart in a loop; see its output: docker service logs st_web`,
      );
    }
  });

  test('tasks replaced over and over with no failure left to see never count as converged: the wait times out, saying why', async () => {
    const services = [svc('web', { Replicated: { Replicas: 1 } })];
    let poll = 0;
    const restarting = engine([{ services, tasks: [] }]);
    // A new running task every 2 s (the ones before gone from the task history).
    restarting.tasks = async () => [task(`t${Math.floor(poll++ / 4)}`, 'web', 'running')];
    clock = 0;
    const result = await waitForStack(restarting, { stack: 'st', services: ['web'], before, timeoutMs: 30_000, ...fake });
    expect(result.outcome).toBe('timeout');
    expect(result.pending).toEqual(['st_web: 1/1 (must keep running 5.0 s)']);
  });

  test('a rollback is a failure', async () => {
    const services = [svc('db', { Replicated: { Replicas: 1 } }, { UpdateStatus: { State: 'rollback_completed', Message: 'rollback completed' } })];
    const result = await waitForStack(engine([{ services, tasks: [task('t', 'db', 'running')] }]), { stack: 'st', services: ['db'], before, timeoutMs: 60_000, ...fake });
    expect(result.outcome).toBe('failed');
    expect(result.failure?.explanation).toBe('service st_db rolled back: rollback completed');
  });

  test('a task Swarm cannot place for a missing plugin fails at once, naming the driver, the volume and the service', async () => {
    // Two volumes: the nodes have "nfs", none has "pxd". The task's status is the one swarmkit's scheduler sets.
    const nfs = { Type: 'volume', Source: 'st_shared', VolumeOptions: { DriverConfig: { Name: 'nfs:latest' } } };
    const db: SwarmService = { ID: 'db', Spec: { Name: 'st_db', Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Mounts: [nfs, mount] } } } };
    const pendingTask: SwarmTask = { ID: 't', ServiceID: 'db', DesiredState: 'running', Status: { State: 'pending', Message: 'pending task scheduling', Err: 'no suitable node (missing plugin on 1 node)' } };
    const recorded = engine([{ services: [db], tasks: [pendingTask] }]);
    recorded.nodes = async () => [{ ID: 'n1', Description: { Hostname: 'node-1', Engine: { Plugins: [{ Type: 'Volume', Name: 'nfs' }, { Type: 'Network', Name: 'pxd' }] } } }];
    clock = 0;
    const result = await waitForStack(recorded, { stack: 'st', services: ['db'], before, timeoutMs: 300_000, ...fake });
    expect(result.outcome).toBe('failed');
    expect(result.elapsedMs).toBe(0);
    expect(result.failure).toMatchObject({ service: 'st_db', volume: 'st_data', driver: 'pxd', error: 'no suitable node (missing plugin on 1 node)' });
    expect(result.failure?.explanation).toBe(
      'no node has volume driver "pxd" for volume "st_data", mounted by service st_db: its task stays pending (Swarm: no suitable node (missing plugin on 1 node)); ' +
        'install or enable the plugin on the nodes the service may run on',
    );
  });

  test('a task pending for another reason (resources) only holds the wait up, with Swarm\'s words', async () => {
    const services = [svc('db', { Replicated: { Replicas: 1 } })];
    const result = await waitForStack(
      engine([{ services, tasks: [task('t', 'db', 'pending', 'running', { Err: 'no suitable node (insufficient resources on 1 node)' })] }]),
      { stack: 'st', services: ['db'], before, timeoutMs: 5_000, ...fake },
    );
    expect(result.outcome).toBe('timeout');
    expect(result.pending).toEqual(['st_db: 0/1 (task of service st_db pending: no suitable node (insufficient resources on 1 node))']);
  });
});
