/** Which services mount which named volumes, from both the short and the long volume syntax. */
import type { DocPath } from '../findings.js';
import { hasOwn, setOwn } from '../own.js';
import { parseVolumesFrom } from './depends.js';

export interface VolumeMount {
  service: string;
  /** Named volume key (top-level `volumes:`), for mounts of type volume. */
  volume: string;
  target?: string;
  readOnly: boolean;
  syntax: 'short' | 'long';
  path: DocPath;
  /** The service whose mount this one shares through `volumes_from` (path is then the volumes_from entry). */
  from?: string;
}

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => !!value && typeof value === 'object' && !Array.isArray(value);

export function asObject(value: unknown): Obj {
  return isObject(value) ? value : {};
}

/** A mapping's values as the strings a driver receives (driver_opts); empty entries are left out. */
export function stringValues(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asObject(value))) if (entry !== null && entry !== undefined) setOwn(out, key, String(entry));
  return out;
}

/**
 * A short-syntax source that is not a path is a named volume: paths start with / . ~ or a Windows drive letter,
 * and a lone target is an anonymous volume.
 */
function shortSource(spec: string): { source?: string; target?: string; mode?: string } {
  const driveAware = spec.match(/^([A-Za-z]:[\\/][^:]*|[^:]*)(?::([A-Za-z]:[\\/][^:]*|[^:]*))?(?::(.*))?$/);
  if (!driveAware) return {};
  const [, first, second, third] = driveAware;
  if (second === undefined) return { target: first };
  return { source: first, target: second, mode: third };
}

function isPathSource(source: string): boolean {
  return /^([/.~]|[A-Za-z]:[\\/]|\\\\)/.test(source) || source.startsWith('$');
}

/**
 * Every mount of a named volume: those a service writes under `volumes`, then those it shares with other services
 * through `volumes_from` (the volume mounted at the same place, mounted by that service too).
 */
export function serviceMounts(model: Obj): VolumeMount[] {
  const services = asObject(model.services);
  const own = ownMounts(services);
  return [...own, ...sharedMounts(services, own)];
}

function ownMounts(services: Obj): VolumeMount[] {
  const mounts: VolumeMount[] = [];
  for (const [service, definition] of Object.entries(services)) {
    const volumes = asObject(definition).volumes;
    if (!Array.isArray(volumes)) continue;
    volumes.forEach((entry, index) => {
      const path = ['services', service, 'volumes', index];
      if (typeof entry === 'string') {
        const { source, target, mode } = shortSource(entry);
        if (!source || isPathSource(source)) return;
        const readOnly = (mode ?? '').split(',').includes('ro');
        mounts.push({ service, volume: source, target, readOnly, syntax: 'short', path });
      } else if (isObject(entry)) {
        const type = entry.type ?? 'volume';
        if (type !== 'volume' || typeof entry.source !== 'string' || entry.source === '') return;
        mounts.push({
          service,
          volume: entry.source,
          target: typeof entry.target === 'string' ? entry.target : undefined,
          readOnly: entry.read_only === true || entry.read_only === 'true',
          syntax: 'long',
          path,
        });
      }
    });
  }
  return mounts;
}

/** The services a service's `volumes_from` names, with the mode (read by parseVolumesFrom, as the checks read it). */
function volumesFrom(definition: unknown): { service: string; readOnly?: boolean; index: number }[] {
  const entries = asObject(definition).volumes_from;
  if (!Array.isArray(entries)) return [];
  const sources: { service: string; readOnly?: boolean; index: number }[] = [];
  entries.forEach((entry, index) => {
    if (typeof entry !== 'string') return;
    const read = parseVolumesFrom(entry);
    if (read.kind === 'service') sources.push({ service: read.name, readOnly: read.readOnly, index });
  });
  return sources;
}

/**
 * The mounts services get through `volumes_from`: every named-volume mount of the service named, its own and those
 * it gets the same way, read-only with `:ro`, read-write with `:rw`, else as that service has it. Walked with a
 * stack of its own (a chain of thousands of services is no stack overflow); a cycle, which Compose refuses, and a
 * service that does not exist add nothing.
 */
