/**
 * Service references: the places a service names another service of the project. Compose turns each into a
 * dependency (it starts that service first), refuses a name no service has ("service "a" depends on undefined
 * service "b"") and a cycle ("dependency cycle detected: a -> b -> a"):
 * - `depends_on` (a list or a mapping);
 * - `volumes_from: [db, "db:ro"]` (`container:NAME` names a container outside the project);
 * - `links: [db, "db:alias"]`;
 * - `network_mode`, `ipc`, `pid`, `uts`, `cgroup` written `service:NAME` (`container:NAME` is outside the project).
 * One reading of each entry here serves the checks below and the mounts `volumes_from` shares (mounts.ts).
 */
import type { DocPath } from '../findings.js';
import { isTree } from './merge.js';

export type ReferenceKey = 'depends_on' | 'volumes_from' | 'links' | 'network_mode' | 'ipc' | 'pid' | 'uts' | 'cgroup';

export interface ServiceReference {
  name: string;
  key: ReferenceKey;
  /** Where it is written, below the service. */
  at: DocPath;
  /** false only for a long-form depends_on entry with `required: false`, which a disabled service may leave out. */
  required: boolean;
}

/** A `volumes_from` entry as read: a service of the project or a container outside it, with the mode. */
export type VolumesFromEntry =
  | { kind: 'service'; name: string; readOnly?: boolean }
  | { kind: 'container'; name: string; readOnly?: boolean }
  | { kind: 'invalid'; problem: string; hint: string };

/** The modes a volumes_from entry takes (comma-separated): Docker refuses the copy modes and anything else. */
const VOLUMES_FROM_MODES = new Set(['ro', 'rw', 'z', 'Z']);

function readMode(mode: string | undefined): { readOnly?: boolean; bad?: string } {
  if (mode === undefined || mode === '') return {};
  const parts = mode.split(',');
  const bad = parts.find((part) => !VOLUMES_FROM_MODES.has(part));
  if (bad !== undefined) return { bad };
  return { readOnly: parts.includes('ro') ? true : parts.includes('rw') ? false : undefined };
}

/** `SERVICE[:MODE]` or `container:NAME[:MODE]`, MODE being ro or rw (with z or Z). */
export function parseVolumesFrom(entry: string): VolumesFromEntry {
  const container = entry.startsWith('container:');
  const rest = container ? entry.slice('container:'.length) : entry;
  const parts = rest.split(':');
  const name = parts[0];
  const what = container ? 'container' : 'service';
  if (name === '') {
    return entry === ''
      ? { kind: 'invalid', problem: 'is empty', hint: 'write the service to share volumes with (db, or db:ro), or remove the entry' }
      : { kind: 'invalid', problem: `names no ${what}`, hint: container ? 'write container:NAME, NAME being a container outside the project' : 'write SERVICE or SERVICE:ro before the mode' };
  }
  if (parts.length > 2) return { kind: 'invalid', problem: `has more than one ":" after the ${what} name`, hint: `write ${container ? 'container:NAME' : 'SERVICE'}:MODE, MODE being ro or rw` };
  const mode = readMode(parts[1]);
  if (mode.bad !== undefined) return { kind: 'invalid', problem: `has the mode "${mode.bad}", which Docker refuses ("invalid mode")`, hint: 'the mode is ro or rw (with z or Z for SELinux)' };
  if (container) return { kind: 'container', name, readOnly: mode.readOnly };
  return { kind: 'service', name, readOnly: mode.readOnly };
}

/** `links` entries: `SERVICE` or `SERVICE:ALIAS`. */
function parseLink(entry: string): { name: string } | { problem: string } {
  const parts = entry.split(':');
  if (parts[0] === '') return { problem: entry === '' ? 'is empty' : 'names no service' };
  if (parts.length > 2) return { problem: 'has more than one ":", which Docker refuses ("bad format for links")' };
  return { name: parts[0] };
}

const NAMESPACES = ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'] as const;

/** An entry naming a service or container the way Compose cannot read. */
export interface MalformedReference {
  key: ReferenceKey;
  at: DocPath;
  entry: string;
  problem: string;
  hint: string;
}

