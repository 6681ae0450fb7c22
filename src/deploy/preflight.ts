/**
 * Everything checked against the live engine before `docker stack deploy` runs, reported together: the engine and
 * its Swarm role, the drivers on the nodes the services may run on, drift from the running stack and the engine's
 * volumes, and external volumes. Nothing here changes the engine.
 */
import { setOwn } from '../own.js';
import { attachModeOf, findDriver } from '../policies/catalog/index.js';
import { redactOptions, redactText } from '../report/redact.js';
import { eligibleNodes, ipMatcher, knownConstraintKey, nodeName, readConstraint } from './constraints.js';
import { driverAvailability, driverKey } from './drivers.js';
import { compareVolume, labelDifferences, sameOptions, type SeenAs, type VolumeState, type WantedVolume } from './drift.js';
import { EngineError, STACK_LABEL as STACK_NAMESPACE, type Engine, type EngineInfo, type EngineVolume, type ManagedPlugin, type SwarmNode, type SwarmService } from './engine.js';

export type DeploySeverity = 'error' | 'warning' | 'info';

export interface DeployFinding {
  code: string;
  severity: DeploySeverity;
  message: string;
  /** How to fix it. */
  hint?: string;
  volume?: string;
  service?: string;
  /** Where in the stack it comes from: a path of the stack file, and the place it is written (filled by deploy). */
  path?: (string | number)[];
  file?: string;
  line?: number;
  col?: number;
}

const volumePath = (volume: string) => ['volumes', volume];
const constraintsPath = (service: string) => ['services', service, 'deploy', 'placement', 'constraints'];

export interface StackService {
  name: string;
  constraints: string[];
  /** replicated, global, replicated-job, global-job */
  mode: string;
  replicas?: number;
  /** `placement.max_replicas_per_node`, when set (0 is no limit). */
  maxPerNode?: number;
}

export interface EngineSummary {
  host: string;
  from: string;
  version?: string;
  api?: string;
  name?: string;
}

/** Where a service of the stack mounts a volume. */
export interface WantedMount {
  service: string;
  target?: string;
}

/** An external secret, config or network the stack's services use: `key` in the file, `name` in the engine. */
export interface ExternalObject {
  kind: 'secret' | 'config' | 'network';
  key: string;
  name: string;
}

export interface PreflightInput {
  stack: string;
  /**
   * `nodeLocal`: the volume keeps its data on the node that created it (the local driver without a network
   * filesystem): a task placed on another node gets a new, empty volume there.
   */
  volumes: (WantedVolume & { secretOptions: string[]; mounts?: WantedMount[]; nodeLocal?: boolean })[];
  services: StackService[];
  /** External secrets, configs and networks the services use. */
  externals?: ExternalObject[];
  allowDrift: boolean;
  /** `--prune`: docker removes the running stack's services the file no longer has. */
  prune?: boolean;
  /** Credential values to hide wherever an option value is shown. */
  secrets: string[];
  /**
   * External volumes (their keys) the deploy confirms exist on other nodes, whose volumes the engine cannot show
   * (--confirm-external): not refused for being absent here when no service mounting them may run here.
   */
  confirmedExternal?: string[];
}

export interface PreflightResult {
  engine: EngineSummary;
  findings: DeployFinding[];
  volumes: VolumeState[];
  /** The stack's services as the engine runs them before the deploy (for the wait). */
  running: SwarmService[];
  /** False when the engine could not be asked (unreachable, not a manager): the other checks did not run. */
  complete: boolean;
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
}

