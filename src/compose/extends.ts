/**
 * `extends`: a service starts from another service (of the same file, or of `file`, relative to the extending
 * file) and merges its own definition on top, by the same rules as several files.
 */
import { own, setOwn } from '../own.js';
import { posix } from 'node:path';
import { InputError, type Location } from '../findings.js';
import { MAX_NESTING } from './limits.js';
import { locate } from './locate.js';
import { deletePath, isTree, mergeService, originOf, setOrigin, shallowCopy, type MergeNotes, type Tree } from './merge.js';
import { someSteps } from '../suggest.js';
import type { TaggedPaths } from './tags.js';
import type { SourceFile } from './load.js';

/** One file's interpolated tree, with where its relative paths start from. */
export interface Layer {
  src: SourceFile;
  /** The directory relative paths in this file are resolved against. */
  baseDir: string;
  tree: Tree;
  tags: TaggedPaths;
}

export interface ExtendsContext {
  /** Reads, parses and interpolates another file (its own extends unresolved); the same path gives the same layer. */
  loadLayer(file: string, from: Location): Layer;
  notes?: MergeNotes;
}

export function hasExtends(tree: Tree): boolean {
  const services = tree.services;
  return isTree(services) && Object.values(services).some((s) => isTree(s) && s.extends !== undefined);
}

/** Replaces every service of the layer that uses `extends` by its resolved definition. */
export function resolveExtends(layer: Layer, ctx: ExtendsContext): void {
  const services = layer.tree.services;
  if (!isTree(services) || !hasExtends(layer.tree)) return;
  const resolved = new Map<string, Tree>();
  const out = shallowCopy(services);
  for (const name of Object.keys(services)) {
    const service = resolveService(layer, name, [], ctx, resolved);
    if (service !== undefined) setOwn(out, name, service);
  }
  setOwn(layer.tree, 'services', out);
}

interface Step {
  file: string;
  service: string;
}

/** `path` as seen from `base`, unless it is absolute. */
export function resolvePath(base: string, path: string): string {
  return posix.isAbsolute(path) ? posix.normalize(path) : posix.join(base, path);
}

/** How many services a resolved service's extends chain runs through. */
const extendsDepth = new WeakMap<Tree, number>();

/**
 * Said both before going down a chain (the call stack must not run out first) and after (a chain resolved from its
 * base up is never deep on the way down).
 */
const tooDeep = (name: string, at: Location) =>
  new InputError(`service "${name}": extends nested deeper than ${MAX_NESTING} levels`, at, 'extend the service from fewer levels');

function resolveService(layer: Layer, name: string, chain: Step[], ctx: ExtendsContext, done: Map<string, Tree>): Tree | undefined {
  const key = `${layer.src.file}\0${name}`;
  const cached = done.get(key);
  if (cached) return cached;
  const services = layer.tree.services as Tree;
  const service = own(services, name);
  if (!isTree(service) || service.extends === undefined) return isTree(service) ? service : undefined;

  const at = locate(layer.src, ['services', name, 'extends']);
  const spec = service.extends;
  const ref = typeof spec === 'string' ? spec : isTree(spec) ? spec.service : undefined;
  const file = isTree(spec) ? spec.file : undefined;
  if (typeof ref !== 'string' || ref === '') {
    throw new InputError(`service "${name}": extends needs the name of a service ("service:")`, at);
  }
  if (file !== undefined && typeof file !== 'string') {
    throw new InputError(`service "${name}": extends.file must be a path`, at);
  }

  const baseLayer = file === undefined ? layer : ctx.loadLayer(resolvePath(posix.dirname(layer.src.file), file), at);
  const step: Step = { file: baseLayer.src.file, service: ref };
  const here: Step = { file: layer.src.file, service: name };
  const trail = [...chain, here];
  if (trail.length > MAX_NESTING) {
    throw tooDeep(name, at);
  }
  if (trail.some((s) => s.file === step.file && s.service === step.service)) {
    const names = someSteps([...trail, step].map((s) => `${s.service} (${s.file})`));
    throw new InputError(`extends cycle: ${names}`, at, 'break the cycle: a service cannot extend itself, even indirectly');
  }
  const baseServices = baseLayer.tree.services;
  if (!isTree(baseServices) || !isTree(own(baseServices, ref))) {
    const where = file === undefined ? 'this file' : baseLayer.src.file;
    throw new InputError(`service "${name}" extends "${ref}", but ${where} defines no service "${ref}"`, at);
  }

  let base = resolveService(baseLayer, ref, trail, ctx, done) as Tree;
  // The chain's length from this service down, whichever service of it was resolved first.
  const depth = (extendsDepth.get(base) ?? 0) + 1;
  if (depth > MAX_NESTING) {
    throw tooDeep(name, at);
  }
  base = rebaseService(deepCopy(base), baseLayer.baseDir, layer.baseDir);
  // `!reset`/`!override` in the extending service clear what the base service set there.
  for (const path of [...layer.tags.reset, ...layer.tags.override]) {
    if (path[0] === 'services' && path[1] === name && path.length > 2) deletePath(base, path.slice(2));
  }
  const local = shallowCopy(service);
  delete local.extends;
  const merged = mergeService(name, base, local, ctx.notes);
  extendsDepth.set(merged, depth);
  done.set(key, merged);
  return merged;
}

