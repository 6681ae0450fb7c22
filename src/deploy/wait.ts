/**
 * Follows every service of a stack at once until each has converged: replicated and global services once their
 * tasks run and have kept running, the same tasks, for the monitor period (so a task that crashes right after it
 * starts is seen, and tasks restarting in a loop never count), jobs once they complete; services scaled to 0 are
 * skipped. It stops at the first task that fails or is rejected, at a rollback, and at a task that ended (Swarm
 * starts it again in a loop, or never); it explains a failure in storage terms where it is one: the plugin's own
 * error and the volume, or the driver no node has; a crash with the exit code and where to read its output.
 */
import { driverKey, nodeHasDriver } from './drivers.js';
import type { Engine, SwarmNode, SwarmService, SwarmTask } from './engine.js';

export type ServiceState = 'waiting' | 'converged' | 'failed' | 'skipped';

export interface ServiceProgress {
  name: string;
  mode: string;
  desired: number;
  /** Running tasks (or, for jobs, completed ones). */
  done: number;
  state: ServiceState;
  /** What holds it up, or why it failed. */
  note?: string;
}

export interface WaitFailure {
  service: string;
  task?: string;
  node?: string;
  taskState?: string;
  /** The engine's own words (the plugin's error for a refused Create or Mount). */
  error: string;
  volume?: string;
  driver?: string;
  /** The cause in storage terms. */
  explanation: string;
}

export interface WaitResult {
  /** `interrupted`: a signal stopped the wait (the stack is deployed; its services go on converging). */
  outcome: 'converged' | 'failed' | 'timeout' | 'interrupted';
  services: ServiceProgress[];
  failure?: WaitFailure;
  /** For a timeout or an interruption: what each waiting service was held up by. */
  pending: string[];
  elapsedMs: number;
}

export interface WaitOptions {
  stack: string;
  /** The service names the stack file declares, without the stack prefix. */
  services: string[];
  /** The stack's services and tasks before the deploy: only what the deploy changed is judged. */
  before: { services: SwarmService[]; taskIds: Set<string> };
  timeoutMs: number;
  /** How long a service's tasks must keep running, the same tasks, before it counts as converged (default 5 s). */
  monitorMs?: number;
  pollMs?: number;
  onProgress?(services: ServiceProgress[]): void;
  /** Aborted when the user interrupts: the wait stops at once. */
  signal?: AbortSignal;
  now?(): number;
  sleep?(ms: number): Promise<void>;
}

const FAILED = new Set(['failed', 'rejected']);
const ROLLBACK = new Set(['rollback_started', 'rollback_paused', 'rollback_completed']);

/** JSON with keys sorted: two specs that say the same thing compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function modeOf(service: SwarmService): string {
  const mode = service.Spec.Mode ?? {};
  if (mode.Global) return 'global';
  if (mode.ReplicatedJob) return 'replicated-job';
  if (mode.GlobalJob) return 'global-job';
  return 'replicated';
}

function mountsOf(service: SwarmService): { source: string; driver: string }[] {
  return (service.Spec.TaskTemplate?.ContainerSpec?.Mounts ?? [])
    .filter((mount) => (mount.Type ?? 'volume') === 'volume' && mount.Source)
    .map((mount) => ({ source: mount.Source as string, driver: driverKey(mount.VolumeOptions?.DriverConfig?.Name) }));
}

/** Swarm's scheduler: "no suitable node (missing plugin on N nodes)"; other reasons only hold a task up. */
const MISSING_PLUGIN = /missing plugin/i;
const NO_NODE = /missing plugin|no suitable node/i;

const statusText = (task: SwarmTask) => `${task.Status?.Err ?? ''} ${task.Status?.Message ?? ''}`.trim();

/**
 * A task Swarm cannot place because no node has a plugin its volumes need: it would stay pending until a node
 * gets the driver, so this is a failure at once. The drivers no node reports are the ones named.
 */