/** Old and new option values in columns, only the keys that differ, secrets hidden. */
export function optionTable(before: Record<string, string>, after: Record<string, string>, beforeLabel: string, what = 'option'): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => before[key] !== after[key]).sort();
  const show = (value: string | undefined) => (value === undefined ? '(unset)' : JSON.stringify(value));
  const rows = [[what, beforeLabel, 'new'], ...keys.map((key) => [key, show(before[key]), show(after[key])])];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`.trimEnd());
}

function driftFinding(state: VolumeState, secretOptions: string[], secrets: string[], allowDrift: boolean): DeployFinding {
  const hide = (options: Record<string, string>) => {
    const redacted = redactOptions(options, secretOptions);
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(redacted)) setOwn(out, key, redactText(value, secrets));
    return out;
  };
  const lines: string[] = [];
  for (const seen of state.differences) lines.push(...describeDifference(state, seen, hide));
  const optionsChanged = state.differences.some((seen) => !sameOptions(seen.options, state.options));
  const labelsChanged = state.labels !== undefined && state.differences.some((seen) => labelDifferences(seen.labels ?? {}, state.labels ?? {}).length > 0);
  const what = state.driverChanged ? 'driver' : [optionsChanged ? 'options' : '', labelsChanged ? 'labels' : ''].filter(Boolean).join(' and ') || 'options';
  const existing = state.exists ? `on this engine and ` : '';
  const docker = state.driverChanged
    ? `Docker creates a new, empty volume with driver "${state.driver}" on nodes that have no "${state.engineName}" yet, while the data stays in the existing volume; ` +
      `on a node that has it (${existing}wherever a task ran), the task fails because a volume name is unique per node`
    : `Docker keeps the existing volume "${state.engineName}" with its old ${what} wherever it exists and applies the new ${what} only where it creates the volume anew; ` +
      `the services are updated, so their tasks restart`;
  const message =
    `volume "${state.volume}" (${state.engineName}) would change its ${what}, which Docker never applies to an existing volume\n` +
    lines.map((line) => `    ${line}`).join('\n') +
    `\n  ${allowDrift ? 'deploying anyway (--allow-drift): ' : 'if deployed: '}${docker}`;
  const hint = state.driverChanged
    ? `keep driver "${state.differences[0].driver}", or copy the data into a volume with a new name (name: ${state.engineName}-v2) and deploy that; --allow-drift deploys anyway`
    : `keep the old ${what}, or give the volume a new name (name: ${state.engineName}-v2) and move the data across; --allow-drift deploys anyway`;
  return { code: 'volume-drift', severity: allowDrift ? 'warning' : 'error', message, hint, volume: state.volume, path: volumePath(state.volume) };
}

function describeDifference(state: VolumeState, seen: SeenAs, hide: (options: Record<string, string>) => Record<string, string>): string[] {
  const lines = [`running (${seen.source}):`];
  if (driverKey(seen.driver) !== state.driver) {
    lines.push(`  driver  ${JSON.stringify(seen.driver)} -> ${JSON.stringify(state.driver)} (the new volume starts empty; the data stays with ${JSON.stringify(seen.driver)})`);
  }
  const table = optionTable(hide(seen.options), hide(state.options), 'running');
  if (table.length > 1) lines.push(...table.map((row) => `  ${row}`));
  if (state.labels !== undefined) {
    const keys = labelDifferences(seen.labels ?? {}, state.labels);
    const pick = (labels: Record<string, string>) => {
      const out: Record<string, string> = {};
      for (const key of keys) if (Object.hasOwn(labels, key)) setOwn(out, key, labels[key]);
      return out;
    };
    const labels = optionTable(pick(seen.labels ?? {}), pick(state.labels), 'running', 'label');
    if (labels.length > 1) lines.push(...labels.map((row) => `  ${row}`));
  }
  return lines;
}

const CONSTRAINT_KEYS = 'constraint keys: node.id, node.hostname, node.ip, node.role, node.platform.os, node.platform.arch, node.labels.<name>, engine.labels.<name>';

/**
 * Why Swarm cannot use a placement constraint, or undefined: its manager refuses one it cannot read (after docker
 * created the services before it), and one whose key it does not know, or a node.ip that is no address, matches no
 * node.
 */
function constraintProblem(service: string, text: string): { message: string; hint: string } | undefined {
  const read = readConstraint(text);
  const head = `service "${service}": placement constraint ${JSON.stringify(text)}`;
  if ('problem' in read) {
    if (read.problem === 'operator') return { message: `${head} is not "key == value" or "key != value": Swarm refuses the service`, hint: CONSTRAINT_KEYS };
    if (read.problem === 'key') return { message: `${head}: Swarm refuses the service, as its key ${JSON.stringify(read.key)} is not a name (letters, digits, ., - and _)`, hint: CONSTRAINT_KEYS };
    const quoted = /^(["']).*\1$/.test(read.value ?? '');
    return {
      message: `${head}: Swarm refuses the service, as its value ${JSON.stringify(read.value)} holds a character it does not take in a constraint (it takes letters, digits, spaces and : - _ . * ( ) ? + [ ] \\ ^ $ | /)`,
      hint: quoted ? `write the value without quotes: ${read.key} ${text.includes('==') ? '==' : '!='} ${(read.value ?? '').slice(1, -1)}` : 'give the node a label value of those characters, and constrain on that',
    };
  }
  if (!knownConstraintKey(read.key)) {
    return { message: `${head} names "${read.key}", which Swarm does not know: it would place no task on any node`, hint: CONSTRAINT_KEYS };
  }
  if (read.key.toLowerCase() === 'node.ip' && ipMatcher(read.value) === undefined) {
    return {
      message: `${head}: "${read.value}" is not an IP address or a subnet, so Swarm would place no task on any node`,
      hint: 'write an address or a subnet of the nodes (node.ip == 10.0.1.5, node.ip != 10.0.2.0/24); for a host name, use node.hostname',
    };
  }
  return undefined;
}

/**
 * Each service's placement as Swarm's scheduler reads it: a constraint that is not `key == value` or
 * `key != value` makes Swarm refuse the service (after docker created the services before it); one whose key the
 * scheduler does not know (`node.label.zone`) matches no node; and constraints no node meets, or fewer nodes than
 * replicas over max_replicas_per_node, leave tasks pending.
 */
function placementFindings(services: readonly StackService[], nodes: readonly SwarmNode[]): DeployFinding[] {
  const findings: DeployFinding[] = [];
  for (const service of services) {
    if (service.mode === 'replicated' && service.replicas === 0) continue;
    let usable = true;
    for (const [index, text] of service.constraints.entries()) {
      const problem = constraintProblem(service.name, text);
      if (problem === undefined) continue;
      usable = false;
      findings.push({ code: 'invalid-constraint', severity: 'error', ...problem, service: service.name, path: [...constraintsPath(service.name), index] });
    }
    if (!usable) continue;
    const eligible = eligibleNodes(nodes, service.constraints);
    // Swarm places at most max_replicas_per_node tasks of a service on a node: the rest stay pending.
    const replicas = service.replicas ?? 1;
    if (eligible.length > 0 && service.mode === 'replicated' && service.maxPerNode !== undefined && eligible.length * service.maxPerNode < replicas) {
      const room = eligible.length * service.maxPerNode;
      findings.push({
        code: 'not-enough-nodes',
        severity: 'error',
        message:
          `service "${service.name}" asks for ${replicas} replicas, at most ${service.maxPerNode} per node (max_replicas_per_node), ` +
          `and ${eligible.length === 1 ? '1 node' : `${eligible.length} nodes`} can run it (${eligible.map(nodeName).join(', ')}` +
          `${service.constraints.length > 0 ? `; placement: ${service.constraints.join(', ')}` : ''}): ` +
          `${replicas - room} of its tasks would stay pending`,
        hint: `lower replicas to ${room}, raise max_replicas_per_node to ${Math.ceil(replicas / eligible.length)}, or add nodes the service may run on`,
        service: service.name,
        path: ['services', service.name, 'deploy', 'placement', 'max_replicas_per_node'],
      });
    }
    if (eligible.length === 0) {
      findings.push({
        code: 'no-eligible-node',
        severity: 'error',
        message:
          `no node can run service "${service.name}" ` +
          `(${service.constraints.length > 0 ? `placement: ${service.constraints.join(', ')}` : 'every node is drained or down'}): its tasks would stay pending`,
        hint: 'check the placement constraints against `docker node ls` and the nodes\' labels',
        service: service.name,
        path: service.constraints.length > 0 ? constraintsPath(service.name) : ['services', service.name],
      });
    }
  }
  return findings;
}

/**
 * With --prune, docker removes the services of the running stack that the file no longer has: said before it
 * happens, in the dry run as in the deploy, with the volumes they mount (which stay).
 */
function prunedFindings(input: PreflightInput, running: readonly SwarmService[]): DeployFinding[] {
  const declared = new Set(input.services.map((service) => `${input.stack}_${service.name}`));
  return running
    .filter((service) => !declared.has(service.Spec.Name))
    .map((service) => {
      const volumes = (service.Spec.TaskTemplate?.ContainerSpec?.Mounts ?? []).filter((mount) => (mount.Type ?? 'volume') === 'volume' && mount.Source).map((mount) => mount.Source as string);
      return {
        code: 'service-pruned',
        severity: 'warning' as const,
        message:
          `--prune removes service ${service.Spec.Name}: it runs in stack ${input.stack}, and the stack file no longer has it` +
          (volumes.length > 0 ? `; the volumes it mounts stay (${[...new Set(volumes)].join(', ')})` : ''),
        hint: 'keep the service in the stack file to keep it running, or leave out --prune to leave it as it runs',
        service: service.Spec.Name,
      };
    });
}

function driverFindings(input: PreflightInput, nodes: SwarmNode[], local: { nodeId?: string; info: EngineInfo; plugins: ManagedPlugin[] }): DeployFinding[] {
  const findings: DeployFinding[] = [];
  for (const volume of input.volumes) {
    if (volume.external || driverKey(volume.driver) === 'local') continue;
    for (const serviceName of volume.services) {
      const service = input.services.find((s) => s.name === serviceName);
      if (!service || (service.mode === 'replicated' && service.replicas === 0)) continue;
      const found = driverAvailability(serviceName, service.constraints, volume.driver ?? 'local', nodes, local);
      const where = service.constraints.length > 0 ? ` (placement: ${service.constraints.join(', ')})` : '';
      // A service no node can run is reported once, by placementFindings.
      if (found.eligible.length > 0 && found.withDriver.length === 0) {
        const disabled = found.disabledHere ? `; the plugin "${found.disabledHere}" is installed on this node but disabled` : '';
        findings.push({
          code: 'driver-missing',
          severity: 'error',
          message:
            `no node has volume driver "${found.driver}" for volume "${volume.volume}" (${volume.engineName}), mounted by service "${serviceName}"${where}: ` +
            `its tasks would stay pending ("missing plugin"). Eligible nodes: ${found.eligible.join(', ')}${disabled}`,
          hint: found.disabledHere
            ? `enable it: docker plugin enable ${found.disabledHere}`
            : `install the plugin on the nodes (docker plugin install ${found.driver}), or start the legacy plugin there; ` +
              'a legacy plugin is reported to the Swarm only after its first use on a node (run `docker volume ls` there)',
          volume: volume.volume,
          service: serviceName,
          path: volumePath(volume.volume),
        });
      }
    }
  }
  return findings;
}

/**
 * A volume of this stack whose engine name another stack's volume already has (a `name:` without the stack in it):
 * Swarm would mount that stack's volume, data and all, into this one's services.
 */
function otherStackFinding(stack: string, volume: WantedVolume, everyService: readonly SwarmService[], existing: EngineVolume | undefined): DeployFinding | undefined {
  const owners = new Set<string>();
  const owner = existing?.Labels?.[STACK_NAMESPACE];
  if (owner !== undefined && owner !== stack) owners.add(`stack ${owner} (volume on this engine)`);
  for (const service of everyService) {
    const namespace = service.Spec.Labels?.[STACK_NAMESPACE];
    if (namespace === stack) continue;
    const mounts = service.Spec.TaskTemplate?.ContainerSpec?.Mounts ?? [];
    if (mounts.some((mount) => (mount.Type ?? 'volume') === 'volume' && mount.Source === volume.engineName)) {
      owners.add(namespace === undefined ? `service ${service.Spec.Name}` : `stack ${namespace} (service ${service.Spec.Name})`);
    }
  }
  if (owners.size === 0) return undefined;
  return {
    code: 'volume-of-another-stack',
    severity: 'error',
    message:
      `volume "${volume.volume}" is named "${volume.engineName}" in the engine, and that volume belongs to ${[...owners].join(', ')}: ` +
      `Swarm would mount it, with that stack's data, into this stack's services`,
    hint: `give the volume a name of its own (a name: with {project} or {volume} in it), or, to share it on purpose, declare it external: true here`,
    volume: volume.volume,
    path: volumePath(volume.volume),
  };
}

/**
 * A node-local volume whose data is on nodes where none of the services mounting it may run now: this engine when
 * it has the volume, and the nodes where the running stack's tasks mounting it ran. Swarm would place the tasks on
 * another node, where the engine creates a new, empty volume of that name.
 */
function otherNodeFinding(
  input: PreflightInput,
  servicesByName: ReadonlyMap<string, StackService>,
  volume: PreflightInput['volumes'][number],
  nodes: readonly SwarmNode[],
  holders: ReadonlySet<string>,
): DeployFinding | undefined {
  if (!volume.nodeLocal || volume.external || holders.size === 0) return undefined;
  const names = (ids: Iterable<string>) =>
    [...ids].map((id) => {
      const node = nodes.find((n) => n.ID === id);
      return node ? nodeName(node) : id.slice(0, 12);
    });
  const away: string[] = [];
  for (const serviceName of volume.services) {
    const service = servicesByName.get(serviceName);
    if (!service || (service.mode === 'replicated' && service.replicas === 0)) continue;
    const eligible = eligibleNodes(nodes, service.constraints);
    // A service no node can run is reported once, by placementFindings.
    if (eligible.length === 0 || eligible.some((node) => holders.has(node.ID))) continue;
    away.push(`service "${serviceName}" (${service.constraints.length > 0 ? `placement: ${service.constraints.join(', ')}` : 'no placement'}) may run only on ${names(eligible.map((n) => n.ID)).join(', ')}`);
  }
  if (away.length === 0) return undefined;
  return {
    code: 'volume-on-other-node',
    severity: input.allowDrift ? 'warning' : 'error',
    message:
      `volume "${volume.volume}" (${volume.engineName}) keeps its data on node ${names(holders).join(', ')}, where it was made, but ${away.join('; ')}: ` +
      `${input.allowDrift ? 'deploying anyway (--allow-drift): ' : 'if deployed: '}Swarm places the tasks there, and the engine creates a new, empty volume "${volume.engineName}"`,
    hint: `keep the service on ${names(holders).join(' or ')} (a placement constraint such as node.hostname == ${names(holders)[0]}), or copy the data to the new node first; --allow-drift deploys anyway`,
    volume: volume.volume,
    path: volumePath(volume.volume),
  };
}

/**
 * External secrets, configs and networks that are not in the Swarm (or a network that is not swarm-scoped): docker
 * stack deploy would refuse the stack, a secret or config only after creating the stack's networks.
 */
async function externalFindings(engine: Engine, externals: readonly ExternalObject[]): Promise<DeployFinding[]> {
  const found = await Promise.all(externals.map((external) => engine.swarmObject(external.kind, external.name)));
  const findings: DeployFinding[] = [];
  externals.forEach((external, index) => {
    const object = found[index];
    const section = `${external.kind}s`;
    const named = `external ${external.kind} "${external.name}"${external.key === external.name ? '' : ` (${external.kind} "${external.key}")`}`;
    if (object === undefined) {
      findings.push({
        code: `external-${external.kind}-missing`,
        severity: 'error',
        message: `${named} does not exist in the Swarm: docker stack deploy would stop at it${external.kind === 'network' ? '' : ', after creating the stack\'s networks'}`,
        hint:
          external.kind === 'network'
            ? `create it first (docker network create --driver overlay --attachable ${external.name}), or fix the name`
            : `create it first (docker ${external.kind} create ${external.name} FILE), or fix the name`,
        path: [section, external.key],
      });
    } else if (external.kind === 'network' && object.Scope !== undefined && object.Scope !== 'swarm') {
      findings.push({
        code: 'external-network-not-swarm',
        severity: 'error',
        message: `${named} is a ${object.Scope} network: a stack's services attach only to swarm-scoped networks, so docker stack deploy would refuse the stack`,
        hint: `use an overlay network (docker network create --driver overlay --attachable NAME)`,
        path: [section, external.key],
      });
    }
  });
  return findings;
}

