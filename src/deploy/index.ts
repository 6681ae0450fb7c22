/**
 * Deploy a rendered stack: preflight against the live engine, then `docker stack deploy`, then the wait. The CLI
 * renders (renderStack, swarm target, resolved) and formats; this is everything in between. It is bundled on its
 * own and loaded only by the deploy command, with dockerode.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { asObject } from '../compose/mounts.js';
import { InputError } from '../findings.js';
import { setOwn } from '../own.js';
import { processAlive } from '../node-write.js';
import type { Finding } from '../findings.js';
import type { VolumePlan } from '../transform/plan.js';
import { dockerCliTarget, resolveEndpoint, shownHost, type Endpoint } from './connection.js';
import { connectEngine, EngineError, type Engine } from './engine.js';
import { preflight, type DeployFinding, type ExternalObject, type PreflightInput, type PreflightResult, type StackService } from './preflight.js';
import type { VolumeState } from './drift.js';
import { checkDockerArgs, checkStackNames } from './names.js';
import { runStackDeploy } from './runner.js';
import { describeUndo, undoCreated } from './undo.js';
import { SIGNAL_EXIT, type DeployReport, type InterruptSignal } from './report.js';
import { waitForStack, type ServiceProgress, type WaitResult } from './wait.js';

export { resolveEndpoint, dockerCliTarget, contextDigest, shownHost, type Endpoint } from './connection.js';
export { engineLine, formatFindings, formatOutcome, formatPlan, formatReport, progressLine, reportJson, type Paint } from './format.js';
export type { DeployFinding, VolumeState, WaitResult, ServiceProgress };
export type { DeployOutcome, DeployReport, InterruptSignal } from './report.js';

export interface DeployRequest {
  stack: string;
  /**
   * What renderStack returned (swarm target, resolved). Its relative paths (bind mounts, env_file) are relative to
   * its project directory, so docker stack deploy runs there.
   */
  rendered: {
    output: string;
    plans: VolumePlan[];
    findings: Finding[];
    secrets: string[];
    projectDirectory?: string;
    /** Where a path of the stack is written: the preflight's findings are shown at their place in the stack file. */
    locate?(path: (string | number)[], prefer?: 'value' | 'key'): { file: string; line: number; col: number };
  };
  context?: string;
  dryRun: boolean;
  allowDrift: boolean;
  wait: boolean;
  timeoutMs: number;
  /** How long each service must keep running before the wait calls it converged (default 5 s). */
  monitorMs?: number;
  withRegistryAuth?: boolean;
  prune?: boolean;
  resolveImage?: string;
  extra: string[];
  /**
   * External volumes (key or engine name) known to exist on other nodes than the engine's own, whose volumes it
   * cannot show: the preflight does not refuse them for being absent here (--confirm-external).
   */
  confirmExternal?: string[];
  /** The docker binary (default: docker on PATH). */
  docker?: string;
}

export interface DeployIO {
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  readFile(path: string): string | undefined;
  /** docker stack deploy's own output. */
  stdout(text: string): void;
  stderr(text: string): void;
  onProgress?(services: ServiceProgress[]): void;
  /** Announces each phase as it starts (the preflight report before the deploy runs). */
  onPreflight?(report: DeployReport): void;
  /**
   * Takes the signals that would end the process (SIGINT, SIGTERM, SIGHUP, SIGQUIT, and SIGPIPE for an output that
   * went away) while docker changes the engine and during the wait; returns the function that gives them back.
   */
  onSignal?(handler: (signal: InterruptSignal) => void): () => void;
  /** Tests give an engine of their own. */
  connect?(endpoint: Endpoint, env: Record<string, string | undefined>): Promise<Engine>;
}

type Obj = Record<string, unknown>;

/** The file is written for Compose's interpolation, which docker stack deploy applies: `$$` is one `$`. */
const unescape = (text: string) => text.replace(/\$\$/g, '$');

