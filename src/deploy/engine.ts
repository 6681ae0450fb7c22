/**
 * The engine as deploy sees it: the few Engine API reads it needs, in the API's own JSON shapes (the fields used).
 * `connectEngine` is the only place dockerode is loaded; tests of the logic pass an object of their own.
 */
import type { Endpoint } from './connection.js';
import { dockerodeOptions, shownHost } from './connection.js';

export const STACK_LABEL = 'com.docker.stack.namespace';

export interface EngineVersion {
  Version: string;
  ApiVersion: string;
  Os?: string;
  Arch?: string;
}

export interface EngineInfo {
  Name?: string;
  Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string };
  Plugins?: { Volume?: string[] };
}

export interface SwarmNode {
  ID: string;
  Spec?: { Role?: string; Availability?: string; Labels?: Record<string, string> };
  Status?: { State?: string; Addr?: string };
  Description?: {
    Hostname?: string;
    Platform?: { OS?: string; Architecture?: string };
    Engine?: { Labels?: Record<string, string>; Plugins?: { Type?: string; Name?: string }[] };
  };
}

export interface ManagedPlugin {
  Name: string;
  Enabled: boolean;
  Config?: { Interface?: { Types?: { Capability?: string; Prefix?: string; Version?: string }[] } };
}

export interface ServiceMountSpec {
  Type?: string;
  Source?: string;
  Target?: string;
  VolumeOptions?: { DriverConfig?: { Name?: string; Options?: Record<string, string> }; Labels?: Record<string, string> };
}

export interface SwarmService {
  ID: string;
  Version?: { Index?: number };
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    TaskTemplate?: { ContainerSpec?: { Mounts?: ServiceMountSpec[] }; Placement?: { Constraints?: string[] }; RestartPolicy?: { Condition?: string } };
    Mode?: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: { TotalCompletions?: number; MaxConcurrent?: number }; GlobalJob?: object };
  };
  UpdateStatus?: { State?: string; Message?: string };
  ServiceStatus?: { RunningTasks?: number; DesiredTasks?: number; CompletedTasks?: number };
}

export interface EngineVolume {
  Name: string;
  Driver: string;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  Scope?: string;
}

export interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot?: number;
  DesiredState?: string;
  CreatedAt?: string;
  Status?: { State?: string; Message?: string; Err?: string; Timestamp?: string; ContainerStatus?: { ExitCode?: number } };
}

/** Something docker stack deploy creates, labelled with the stack's namespace. */
export interface StackObject {
  kind: 'service' | 'network' | 'secret' | 'config' | 'volume';
  id: string;
  name: string;
}