/** Whether an external volume keeps its data on the node that has it: the local driver with no network filesystem. */
function externalNodeLocal(found: EngineVolume | undefined, onOtherNodes: boolean): boolean {
  if (found === undefined) return onOtherNodes;
  if (found.Scope === 'global' || driverKey(found.Driver) !== 'local') return false;
  const options = { ...(found.Options ?? {}) };
  const local = findDriver('local');
  return options.type !== 'tmpfs' && local !== undefined && attachModeOf(local, options) === 'node-local';
}

/**
 * A volume about to be created under a new engine name while its data sits under the old one: a running service
 * of the stack mounts another volume at the same place, or the stack's default name `<stack>_<volume>` exists
 * (an earlier deploy without `name:`, or a policy's `name:` added since). The services would start on an empty
 * volume.
 */
function renamedFinding(input: PreflightInput, volume: PreflightInput['volumes'][number], running: readonly SwarmService[], defaultVolume: EngineVolume | undefined): DeployFinding | undefined {
  const holders: string[] = [];
  for (const mount of volume.mounts ?? []) {
    const service = running.find((s) => s.Spec.Name === `${input.stack}_${mount.service}`);
    const before = service?.Spec.TaskTemplate?.ContainerSpec?.Mounts?.find((m) => m.Target === mount.target);
    if (before && (before.Type ?? 'volume') === 'volume' && before.Source && before.Source !== volume.engineName) {
      holders.push(`"${before.Source}" (mounted at ${mount.target} by service ${service?.Spec.Name})`);
    }
  }
  if (holders.length === 0 && defaultVolume) holders.push(`"${defaultVolume.Name}" (exists on this engine, the stack's own name for it)`);
  if (holders.length === 0) return undefined;
  const unique = [...new Set(holders)];
  const old = unique[0].slice(1, unique[0].indexOf('"', 1));
  return {
    code: 'volume-renamed',
    severity: input.allowDrift ? 'warning' : 'error',
    message:
      `volume "${volume.volume}" would be the new, empty volume "${volume.engineName}", while its data is in ${unique.join(', ')}: ` +
      `${input.allowDrift ? 'deploying anyway (--allow-drift): ' : 'if deployed: '}the services start on an empty volume`,
    hint: `copy the data from "${old}" into a volume "${volume.engineName}" first (created with the same driver and options), or keep the name "${old}"; --allow-drift deploys anyway`,
    volume: volume.volume,
    path: volumePath(volume.volume),
  };
}