/** Each named volume's labels, as the engine gets them from the rendered file (map or `key=value` list). */
export function stackVolumeLabels(model: Obj): Map<string, Record<string, string>> {
  const labels = new Map<string, Record<string, string>>();
  for (const [name, value] of Object.entries(asObject(model.volumes))) {
    const written = asObject(value).labels;
    const entries: [string, string][] = Array.isArray(written)
      ? written.map((item) => {
          const text = String(item);
          const at = text.indexOf('=');
          return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
        })
      : Object.entries(asObject(written)).map(([key, v]) => [key, v === null || v === undefined ? '' : String(v)]);
    const record: Record<string, string> = {};
    for (const [key, v] of entries) setOwn(record, unescape(key), unescape(v));
    labels.set(name, record);
  }
  return labels;
}

/** Each service's placement, mode and replicas, read from the rendered file. */
export function stackServices(model: Obj): StackService[] {
  return Object.entries(asObject(model.services)).map(([name, value]) => {
    const deploy = asObject(asObject(value).deploy);
    const placement = asObject(deploy.placement);
    const constraints = placement.constraints;
    const count = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined);
    const maxPerNode = count(placement.max_replicas_per_node);
    return {
      name,
      constraints: Array.isArray(constraints) ? constraints.map((constraint) => unescape(String(constraint))) : [],
      mode: typeof deploy.mode === 'string' ? deploy.mode : 'replicated',
      replicas: count(deploy.replicas),
      ...(maxPerNode !== undefined && maxPerNode > 0 ? { maxPerNode } : {}),
    };
  });
}

/**
 * The external secrets, configs and networks the stack's services use, with the name each has in the engine: docker
 * stack deploy creates none of them, and stops at the first it cannot find (after creating the stack's network).
 */
export function stackExternals(model: Obj): ExternalObject[] {
  const used = { secrets: new Set<string>(), configs: new Set<string>(), networks: new Set<string>() };
  for (const value of Object.values(asObject(model.services))) {
    const service = asObject(value);
    for (const section of ['secrets', 'configs'] as const) {
      const listed = service[section];
      for (const entry of Array.isArray(listed) ? listed : []) {
        const source = typeof entry === 'string' ? entry : asObject(entry).source;
        if (typeof source === 'string') used[section].add(source);
      }
    }
    const networks = service.networks;
    for (const key of Array.isArray(networks) ? networks.filter((n): n is string => typeof n === 'string') : Object.keys(asObject(networks))) used.networks.add(key);
  }
  const externals: ExternalObject[] = [];
  for (const [section, kind] of [['networks', 'network'], ['secrets', 'secret'], ['configs', 'config']] as const) {
    for (const [key, value] of Object.entries(asObject(model[section]))) {
      const item = asObject(value);
      if (!item.external || !used[section].has(key)) continue;
      // The older form `external: { name: x }` names it too.
      const name = typeof item.name === 'string' ? item.name : typeof asObject(item.external).name === 'string' ? (asObject(item.external).name as string) : key;
      // The engine's own networks are on every node, and docker does not look them up.
      if (kind === 'network' && (['default', 'bridge', 'host', 'none'].includes(name) || name.startsWith('container:'))) continue;
      externals.push({ kind, key, name });
    }
  }
  return externals;
}

/**
 * The volume keys --confirm-external names, each given as the key or the engine name of an external volume the
 * stack's services mount; any other name is unusable input (a misspelt one would confirm nothing, silently).
 */
export function confirmedExternals(names: readonly string[], plans: readonly VolumePlan[]): string[] {
  const externals = plans.filter((plan) => plan.external && plan.mounts.length > 0);
  return names.map((name) => {
    const plan = externals.find((p) => p.volume === name) ?? externals.find((p) => p.engineName === name);
    if (plan) return plan.volume;
    const listed = externals.map((p) => (p.engineName === undefined || p.engineName === p.volume ? p.volume : `${p.volume} (${p.engineName})`));
    throw new InputError(
      `--confirm-external ${JSON.stringify(name)}: the stack has no external volume of that name that a service mounts` +
        (listed.length > 0 ? ` (external volumes: ${listed.join(', ')})` : ' (it has no external volume a service mounts)'),
    );
  });
}