export function missingDriver(service: SwarmService, task: SwarmTask, nodes: readonly SwarmNode[]): WaitFailure {
  const error = (task.Status?.Err || task.Status?.Message || 'no suitable node (missing plugin)').trim();
  const plugged = mountsOf(service).filter((m) => m.driver !== 'local');
  const missing = plugged.filter((m) => !nodes.some((node) => nodeHasDriver(node, m.driver)));
  const named = missing.length > 0 ? missing : plugged;
  const what =
    named.length > 0
      ? named.map((m) => `volume driver "${m.driver}" for volume "${m.source}"`).join(', nor ')
      : 'the plugin it needs';
  return {
    service: service.Spec.Name,
    task: task.ID,
    taskState: task.Status?.State,
    error,
    volume: named[0]?.source,
    driver: named[0]?.driver,
    explanation:
      `no node has ${what}, mounted by service ${service.Spec.Name}: its task stays pending (Swarm: ${error}); ` +
      'install or enable the plugin on the nodes the service may run on',
  };
}

/** The cause of a failed task, in storage terms when a volume is involved. */
export function explainTask(service: SwarmService, task: SwarmTask, node: string | undefined): WaitFailure {
  const status = task.Status ?? {};
  const error = (status.Err || status.Message || `task ${status.State ?? 'failed'}`).trim();
  const mounts = mountsOf(service);
  const where = node ? ` on node ${node}` : '';
  const base = { service: service.Spec.Name, task: task.ID, node, taskState: status.State, error };
  const mount = mounts.find((m) => error.includes(m.source));
  if (mount) {
    const refused = /^create /i.test(error) ? 'refused to create' : /mount/i.test(error) ? 'could not mount' : 'failed on';
    return {
      ...base,
      volume: mount.source,
      driver: mount.driver,
      explanation: `volume driver "${mount.driver}" ${refused} volume "${mount.source}"${where}: ${error}`,
    };
  }
  // The container ran and exited with an error code: the program crashed (the engine says "non-zero exit (N)").
  const exitCode = status.ContainerStatus?.ExitCode ?? Number(/non-zero exit \((\d+)\)/.exec(error)?.[1] ?? Number.NaN);
  if (status.State === 'failed' && Number.isInteger(exitCode) && exitCode !== 0) {
    const condition = service.Spec.TaskTemplate?.RestartPolicy?.Condition ?? 'any';
    const again =
      condition === 'none'
        ? `its restart policy (condition: none) does not start it again`
        : `its restart policy (condition: ${condition}) starts it again, so it would restart in a loop`;
    // Killed rather than ended: the engine for a failing healthcheck, the kernel for memory, or a signal.
    const how = /unhealthy container/i.test(error)
      ? `was stopped as unhealthy${where}: its healthcheck kept failing (exit code ${exitCode}: ${error})`
      : exitCode > 128 && exitCode <= 128 + 64
        ? `was killed${where} by signal ${exitCode - 128}${exitCode === 137 ? ' (SIGKILL: often out of memory)' : ''} (exit code ${exitCode}: ${error})`
        : `crashed${where}: its command exited with code ${exitCode} (${error})`;
    return {
      ...base,
      explanation: `a task of service ${service.Spec.Name} ${how}; ${again}; see its output: docker service logs ${service.Spec.Name}`,
    };
  }
  if (MISSING_PLUGIN.test(error)) {
    const drivers = [...new Set(mounts.map((m) => m.driver).filter((d) => d !== 'local'))];
    return { ...base, driver: drivers[0], explanation: `no node has driver ${drivers.join(' or ') || '(unknown)'} for service ${service.Spec.Name}: ${error}` };
  }
  return { ...base, explanation: `task of service ${service.Spec.Name} ${status.State ?? 'failed'}${where}: ${error}` };
}

interface Judged {
  progress: ServiceProgress;
  failure?: WaitFailure;
  /** For a replicated or global service whose tasks all run: which tasks, to see that the same ones keep running. */
  runningTasks?: string;
}

