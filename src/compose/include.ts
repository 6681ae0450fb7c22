/**
 * `include`: other Compose projects pulled into this file, each loaded on its own (own project directory,
 * own `.env`), then their resources added; a resource also defined here, differently, is an error.
 */
import { setOwn } from '../own.js';
import { isDeepStrictEqual } from 'node:util';
import { posix } from 'node:path';
import { InputError, type Location } from '../findings.js';
import { deepCopy, rebaseResources, rebaseService, resolvePath, type Layer } from './extends.js';
import { MAX_NESTING } from './limits.js';
import { locate } from './locate.js';
import { isTree, originOf, setOrigin, shallowCopy, type Tree } from './merge.js';
import { someSteps } from '../suggest.js';

export type Env = Record<string, string>;

export interface IncludeContext {
  /** The files that led here, outermost first, to report cycles. */
  chain: readonly string[];
  env: Env;
  isFile(path: string): boolean;
  /** Values of env files, read in order (later wins); `env` outranks them all. */
  readEnvFiles(files: string[], env: Env, from: Location): Env;
  /**
   * A whole project (several files merged, extends and nested includes resolved), not yet filtered by
   * profiles; `chain` does not hold its own files yet.
   */
  loadProject(files: string[], projectDir: string, env: Env, chain: string[], from: Location): Tree;
}

const IMPORTED = ['services', 'volumes', 'networks', 'secrets', 'configs', 'models'];

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** Imports every included project into the layer and removes `include`. */
export function resolveInclude(layer: Layer, ctx: IncludeContext): void {
  const include = layer.tree.include;
  if (include === undefined || include === null) return;
  if (!Array.isArray(include)) {
    throw new InputError('include must be a list of paths or of {path, env_file, project_directory}', locate(layer.src, ['include']));
  }
  include.forEach((entry, i) => {
    const at = locate(layer.src, ['include', i]);
    const spec = typeof entry === 'string' ? { path: entry } : entry;
    const paths = isTree(spec) ? stringList(spec.path) : undefined;
    if (!isTree(spec) || !paths || paths.length === 0) {
      throw new InputError('an include entry needs "path": a file or a list of files', at);
    }
    const files = paths.map((p) => resolvePath(layer.baseDir, p));
    const projectDir =
      typeof spec.project_directory === 'string'
        ? resolvePath(layer.baseDir, spec.project_directory)
        : posix.dirname(files[0]);
    const chain = [...ctx.chain, files[0]];
    // Each level is a few calls deep: a chain of thousands of files would end the call stack without a place.
    if (ctx.chain.length >= MAX_NESTING) {
      throw new InputError(`include nested deeper than ${MAX_NESTING} files`, at, 'include the files from fewer levels');
    }
    if (ctx.chain.includes(files[0])) {
      throw new InputError(`include cycle: ${someSteps(chain)}`, at, 'a project cannot include itself, even indirectly');
    }
    const envFiles = stringList(spec.env_file);
    if (spec.env_file !== undefined && !envFiles) throw new InputError('include env_file must be a path or a list of paths', at);
    const dotenv = posix.join(projectDir, '.env');
    const envPaths = envFiles ? envFiles.map((f) => resolvePath(layer.baseDir, f)) : ctx.isFile(dotenv) ? [dotenv] : [];
    const env = ctx.readEnvFiles(envPaths, ctx.env, at);

    const imported = ctx.loadProject(files, projectDir, env, [...ctx.chain], at);
    importInto(layer, rebased(imported, projectDir, layer.baseDir), files[0]);
  });
  delete layer.tree.include;
}

function rebased(model: Tree, from: string, to: string): Tree {
  if (from === to) return model;
  const copy = deepCopy(model);
  const services = copy.services;
  if (isTree(services)) for (const name of Object.keys(services)) if (isTree(services[name])) rebaseService(services[name] as Tree, from, to);
  rebaseResources(copy, from, to);
  return copy;
}

/** The sections importInto made: a later include of the same file adds to them instead of copying them again. */
const importedSections = new WeakSet<Tree>();

function importInto(layer: Layer, imported: Tree, file: string): void {
  for (const kind of IMPORTED) {
    const incoming = imported[kind];
    if (!isTree(incoming)) continue;
    const local = layer.tree[kind];
    // Copied once per file, not once per include: a file with many includes costs time linear in them.
    const out: Tree = isTree(local) ? (importedSections.has(local) ? local : shallowCopy(local)) : {};
    importedSections.add(out);
    for (const name of Object.keys(incoming)) {
      if (Object.prototype.hasOwnProperty.call(out, name)) {
        if (isDeepStrictEqual(out[name], incoming[name])) continue;
        throw new InputError(
          `${kind}.${name} conflicts with imported resource: ${file} defines it too, differently`,
          locate(layer.src, [kind, name], 'key'),
          `rename one of them, or remove the local definition and override it from a later -f file`,
        );
      }
      setOwn(out, name, incoming[name]);
      setOrigin(out, name, originOf(incoming, name));
    }
    if (!isTree(local)) setOrigin(layer.tree, kind, originOf(imported, kind));
    setOwn(layer.tree, kind, out);
  }
}