function renderFinding(finding: Finding): DeployFinding {
  const where = finding.file === undefined ? {} : { file: finding.file, line: finding.line, col: finding.line === undefined ? undefined : finding.col ?? 1 };
  return { code: finding.code, severity: finding.severity, message: finding.message, hint: finding.hint, volume: finding.volume, ...where };
}

export async function deployStack(request: DeployRequest, io: DeployIO): Promise<DeployReport> {
  // The rendered file as docker stack deploy reads it, once for every check below.
  const written = asObject(parse(request.rendered.output));
  // What docker would refuse half-way, after creating part of the stack, is refused before the engine is asked.
  checkStackNames(request.stack, written, request.rendered.locate);
  const dockerArgs = checkDockerArgs(request.extra);
  const endpoint = resolveEndpoint({ context: request.context, env: io.env, readFile: io.readFile, home: io.home });
  const { plans, secrets } = request.rendered;
  const secretOptions = Object.fromEntries(plans.map((plan) => [plan.volume, plan.secretOptions]));
  const report: DeployReport = {
    stack: request.stack,
    engine: { host: shownHost(endpoint.host), from: endpoint.from },
    volumes: [],
    findings: request.rendered.findings.filter((f) => f.severity !== 'info').map(renderFinding),
    dryRun: request.dryRun,
    outcome: 'refused',
    secretOptions,
    secrets,
    exitCode: 1,
  };
  const services = stackServices(written);
  const volumeLabels = stackVolumeLabels(written);
  const confirmedExternal = confirmedExternals(request.confirmExternal ?? [], plans);
  const engine = await (io.connect ?? connectEngine)(endpoint, io.env);
  const input: PreflightInput = {
    stack: request.stack,
    services,
    externals: stackExternals(written),
    allowDrift: request.allowDrift,
    // docker takes the last of --prune (deploy's own, passed first) and a --prune=BOOL among the docker-args.
    prune: dockerArgs.prune ?? request.prune === true,
    secrets,
    confirmedExternal,
    volumes: plans
      .filter((plan) => plan.mounts.length > 0 && plan.engineName !== undefined)
      .map((plan) => ({
        volume: plan.volume,
        engineName: plan.engineName as string,
        driver: plan.driver,
        options: plan.driver_opts,
        external: plan.external,
        services: plan.services,
        labels: volumeLabels.get(plan.volume) ?? {},
        mounts: plan.mounts.map((mount) => ({ service: mount.service, target: mount.target })),
        secretOptions: plan.secretOptions,
        nodeLocal: plan.attach === 'node-local' && plan.driver_opts.type !== 'tmpfs',
      })),
  };
  const renderFindings = [...report.findings];
  const locate = request.rendered.locate;
  /** The preflight's result in the report; whether it refuses. */
  const judge = (checked: PreflightResult): boolean => {
    report.volumes = checked.volumes;
    // A finding about a volume points at its key; one about a constraint at the constraint.
    report.findings = [
      ...renderFindings,
      ...checked.findings.map((finding) =>
        finding.path === undefined || locate === undefined ? finding : { ...finding, ...locate(finding.path, finding.path[0] === 'volumes' || finding.path.length === 2 ? 'key' : 'value') },
      ),
    ];
    return report.findings.some((f) => f.severity === 'error');
  };
  let checked = await preflight(engine, report.engine, input);
  const refused = judge(checked);
  if (refused || request.dryRun) {
    report.outcome = refused ? 'refused' : 'planned';
    report.exitCode = refused ? 1 : 0;
    return report;
  }
  // One deploy of a stack at a time, on any machine: two at once would each remove what the other created when one
  // fails. The lock is taken only once the preflight passed, so a refused deploy changes nothing on the engine.
  const lock = deployLockName(request.stack);
  // From the lock on, an interruption ends the deploy cleanly: the lock is given back, docker is stopped and what it
  // created removed again.
  const interrupt = new AbortController();
  const unsubscribe = io.onSignal?.((signal) => {
    if (!interrupt.signal.aborted) interrupt.abort(signal);
  });
  try {
    const take = () => engine.claim(lock, { [LOCK_LABEL]: request.stack }, JSON.stringify({ host: hostname(), pid: process.pid, started: new Date().toISOString() }));
    let claimed = await take();
    // A lock left by a deploy on this machine whose process is gone (killed with SIGKILL) holds nothing: taken over.
    if (!claimed.created && leftByDeadProcess(claimed.data)) {
      await engine.release(lock);
      claimed = await take();
    }
    if (!claimed.created) {
      report.findings.push({
        code: 'deploy-in-progress',
        severity: 'error',
        message: `another deploy of stack ${request.stack} is running${lockHolder(claimed.data)}: two at once would each undo what the other creates`,
        hint: `run it again once that one has ended; if none runs (one killed on another machine before it could finish), remove its lock: docker config rm ${lock}`,
      });
      return report;
    }
    try {
      // What the engine has may have changed while this deploy waited for the lock (another one deployed): checked again.
      checked = await preflight(engine, report.engine, input);
      if (judge(checked)) return report;
      io.onPreflight?.(report);
      return await deployChecked(request, io, { engine, endpoint, report, checked, services, interrupt: interrupt.signal });
    } finally {
      await engine.release(lock).catch(() => undefined);
    }
  } finally {
    unsubscribe?.();
  }
}