function judge(
  service: SwarmService,
  tasks: SwarmTask[],
  previous: SwarmService | undefined,
  before: Set<string>,
  nodeNames: Map<string, string>,
  nodes: readonly SwarmNode[],
): Judged {
  const mode = modeOf(service);
  const name = service.Spec.Name;
  const progress = (desired: number, done: number, state: ServiceState, note?: string): ServiceProgress => ({ name, mode, desired, done, state, note });
  if (mode === 'replicated' && (service.Spec.Mode?.Replicated?.Replicas ?? 1) === 0) return { progress: progress(0, 0, 'skipped', 'scaled to 0') };

  const updateChanged = canonical(service.UpdateStatus ?? null) !== canonical(previous?.UpdateStatus ?? null);
  const update = service.UpdateStatus?.State;
  if (updateChanged && update && (ROLLBACK.has(update) || update === 'paused')) {
    const what = update === 'paused' ? 'update paused' : 'rolled back';
    const failure: WaitFailure = { service: name, error: service.UpdateStatus?.Message ?? update, explanation: `service ${name} ${what}: ${service.UpdateStatus?.Message ?? update}` };
    return { progress: progress(0, 0, 'failed', failure.explanation), failure };
  }

  // A service whose task template changed (or a new one) converges on new tasks only; the old ones are going.
  const templateChanged = !previous || canonical(previous.Spec.TaskTemplate) !== canonical(service.Spec.TaskTemplate);
  const counted = templateChanged ? tasks.filter((task) => !before.has(task.ID)) : tasks;
  const fresh = tasks.filter((task) => !before.has(task.ID));
  const failed = fresh.find((task) => FAILED.has(task.Status?.State ?? ''));
  if (failed) {
    const failure = explainTask(service, failed, failed.NodeID ? nodeNames.get(failed.NodeID) ?? failed.NodeID : undefined);
    return { progress: progress(0, 0, 'failed', failure.explanation), failure };
  }
  const pending = counted.filter((task) => task.DesiredState !== 'shutdown' && task.Status?.State === 'pending');
  const unplaceable = pending.find((task) => MISSING_PLUGIN.test(statusText(task)));
  if (unplaceable) {
    const failure = missingDriver(service, unplaceable, nodes);
    return { progress: progress(0, 0, 'failed', failure.explanation), failure };
  }
  const held = pending.find((task) => NO_NODE.test(statusText(task)));
  const note = held ? explainTask(service, held, undefined).explanation : undefined;

  if (mode === 'replicated-job' || mode === 'global-job') {
    const complete = tasks.filter((task) => task.Status?.State === 'complete').length;
    const desired = mode === 'replicated-job' ? service.Spec.Mode?.ReplicatedJob?.TotalCompletions ?? 1 : service.ServiceStatus?.DesiredTasks ?? 0;
    const doneAll = mode === 'replicated-job' ? complete >= desired : service.ServiceStatus?.CompletedTasks !== undefined && service.ServiceStatus.CompletedTasks >= desired && desired > 0;
    return { progress: progress(desired, complete, doneAll ? 'converged' : 'waiting', doneAll ? undefined : note) };
  }
  // A task of a service that ended well: under a restart policy of none or on-failure it is not started again (its
  // slot stays empty); under any, Swarm starts it again, and again: it never keeps running.
  const condition = service.Spec.TaskTemplate?.RestartPolicy?.Condition ?? 'any';
  const ended = fresh.find((task) => task.Status?.State === 'complete' && task.DesiredState !== 'running');
  if (ended) {
    const node = ended.NodeID ? nodeNames.get(ended.NodeID) ?? ended.NodeID : undefined;
    const outcome =
      condition === 'any'
        ? `starts it again, so it would restart in a loop`
        : `does not start it again: the service will not run all its tasks`;
    const failure: WaitFailure = {
      service: name,
      task: ended.ID,
      node,
      taskState: 'complete',
      error: 'task complete',
      explanation:
        `a task of service ${name} ended${node ? ` on node ${node}` : ''} (its command exited 0), and its restart policy (condition: ${condition}) ${outcome}; ` +
        'a task meant to run once and end is a job (deploy.mode: replicated-job), one meant to keep running needs a command that does',
    };
    return { progress: progress(0, 0, 'failed', failure.explanation), failure };
  }
  const active = counted.filter((task) => task.DesiredState === 'running');
  const running = active.filter((task) => task.Status?.State === 'running').length;
  const desired = mode === 'replicated' ? service.Spec.Mode?.Replicated?.Replicas ?? 1 : service.ServiceStatus?.DesiredTasks ?? active.length;
  const stillUpdating = update === 'updating' || update === 'rollback_started';
  const converged = desired > 0 && running >= desired && active.length === running && !stillUpdating;
  const runningTasks = converged ? active.map((task) => task.ID).sort().join(',') : undefined;
  return { progress: progress(desired, running, converged ? 'converged' : 'waiting', converged ? undefined : note), runningTasks };
}