/** The services that mount a volume and run tasks (not scaled to 0), with the nodes their placement allows. */
function mountingServices(
  volume: PreflightInput['volumes'][number],
  servicesByName: ReadonlyMap<string, StackService>,
  nodes: readonly SwarmNode[],
): { name: string; constraints: string[]; eligible: SwarmNode[] }[] {
  const mounting: { name: string; constraints: string[]; eligible: SwarmNode[] }[] = [];
  for (const name of volume.services) {
    const service = servicesByName.get(name);
    if (!service || (service.mode === 'replicated' && service.replicas === 0)) continue;
    mounting.push({ name, constraints: service.constraints, eligible: eligibleNodes(nodes, service.constraints) });
  }
  return mounting;
}

/**
 * An external volume this engine does not have (and the running stack's tasks never mounted). The engine sees only
 * its own node's volumes: where every node the services mounting it may run on is this one, it is missing, and
 * Swarm would create an empty one; where they may run on this node and others, a task placed here gets an empty
 * one; where they may run only on other nodes, the preflight cannot tell, and the volume is refused unless the
 * deploy confirms it exists there (--confirm-external).
 */
function externalUnseenFinding(
  input: PreflightInput,
  volume: PreflightInput['volumes'][number],
  servicesByName: ReadonlyMap<string, StackService>,
  nodes: readonly SwarmNode[],
  here: string | undefined,
  engineName: string | undefined,
): { finding: DeployFinding; elsewhere?: 'confirmed' | 'unconfirmed' } | undefined {
  const thisNode = nodes.find((node) => node.ID === here);
  const hereName = thisNode ? nodeName(thisNode) : engineName ?? 'this node';
  // A service no node can run is reported once, by placementFindings.
  const mounting = mountingServices(volume, servicesByName, nodes).filter((m) => m.eligible.length > 0);
  if (mounting.length === 0) return undefined;
  const others = [...new Map(mounting.flatMap((m) => m.eligible).filter((node) => node.ID !== here).map((node) => [node.ID, nodeName(node)])).values()];
  const onHere = mounting.filter((m) => m.eligible.some((node) => node.ID === here)).map((m) => `"${m.name}"`);
  const named = `external volume "${volume.engineName}" (volume "${volume.volume}")`;
  const confirmed = (input.confirmedExternal ?? []).includes(volume.volume);
  const base = { volume: volume.volume, path: volumePath(volume.volume) };
  const empty = 'Swarm would create an empty one with the local driver where a task lands';
  if (others.length === 0) {
    return {
      finding: {
        ...base,
        code: 'external-volume-missing',
        severity: 'error',
        message: `${named} does not exist on this engine (node ${hereName}), the only node its services can run on: ${empty}`,
        hint: `create it first (docker volume create --driver DRIVER ${volume.engineName}), or fix the name`,
      },
    };
  }
  const unseen = `the preflight sees the volumes of this engine's node only, not those of ${others.join(', ')}`;
  if (onHere.length > 0) {
    return {
      finding: {
        ...base,
        code: 'external-volume-missing',
        severity: 'error',
        message:
          `${named} does not exist on this engine (node ${hereName}), where service ${onHere.join(', service ')} may run: a task placed there gets a new, empty one ` +
          `with the local driver (${unseen})`,
        hint:
          `if it exists on ${others.join(' or ')}, keep the services there with a placement constraint (node.hostname == ${others[0]}, or node.hostname != ${hereName}) ` +
          `and confirm it with --confirm-external ${volume.volume}; else create it first (docker volume create --driver DRIVER ${volume.engineName}), or fix the name`,
      },
    };
  }
  const where = mounting.map((m) => `service "${m.name}" may run on ${m.eligible.map(nodeName).join(', ')}${m.constraints.length > 0 ? ` (placement: ${m.constraints.join(', ')})` : ''}`).join('; ');
  if (confirmed) {
    // Confirmed: it is said where it must be, and a service that may land on several nodes needs it on each.
    const several = mounting.some((m) => m.eligible.length > 1);
    return {
      elsewhere: 'confirmed',
      finding: {
        ...base,
        code: 'external-volume-elsewhere',
        severity: several ? 'warning' : 'info',
        message:
          `${named} is not on this engine (node ${hereName}); deployed as confirmed (--confirm-external) to exist where its services run: ${where}` +
          (several ? `: a task placed on a node without it gets a new, empty one` : ''),
        hint: several ? `make sure it exists on each of those nodes, or keep the services on the ones that have it (node.hostname == NODE)` : undefined,
      },
    };
  }
  return {
    elsewhere: 'unconfirmed',
    finding: {
      ...base,
      code: 'external-volume-unconfirmed',
      severity: 'error',
      message:
        `${named} is not on this engine (node ${hereName}), and ${unseen}, where its services run (${where}): ` +
        `if it exists on none of them, ${empty}`,
      hint:
        `check it there (docker volume inspect ${volume.engineName} on ${others.join(', ')}), then deploy with --confirm-external ${volume.volume}; ` +
        `else create it first, or fix the name`,
    },
  };
}