/** The label on a deploy's lock, with the stack's name. */
export const LOCK_LABEL = 'com.compose-voldriver.deploy-lock';

/** The Swarm config that is a stack's deploy lock: a name Swarm takes (64 characters at most) for any stack name. */
export function deployLockName(stack: string): string {
  const prefix = 'compose-voldriver-lock_';
  return prefix.length + stack.length <= 64 ? `${prefix}${stack}` : `${prefix}${createHash('sha256').update(stack).digest('hex').slice(0, 64 - prefix.length)}`;
}

/** What a lock says of the deploy holding it; empty when it says nothing readable. */
function lockHeld(data: string | undefined): { host?: unknown; pid?: unknown; started?: unknown } {
  try {
    const held: unknown = JSON.parse(data ?? '');
    return typeof held === 'object' && held !== null ? held : {};
  } catch {
    return {};
  }
}

/** Whether a lock's holder was a process on this machine that no longer runs. */
export function leftByDeadProcess(data: string | undefined, alive: (pid: number) => boolean = processAlive): boolean {
  const held = lockHeld(data);
  return held.host === hostname() && typeof held.pid === 'number' && Number.isInteger(held.pid) && held.pid > 0 && held.pid !== process.pid && !alive(held.pid);
}

function lockHolder(data: string | undefined): string {
  const held = lockHeld(data);
  const parts = [typeof held.started === 'string' ? `since ${held.started}` : '', typeof held.host === 'string' ? `on ${held.host}` : '', typeof held.pid === 'number' ? `pid ${held.pid}` : ''];
  const said = parts.filter(Boolean).join(', ');
  return said === '' ? '' : ` (${said})`;
}

function interrupted(report: DeployReport, signal: InterruptSignal, message?: string): DeployReport {
  report.outcome = 'interrupted';
  report.interrupted = signal;
  report.exitCode = SIGNAL_EXIT[signal];
  if (message !== undefined) report.findings.push({ code: 'deploy-interrupted', severity: 'error', message });
  return report;
}