export interface Engine {
  version(): Promise<EngineVersion>;
  info(): Promise<EngineInfo>;
  nodes(): Promise<SwarmNode[]>;
  /** Managed plugins installed on this node. */
  plugins(): Promise<ManagedPlugin[]>;
  /** The services of a stack, with their status counts; without a stack, every service of the Swarm. */
  services(stack?: string): Promise<SwarmService[]>;
  /** A volume on this engine, or undefined when it has none of that name. */
  volume(name: string): Promise<EngineVolume | undefined>;
  tasks(serviceIds: string[]): Promise<SwarmTask[]>;
  /** The services, networks, secrets and configs labelled with the stack's namespace, and its volumes on this engine. */
  stackObjects(stack: string): Promise<StackObject[]>;
  /** Removes one; a missing one is no error. */
  remove(object: StackObject): Promise<void>;
  /**
   * Creates the Swarm config `name` holding `data` unless one of that name exists: the engine takes one create of
   * a name, so of two callers one gets `created` and the other the data the first wrote.
   */
  claim(name: string, labels: Record<string, string>, data: string): Promise<{ created: true } | { created: false; data?: string }>;
  /** Removes the Swarm config `name`; a missing one is no error. */
  release(name: string): Promise<void>;
  /** A secret, config or network of that name (or ID), with its scope; undefined when there is none. */
  swarmObject(kind: 'secret' | 'config' | 'network', name: string): Promise<{ Scope?: string } | undefined>;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** An Engine API call that failed: what was asked, why in words, and what to do about it. */
export class EngineError extends Error {
  constructor(
    readonly asked: string,
    readonly reason: string,
    readonly hint: string | undefined,
  ) {
    super(`${asked}: ${reason}`);
    this.name = 'EngineError';
  }
}

/**
 * Why a call failed, in words: the socket's errno (ENOENT, EACCES...), a call that got no answer within the client
 * timeout (dockerode ends it as a "socket hang up"), TLS, or the engine's own message for an HTTP error.
 */
export function engineProblem(error: unknown, where: { host: string; timeoutMs: number; elapsedMs: number }): { reason: string; hint?: string } {
  const { host } = where;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  if (status !== undefined) {
    const said = (error as { json?: { message?: unknown } }).json?.message;
    const text = typeof said === 'string' && said.trim() !== '' ? said.trim() : message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
    return { reason: `the engine answered ${status}: ${text}` };
  }
  const seconds = where.timeoutMs / 1000;
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || ((code === 'ECONNRESET' || /socket hang up/.test(message)) && where.elapsedMs >= where.timeoutMs * 0.9)) {
    return {
      reason: `no answer from ${host} within ${seconds} s`,
      hint: 'the engine is busy or stuck: check it (docker info), or wait longer with DOCKER_CLIENT_TIMEOUT=SECONDS',
    };
  }
  const socket = host.startsWith('unix://') ? host.slice('unix://'.length) || '/var/run/docker.sock' : host;
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      reason: `permission denied on ${socket}`,
      hint: 'run as a user of the socket\'s group (usually docker: sudo usermod -aG docker $USER, then log in again), or with sudo',
    };
  }
  if (code === 'ENOENT') return { reason: `no socket at ${socket}`, hint: 'start the engine (is dockerd running?), or choose another one with --context, DOCKER_CONTEXT or DOCKER_HOST' };
  if (code === 'ECONNREFUSED') return { reason: `nothing answers at ${socket} (connection refused)`, hint: 'start the engine, or choose another one with --context, DOCKER_CONTEXT or DOCKER_HOST' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { reason: `host not found: ${host}`, hint: 'check the host name in DOCKER_HOST or the context' };
  if (typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return { reason: `TLS: ${message}`, hint: 'check the certificates (DOCKER_CERT_PATH, or the context\'s TLS files) and DOCKER_TLS_VERIFY' };
  }
  if (code === 'ECONNRESET' || /socket hang up/.test(message)) {
    return { reason: `the connection to ${host} was closed before an answer`, hint: 'is it a Docker engine? check the address, and the engine\'s log' };
  }
  return { reason: message };
}

/**
 * For an ssh:// engine, dockerode's request layer makes an http address from the host with url.parse on every
 * request, which Node flags as an invalid URL (DEP0170) on standard error. The address is never used (the request
 * goes through the ssh connection), so that one warning is left out; every other warning is printed as usual.
 */