/** The default monitor period: as long as Swarm's own update monitor and docker's --detach=false watch. */
export const DEFAULT_MONITOR_MS = 5_000;

export async function waitForStack(engine: Engine, options: WaitOptions): Promise<WaitResult> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const signal = options.signal;
  // An interruption ends the pause at once instead of after the poll interval.
  const sleep = (ms: number) =>
    signal === undefined
      ? pause(ms)
      : new Promise<void>((resolve) => {
          if (signal.aborted) return resolve();
          const done = () => {
            signal.removeEventListener('abort', done);
            resolve();
          };
          signal.addEventListener('abort', done);
          void pause(ms).then(done);
        });
  const start = now();
  const expected = options.services.map((name) => `${options.stack}_${name}`);
  const nodeNames = new Map<string, string>();
  let nodes: SwarmNode[] = [];
  const remember = (list: SwarmNode[]) => {
    nodes = list;
    list.forEach((node) => nodeNames.set(node.ID, node.Description?.Hostname ?? node.ID));
  };
  remember(await engine.nodes());
  const monitorMs = options.monitorMs ?? DEFAULT_MONITOR_MS;
  /** Since when each service has run all its tasks, and which ones: a task replaced meanwhile starts the period again. */
  const steady = new Map<string, { since: number; tasks: string }>();
  const held = `must keep running ${(monitorMs / 1000).toFixed(1)} s`;
  let last: ServiceProgress[] = [];
  for (;;) {
    const services = await engine.services(options.stack);
    const tasks = await engine.tasks(services.map((service) => service.ID));
    // New nodes, or a task Swarm cannot place for a missing plugin: the nodes' plugin lists are asked afresh.
    const unplaced = tasks.some((task) => task.Status?.State === 'pending' && MISSING_PLUGIN.test(statusText(task)));
    if (unplaced || tasks.some((task) => task.NodeID && !nodeNames.has(task.NodeID))) remember(await engine.nodes());
    const judged = expected.map((name): Judged => {
      const service = services.find((s) => s.Spec.Name === name);
      if (!service) return { progress: { name, mode: 'replicated', desired: 0, done: 0, state: 'waiting', note: 'not created yet' } };
      const previous = options.before.services.find((s) => s.ID === service.ID);
      return judge(service, tasks.filter((task) => task.ServiceID === service.ID), previous, options.before.taskIds, nodeNames, nodes);
    });
    const seenAt = now();
    for (const [index, j] of judged.entries()) {
      if (j.runningTasks === undefined) {
        steady.delete(expected[index]);
        continue;
      }
      const since = steady.get(expected[index]);
      if (since === undefined || since.tasks !== j.runningTasks) steady.set(expected[index], { since: seenAt, tasks: j.runningTasks });
      const kept = seenAt - (steady.get(expected[index])?.since ?? seenAt);
      if (kept < monitorMs) j.progress = { ...j.progress, state: 'waiting', note: held };
    }
    last = judged.map((j) => j.progress);
    options.onProgress?.(last);
    const failure = judged.find((j) => j.failure)?.failure;
    const elapsedMs = now() - start;
    if (failure) return { outcome: 'failed', services: last, failure, pending: [], elapsedMs };
    if (last.every((p) => p.state === 'converged' || p.state === 'skipped')) return { outcome: 'converged', services: last, pending: [], elapsedMs };
    const pending = () => last.filter((p) => p.state === 'waiting').map((p) => `${p.name}: ${p.done}/${p.desired}${p.note ? ` (${p.note})` : ''}`);
    if (signal?.aborted) return { outcome: 'interrupted', services: last, pending: pending(), elapsedMs };
    if (elapsedMs >= options.timeoutMs) return { outcome: 'timeout', services: last, pending: pending(), elapsedMs };
    await sleep(Math.min(options.pollMs ?? 500, Math.max(0, options.timeoutMs - elapsedMs)));
    if (signal?.aborted) return { outcome: 'interrupted', services: last, pending: pending(), elapsedMs: now() - start };
  }
}