/**
 * The local driver's volumes are objects of each node, and the engine shows its own node's only. A volume "new" here
 * whose services may run on other nodes may still be there under that name (left by an earlier deploy of the
 * stack, or made by hand): Docker would use it as it is, its options and data, and no drift could be seen. Said
 * once, naming the volumes and the nodes that were not checked.
 */
function unseenNodesFinding(
  input: PreflightInput,
  states: readonly VolumeState[],
  servicesByName: ReadonlyMap<string, StackService>,
  nodes: readonly SwarmNode[],
  here: string | undefined,
): DeployFinding | undefined {
  const volumes: string[] = [];
  const others = new Map<string, string>();
  for (const [index, volume] of input.volumes.entries()) {
    if (volume.external || states[index]?.state !== 'new' || driverKey(volume.driver) !== 'local') continue;
    let away = false;
    for (const { eligible } of mountingServices(volume, servicesByName, nodes)) {
      for (const node of eligible) {
        if (node.ID === here) continue;
        others.set(node.ID, nodeName(node));
        away = true;
      }
    }
    if (away) volumes.push(volume.engineName);
  }
  if (volumes.length === 0) return undefined;
  const thisNode = nodes.find((node) => node.ID === here);
  const list = [...others.values()];
  return {
    code: 'volumes-unseen-on-nodes',
    severity: 'info',
    message:
      `${volumes.length === 1 ? 'volume' : 'volumes'} ${volumes.join(', ')} ${volumes.length === 1 ? 'is' : 'are'} new on this engine` +
      `${thisNode ? ` (node ${nodeName(thisNode)})` : ''}, the only node whose volumes the preflight sees; their services may also run on ${list.join(', ')}: ` +
      `a volume of that name left there (by an earlier deploy of the stack, or made by hand) would be used as it is, with its own options and data, and no drift could be seen`,
    hint: `to be sure, look on those nodes: docker volume inspect ${volumes.join(' ')}`,
  };
}