/** Every reference of one service to another, and the entries that are written wrong. */
export function serviceReferences(service: unknown): { references: ServiceReference[]; malformed: MalformedReference[] } {
  const references: ServiceReference[] = [];
  const malformed: MalformedReference[] = [];
  if (!isTree(service)) return { references, malformed };
  const value = service.depends_on;
  if (Array.isArray(value)) {
    value.forEach((name, i) => typeof name === 'string' && references.push({ name, key: 'depends_on', at: ['depends_on', i], required: true }));
  } else if (isTree(value)) {
    for (const name of Object.keys(value)) {
      const spec = value[name];
      references.push({ name, key: 'depends_on', at: ['depends_on', name], required: !(isTree(spec) && spec.required === false) });
    }
  }
  const from = service.volumes_from;
  if (Array.isArray(from)) {
    from.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const read = parseVolumesFrom(entry);
      if (read.kind === 'service') references.push({ name: read.name, key: 'volumes_from', at: ['volumes_from', i], required: true });
      else if (read.kind === 'invalid') malformed.push({ key: 'volumes_from', at: ['volumes_from', i], entry, problem: read.problem, hint: read.hint });
    });
  }
  const links = service.links;
  if (Array.isArray(links)) {
    links.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const read = parseLink(entry);
      if ('name' in read) references.push({ name: read.name, key: 'links', at: ['links', i], required: true });
      else malformed.push({ key: 'links', at: ['links', i], entry, problem: read.problem, hint: 'write SERVICE or SERVICE:ALIAS' });
    });
  }
  for (const key of NAMESPACES) {
    const mode = service[key];
    if (typeof mode !== 'string') continue;
    const prefix = mode.startsWith('service:') ? 'service:' : mode.startsWith('container:') ? 'container:' : undefined;
    if (prefix === undefined) continue;
    const name = mode.slice(prefix.length);
    if (name === '') {
      const what = prefix === 'service:' ? 'service' : 'container';
      malformed.push({ key, at: [key], entry: mode, problem: `names no ${what}`, hint: `write ${prefix}NAME` });
    } else if (prefix === 'service:') references.push({ name, key, at: [key], required: true });
  }
  return { references, malformed };
}

function dependencies(service: unknown): string[] {
  return serviceReferences(service).references.map((reference) => reference.name);
}

/**
 * The first cycle, as the chain of service names (its first name repeated at the end), and where it starts.
 * Walked with a stack of its own: a chain of thousands of dependencies is a valid project, not a stack overflow.
 */
export function dependencyCycle(services: unknown): { chain: string[]; path: DocPath } | undefined {
  if (!isTree(services)) return undefined;
  const state = new Map<string, 'open' | 'done'>();
  const known = (name: string) => Object.prototype.hasOwnProperty.call(services, name);
  for (const start of Object.keys(services)) {
    if (state.get(start) === 'done') continue;
    // The open chain: each service with the dependencies it has still to follow.
    const chain: string[] = [start];
    const pending: string[][] = [dependencies(services[start])];
    const followed: number[] = [0];
    const at = new Map<string, number>([[start, 0]]);
    state.set(start, 'open');
    while (chain.length > 0) {
      const top = pending.length - 1;
      if (followed[top] === pending[top].length) {
        state.set(chain.pop()!, 'done');
        pending.pop();
        followed.pop();
        continue;
      }
      const next = pending[top][followed[top]++];
      if (state.get(next) === 'done' || !known(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = [...chain.slice(at.get(next)), next];
        const edge = serviceReferences(services[cycle[0]]).references.find((reference) => reference.name === cycle[1]);
        return { chain: cycle, path: ['services', cycle[0], ...(edge?.at.slice(0, 1) ?? ['depends_on'])] };
      }
      state.set(next, 'open');
      at.set(next, chain.length);
      chain.push(next);
      pending.push(dependencies(services[next]));
      followed.push(0);
    }
  }
  return undefined;
}

/** The first entry of `services` that names a service or container the way Compose cannot read, with its path. */
export function malformedReference(services: unknown): (MalformedReference & { service: string; path: DocPath }) | undefined {
  if (!isTree(services)) return undefined;
  for (const name of Object.keys(services)) {
    const found = serviceReferences(services[name]).malformed[0];
    if (found) return { ...found, service: name, path: ['services', name, ...found.at] };
  }
  return undefined;
}

/**
 * The first service reference of `services` naming a service that `defined` (every service of the project, those
 * its profiles switch off included) does not hold, with the entry's path.
 */
export function undefinedDependency(
  services: unknown,
  defined: ReadonlySet<string>,
): { service: string; dependency: string; path: DocPath; key: ReferenceKey } | undefined {
  if (!isTree(services)) return undefined;
  for (const name of Object.keys(services)) {
    const missing = serviceReferences(services[name]).references.find((reference) => !defined.has(reference.name));
    if (missing === undefined) continue;
    return { service: name, dependency: missing.name, path: ['services', name, ...missing.at], key: missing.key };
  }
  return undefined;
}

/** How a message says that a service refers to another through `key`. */
export function referenceVerb(key: ReferenceKey): string {
  switch (key) {
    case 'depends_on':
      return 'depends on';
    case 'volumes_from':
      return 'takes the volumes of';
    case 'links':
      return 'links to';
    case 'network_mode':
      return 'shares the network of';
    default:
      return `shares the ${key} namespace of`;
  }
}

/** Where a message about a reference points: a depends_on entry at its key (the long form's key is the name), others at the entry. */
export function referencePoint(key: ReferenceKey): 'key' | 'value' {
  return key === 'depends_on' ? 'key' : 'value';
}