/** A copy deep enough to edit (delete paths, rebase), keeping every slot's origin. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value) || isTree(value)) {
    const copy = shallowCopy(value as object) as Record<string, unknown>;
    for (const key of Object.keys(copy)) setOwn(copy, key, deepCopy(copy[key]));
    return copy as T;
  }
  return value;
}

function isRemote(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('git@') || path.startsWith('github.com/');
}

/** A path relative to `from` (or absolute, or remote), rewritten relative to `to`. */
export function rebasePath(path: string, from: string, to: string): string {
  if (from === to || path === '' || posix.isAbsolute(path) || path.startsWith('~') || isRemote(path)) return path;
  const rel = posix.relative(to, posix.join(from, path));
  if (rel === '') return '.';
  return rel.startsWith('../') || rel === '..' || posix.isAbsolute(rel) ? rel : `./${rel}`;
}

/** Short-syntax volume whose source is a path (not a volume name). */
function rebaseVolume(item: unknown, from: string, to: string): unknown {
  if (typeof item === 'string') {
    const parts = item.split(':');
    if (parts.length > 1 && parts[0].startsWith('.')) parts[0] = rebasePath(parts[0], from, to);
    return parts.join(':');
  }
  if (isTree(item) && item.type === 'bind' && typeof item.source === 'string') {
    item.source = rebasePath(item.source, from, to);
  }
  return item;
}

/** The relative paths a service holds (build context, env files, bind mounts), made relative to `to`, in place. */
export function rebaseService(service: Tree, from: string, to: string): Tree {
  if (from === to) return service;
  const rebase = (p: unknown) => (typeof p === 'string' ? rebasePath(p, from, to) : p);
  if (typeof service.build === 'string') service.build = rebase(service.build);
  // A build without a context builds the folder of the file that declares it.
  else if (isTree(service.build)) service.build.context = rebase(service.build.context ?? '.');
  const envFile = service.env_file;
  if (typeof envFile === 'string') service.env_file = rebase(envFile);
  else if (Array.isArray(envFile)) {
    service.env_file = mapKeepingSlots(envFile, (item) => {
      if (!isTree(item)) return rebase(item);
      item.path = rebase(item.path);
      return item;
    });
  }
  if (Array.isArray(service.volumes)) {
    service.volumes = mapKeepingSlots(service.volumes, (item) => rebaseVolume(item, from, to));
  }
  return service;
}

/** Relative `file:` of top-level secrets and configs, in place. */
export function rebaseResources(model: Tree, from: string, to: string): void {
  for (const kind of ['secrets', 'configs']) {
    const group = model[kind];
    if (!isTree(group)) continue;
    for (const name of Object.keys(group)) {
      const def = group[name];
      if (isTree(def) && typeof def.file === 'string') def.file = rebasePath(def.file, from, to);
    }
  }
}

function mapKeepingSlots(list: unknown[], fn: (item: unknown) => unknown): unknown[] {
  const out = list.map(fn);
  list.forEach((_, i) => setOrigin(out, i, originOf(list, i)));
  return out;
}