export async function preflight(engine: Engine, summary: EngineSummary, input: PreflightInput): Promise<PreflightResult> {
  // Until the engine has been asked, each volume is shown as the plan has it.
  const unchecked: VolumeState[] = input.volumes.map((volume) => ({
    volume: volume.volume,
    engineName: volume.engineName,
    driver: driverKey(volume.driver),
    options: volume.options,
    state: volume.external ? 'external' : 'unchecked',
    services: volume.services,
    exists: false,
    differences: [],
    driverChanged: false,
  }));
  const result: PreflightResult = { engine: summary, findings: [], volumes: unchecked, running: [], complete: false };
  try {
    const version = await engine.version();
    summary.version = version.Version;
    summary.api = version.ApiVersion;
  } catch (error) {
    const problem = error instanceof EngineError ? error : undefined;
    result.findings.push({
      code: 'engine-unreachable',
      severity: 'error',
      message: `cannot reach the Docker engine at ${summary.host} (from ${summary.from}): ${problem?.reason ?? errorText(error)}`,
      hint: problem?.hint ?? 'start the engine, or choose another one with --context, DOCKER_CONTEXT or DOCKER_HOST',
    });
    return result;
  }
  const info = await engine.info();
  summary.name = info.Name;
  const swarm = info.Swarm ?? {};
  if (swarm.LocalNodeState !== 'active') {
    result.findings.push({
      code: 'swarm-inactive',
      severity: 'error',
      message: `the engine at ${summary.host} is not part of an active Swarm (state: ${swarm.LocalNodeState || 'inactive'})`,
      hint: 'run `docker swarm init` there, or point --context / DOCKER_HOST at a Swarm manager',
    });
    return result;
  }
  if (swarm.ControlAvailable !== true) {
    result.findings.push({
      code: 'not-manager',
      severity: 'error',
      message: `the engine at ${summary.host} is a Swarm worker: stacks are deployed through a manager`,
      hint: 'point --context / DOCKER_HOST at a manager (`docker node ls` on a manager lists them)',
    });
    return result;
  }
  const [nodes, plugins, everyService] = await Promise.all([engine.nodes(), engine.plugins().catch(() => [] as ManagedPlugin[]), engine.services()]);
  const running = everyService.filter((service) => service.Spec.Labels?.[STACK_NAMESPACE] === input.stack);
  result.running = running;
  if (input.prune) result.findings.push(...prunedFindings(input, running));
  result.findings.push(...placementFindings(input.services, nodes));
  result.findings.push(...driverFindings(input, nodes, { nodeId: swarm.NodeID, info, plugins }));
  result.findings.push(...(await externalFindings(engine, input.externals ?? [])));
  const existing = await Promise.all(input.volumes.map((volume) => engine.volume(volume.engineName)));
  // Where the running stack's tasks ran (a task's history included): each made its node-local volumes there.
  const ranOn = input.volumes.some((volume) => volume.nodeLocal || volume.external) ? await engine.tasks(running.map((service) => service.ID)) : [];
  // The name each volume had under the stack's default naming: where a `name:` now points elsewhere, the data is there.
  const defaultNames = await Promise.all(
    input.volumes.map((volume) => {
      const name = `${input.stack}_${volume.volume}`;
      return volume.external || name === volume.engineName ? Promise.resolve(undefined) : engine.volume(name);
    }),
  );
  // The nodes each engine volume was mounted on by the running stack's tasks, in the order the tasks are listed.
  const runningById = new Map(running.map((service) => [service.ID, service]));
  const mountedOn = new Map<string, Set<string>>();
  for (const task of ranOn) {
    if (!task.NodeID) continue;
    for (const mount of runningById.get(task.ServiceID)?.Spec.TaskTemplate?.ContainerSpec?.Mounts ?? []) {
      if ((mount.Type ?? 'volume') !== 'volume' || mount.Source === undefined) continue;
      const on = mountedOn.get(mount.Source) ?? new Set<string>();
      mountedOn.set(mount.Source, on.add(task.NodeID));
    }
  }
  const servicesByName = new Map(input.services.map((service) => [service.name, service]));
  result.volumes = [];
  input.volumes.forEach((volume, index) => {
    const state = compareVolume(volume, running, existing[index]);
    result.volumes.push(state);
    if (!volume.external) {
      const other = otherStackFinding(input.stack, volume, everyService, existing[index]);
      if (other) result.findings.push(other);
    }
    const holders = new Set<string>();
    if (existing[index] && existing[index]?.Scope !== 'global' && swarm.NodeID) holders.add(swarm.NodeID);
    const ranWith = mountedOn.get(volume.engineName) ?? new Set<string>();
    for (const node of ranWith) holders.add(node);
    // An external volume is what the engine has: node-local when the local driver keeps it on a node, as is one this
    // engine cannot see that the running stack's tasks mounted on other nodes.
    const judged = volume.external ? { ...volume, external: false, nodeLocal: externalNodeLocal(existing[index], ranWith.size > 0) } : volume;
    const away = otherNodeFinding(input, servicesByName, judged, nodes, holders);
    if (away) result.findings.push(away);
    if (state.state === 'new') {
      const renamed = renamedFinding(input, volume, running, defaultNames[index]);
      if (renamed) result.findings.push(renamed);
    }
    if (state.state === 'drift') result.findings.push(driftFinding(state, volume.secretOptions, input.secrets, input.allowDrift));
    // Not on this engine, but where the running stack's tasks mounted it: it is there.
    if (state.state === 'external' && !state.exists && ranWith.size === 0) {
      const unseen = externalUnseenFinding(input, volume, servicesByName, nodes, swarm.NodeID, info.Name);
      if (unseen?.elsewhere) state.elsewhere = unseen.elsewhere;
      if (unseen) result.findings.push(unseen.finding);
    }
  });
  const unseen = unseenNodesFinding(input, result.volumes, servicesByName, nodes, swarm.NodeID);
  if (unseen) result.findings.push(unseen);
  result.complete = true;
  return result;
}