function sharedMounts(services: Obj, own: readonly VolumeMount[]): VolumeMount[] {
  const byService = new Map<string, VolumeMount[]>();
  for (const mount of own) {
    const list = byService.get(mount.service);
    if (list) list.push(mount);
    else byService.set(mount.service, [mount]);
  }
  const shared: VolumeMount[] = [];
  const done = new Set<string>();
  const open = new Set<string>();
  for (const start of Object.keys(services)) {
    if (done.has(start) || volumesFrom(services[start]).length === 0) continue;
    const stack: { service: string; sources: ReturnType<typeof volumesFrom>; next: number }[] = [];
    const enter = (service: string) => {
      open.add(service);
      stack.push({ service, sources: volumesFrom(services[service]), next: 0 });
    };
    enter(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.sources.length) {
        const source = top.sources[top.next++].service;
        if (hasOwn(services, source) && !done.has(source) && !open.has(source)) enter(source);
        continue;
      }
      const mine = byService.get(top.service) ?? [];
      for (const source of top.sources) {
        if (!done.has(source.service)) continue;
        for (const mount of byService.get(source.service) ?? []) {
          const readOnly = source.readOnly ?? mount.readOnly;
          const copy: VolumeMount = { ...mount, service: top.service, readOnly, path: ['services', top.service, 'volumes_from', source.index], from: source.service };
          mine.push(copy);
          shared.push(copy);
        }
      }
      byService.set(top.service, mine);
      open.delete(top.service);
      done.add(top.service);
      stack.pop();
    }
  }
  return shared;
}

/** A short-syntax mount (`entry`) of a one-letter volume, and the path Docker reads in it instead. */
export interface DriveLetterMount {
  service: string;
  volume: string;
  entry: string;
  drivePath: string;
  path: DocPath;
}

/**
 * Short-syntax mounts whose source Docker reads as a Windows drive path although its letter is a declared volume:
 * `v:/data` is the path "v:/data" to Docker (an anonymous volume, or with `:ro` a bind mount of "v:/data" on
 * "ro"), not the volume "v" mounted on /data.
 */
export function driveLetterMounts(model: Obj): DriveLetterMount[] {
  const declared = asObject(model.volumes);
  const found: DriveLetterMount[] = [];
  for (const [service, definition] of Object.entries(asObject(model.services))) {
    const volumes = asObject(definition).volumes;
    if (!Array.isArray(volumes)) continue;
    volumes.forEach((entry, index) => {
      const letter = typeof entry === 'string' ? /^([A-Za-z]):[\\/]/.exec(entry)?.[1] : undefined;
      if (letter === undefined || !hasOwn(declared, letter)) return;
      const read = shortSource(entry as string);
      found.push({ service, volume: letter, entry: entry as string, drivePath: read.source ?? read.target ?? '', path: ['services', service, 'volumes', index] });
    });
  }
  return found;
}

export function namedVolumes(model: Obj): [string, Obj][] {
  return Object.entries(asObject(model.volumes)).map(([key, value]) => [key, asObject(value)]);
}

/** Whether a host path is relative to the project directory: not absolute, not from the home folder, not a URL. */
function isRelativeHostPath(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !/^(\/|~|[A-Za-z]:[\\/]|\\\\)/.test(value) && !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(value);
}

/**
 * The host paths of a model that are relative to its project directory, with where each is written: bind mount
 * sources, env_file entries, build contexts, and the files of secrets and configs. Whoever reads the rendered file
 * resolves them from its own project directory.
 */
export function relativeHostPaths(model: Obj): { path: (string | number)[]; value: string }[] {
  const found: { path: (string | number)[]; value: string }[] = [];
  for (const [service, definition] of Object.entries(asObject(model.services))) {
    const at = ['services', service];
    const { volumes, env_file: envFile, build } = asObject(definition);
    if (Array.isArray(volumes)) {
      volumes.forEach((entry, index) => {
        const source = typeof entry === 'string' ? shortSource(entry).source : isObject(entry) && entry.type === 'bind' ? entry.source : undefined;
        if (isRelativeHostPath(source) && (typeof entry !== 'string' || isPathSource(source))) found.push({ path: [...at, 'volumes', index], value: source });
      });
    }
    const envFiles = Array.isArray(envFile) ? envFile : [envFile];
    envFiles.forEach((entry, index) => {
      const file = isObject(entry) ? entry.path : entry;
      if (isRelativeHostPath(file)) found.push({ path: Array.isArray(envFile) ? [...at, 'env_file', index] : [...at, 'env_file'], value: file });
    });
    const context = isObject(build) ? build.context : build;
    if (isRelativeHostPath(context)) found.push({ path: isObject(build) ? [...at, 'build', 'context'] : [...at, 'build'], value: context });
  }
  for (const section of ['secrets', 'configs']) {
    for (const [name, definition] of Object.entries(asObject(model[section]))) {
      const file = asObject(definition).file;
      if (isRelativeHostPath(file)) found.push({ path: [section, name, 'file'], value: file });
    }
  }
  return found;
}