async function deployChecked(
  request: DeployRequest,
  io: DeployIO,
  state: { engine: Engine; endpoint: Endpoint; report: DeployReport; checked: Awaited<ReturnType<typeof preflight>>; services: StackService[]; interrupt: AbortSignal },
): Promise<DeployReport> {
  const { engine, endpoint, report, checked, services, interrupt } = state;
  const received = () => (interrupt.aborted ? (interrupt.reason as InterruptSignal) : undefined);
  const beforeTasks = await engine.tasks(checked.running.map((service) => service.ID));
  // What the stack has before docker runs: if docker stops half-way, what it created is removed again.
  const beforeObjects = await engine.stackObjects(request.stack);
  const early = received();
  if (early) return interrupted(report, early, `interrupted by ${early} before docker stack deploy ran: nothing deployed`);
  const target = dockerCliTarget(endpoint, io.env);
  const ran = await runStackDeploy(
    {
      docker: request.docker ?? 'docker',
      stack: request.stack,
      globalArgs: target.args,
      withRegistryAuth: request.withRegistryAuth,
      prune: request.prune,
      resolveImage: request.resolveImage,
      extra: request.extra,
      env: target.env,
      // The file goes to docker on standard input: docker reads its relative paths from its working directory.
      cwd: resolve(io.cwd, request.rendered.projectDirectory ?? '.'),
      signal: interrupt,
    },
    request.rendered.output,
    io,
  );
  report.deployExit = ran.code;
  const stopped = received();
  if (ran.code !== 0) {
    report.outcome = 'deploy-failed';
    // A volume the preflight found is never removed, whether or not the engine's list showed it before.
    const existed = checked.volumes.filter((volume) => volume.exists).map((volume) => volume.engineName);
    // docker stopped by an interrupt may have left a request the engine commits a moment later: listed until quiet.
    const undone = await undoCreated(engine, request.stack, beforeObjects, { keepVolumes: existed, settleMs: stopped ? 2_000 : 0 });
    report.undone = undone.removed.map((object) => `${object.kind} ${object.name}`);
    // Services that were there before and that docker updated before it stopped: those keep the new spec.
    const after = await engine.services(request.stack);
    undone.updated = after
      .filter((service) => {
        const previous = checked.running.find((s) => s.ID === service.ID);
        return previous !== undefined && previous.Version?.Index !== service.Version?.Index;
      })
      .map((service) => service.Spec.Name);
    // Services of the running stack that are gone: --prune removed them before docker stopped, and they stay removed.
    const present = new Set(after.map((service) => service.ID));
    undone.pruned = checked.running.filter((service) => !present.has(service.ID)).map((service) => service.Spec.Name);
    if (stopped) return interrupted(report, stopped, `interrupted by ${stopped} while docker stack deploy ran; ${describeUndo(undone)}`);
    report.findings.push({
      code: 'stack-deploy-failed',
      severity: 'error',
      message: `${ran.error ?? `docker stack deploy exited with code ${ran.code}`}; ${describeUndo(undone)}`,
      hint: ran.code === 127 ? 'install the docker CLI, or put it on PATH' : 'see docker\'s message above',
    });
    return report;
  }
  // docker had finished: the stack is deployed, and only the wait is left out.
  if (stopped) return interrupted(report, stopped);
  if (!request.wait) {
    report.outcome = 'deployed';
    report.exitCode = 0;
    return report;
  }
  const waitStarted = Date.now();
  const wait = await waitForStack(engine, {
    stack: request.stack,
    services: services.map((s) => s.name),
    before: { services: checked.running, taskIds: new Set(beforeTasks.map((task) => task.ID)) },
    timeoutMs: request.timeoutMs,
    monitorMs: request.monitorMs,
    onProgress: io.onProgress,
    signal: interrupt,
  }).catch((error: unknown): WaitResult => {
    // The engine failed while the wait asked it: the deploy itself is done, and the message says so.
    const said = error instanceof Error ? error.message : String(error);
    const hint = error instanceof EngineError && error.hint ? ` (${error.hint})` : '';
    return {
      outcome: 'failed',
      services: [],
      pending: [],
      elapsedMs: Date.now() - waitStarted,
      failure: {
        service: '',
        error: said,
        explanation: `the engine failed while the services were waited for: ${said}${hint}; docker stack deploy had finished, so stack ${request.stack} is deployed: see docker stack ps ${request.stack}`,
      },
    };
  });
  report.wait = wait;
  if (wait.outcome === 'interrupted') return interrupted(report, received() ?? 'SIGINT');
  report.outcome = wait.outcome;
  report.exitCode = wait.outcome === 'converged' ? 0 : wait.outcome === 'timeout' ? 3 : 1;
  return report;
}