function quietAddressWarning(): void {
  const emit = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const code = rest[0] !== null && typeof rest[0] === 'object' ? (rest[0] as { code?: unknown }).code : rest[1];
    if (code === 'DEP0170') return;
    return (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
}

/** An engine reached through dockerode (loaded here, on first use, so nothing else pays for it). */
export async function connectEngine(endpoint: Endpoint, env: Record<string, string | undefined>): Promise<Engine> {
  const options = dockerodeOptions(endpoint, env);
  if (options.protocol === 'ssh') quietAddressWarning();
  const { default: Docker } = await import('dockerode');
  const timeout = Number(env.DOCKER_CLIENT_TIMEOUT) > 0 ? Number(env.DOCKER_CLIENT_TIMEOUT) * 1000 : 30_000;
  const docker = new Docker({ ...options, timeout } as ConstructorParameters<typeof Docker>[0]);
  // Every call, failed, says what was asked and why in words.
  const ask = async <T>(asked: string, call: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await call();
    } catch (error) {
      const problem = engineProblem(error, { host: shownHost(endpoint.host), timeoutMs: timeout, elapsedMs: Date.now() - started });
      throw new EngineError(asked, problem.reason, problem.hint);
    }
  };
  const stackFilter = (stack: string) => JSON.stringify({ label: [`${STACK_LABEL}=${stack}`] });
  return {
    version: () => ask('asking the engine its version', async () => (await docker.version()) as unknown as EngineVersion),
    info: () => ask('asking the engine about its Swarm', async () => (await docker.info()) as EngineInfo),
    nodes: () => ask('listing the Swarm\'s nodes', async () => (await docker.listNodes()) as unknown as SwarmNode[]),
    plugins: () => ask('listing the plugins', async () => (await docker.listPlugins()) as unknown as ManagedPlugin[]),
    services: (stack) =>
      ask(
        stack === undefined ? 'listing the services' : `listing the services of stack ${stack}`,
        async () =>
          (await docker.listServices(
            (stack === undefined ? { status: true } : { filters: stackFilter(stack), status: true }) as Parameters<typeof docker.listServices>[0],
          )) as unknown as SwarmService[],
      ),
    volume: (name) =>
      ask(`inspecting volume ${name}`, async () => {
        try {
          return (await docker.getVolume(name).inspect()) as unknown as EngineVolume;
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      }),
    stackObjects: (stack) => ask(`listing what stack ${stack} has`, async () => {
      const filters = stackFilter(stack);
      const named = (kind: StackObject['kind']) => (item: { ID?: string; Id?: string; Name?: string; Spec?: { Name?: string } }): StackObject => ({
        kind,
        id: item.ID ?? item.Id ?? item.Name ?? '',
        name: item.Spec?.Name ?? item.Name ?? '',
      });
      const [services, networks, secrets, configs, volumes] = await Promise.all([
        docker.listServices({ filters } as Parameters<typeof docker.listServices>[0]),
        docker.listNetworks({ filters } as Parameters<typeof docker.listNetworks>[0]),
        docker.listSecrets({ filters }),
        docker.listConfigs({ filters }),
        docker.listVolumes({ filters } as Parameters<typeof docker.listVolumes>[0]),
      ]);
      type Item = Parameters<ReturnType<typeof named>>[0];
      return [
        ...(services as unknown as Item[]).map(named('service')),
        ...(networks as unknown as Item[]).map(named('network')),
        ...(secrets as unknown as Item[]).map(named('secret')),
        ...(configs as unknown as Item[]).map(named('config')),
        ...((volumes.Volumes ?? []) as unknown as Item[]).map(named('volume')),
      ];
    }),
    remove: (object) => ask(`removing ${object.kind} ${object.name}`, async () => {
      try {
        if (object.kind === 'service') await docker.getService(object.id).remove();
        else if (object.kind === 'network') await docker.getNetwork(object.id).remove();
        else if (object.kind === 'secret') await docker.getSecret(object.id).remove();
        else if (object.kind === 'config') await docker.getConfig(object.id).remove();
        else await docker.getVolume(object.id).remove();
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    }),
    claim: (name, labels, data) =>
      ask(`creating config ${name}`, async () => {
        try {
          await docker.createConfig({ Name: name, Labels: labels, Data: Buffer.from(data).toString('base64') });
          return { created: true as const };
        } catch (error) {
          if (statusOf(error) !== 409) throw error;
        }
        try {
          const held = (await docker.getConfig(name).inspect()) as { Spec?: { Data?: string } };
          return { created: false as const, data: held.Spec?.Data === undefined ? undefined : Buffer.from(held.Spec.Data, 'base64').toString('utf8') };
        } catch (error) {
          // Released between the two calls: taken, as far as this caller knows; it says so and asks to run again.
          if (statusOf(error) === 404) return { created: false as const };
          throw error;
        }
      }),
    release: (name) =>
      ask(`removing config ${name}`, async () => {
        try {
          await docker.getConfig(name).remove();
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
      }),
    swarmObject: (kind, name) =>
      ask(`inspecting ${kind} ${name}`, async () => {
        try {
          const found = kind === 'secret' ? docker.getSecret(name) : kind === 'config' ? docker.getConfig(name) : docker.getNetwork(name);
          const inspected = (await found.inspect()) as { Scope?: string };
          return kind === 'network' ? { Scope: inspected.Scope } : { Scope: 'swarm' };
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      }),
    tasks: (serviceIds) =>
      ask('listing the tasks', async () =>
        serviceIds.length === 0 ? [] : ((await docker.listTasks({ filters: JSON.stringify({ service: serviceIds }) } as Parameters<typeof docker.listTasks>[0])) as unknown as SwarmTask[]),
      ),
  };
}
