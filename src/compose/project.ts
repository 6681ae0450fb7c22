/**
 * Loading a Compose project: files -> one plain model to plan from, plus a way back to file:line:col.
 *
 * Per file, as Compose does: parse (anchors and `<<` resolved), interpolate values, resolve `extends`, apply
 * `!reset`/`!override` to what earlier files set, import `include`d projects, merge. Then profiles and the
 * project name. One file without include/extends is edited in place (patch mode); anything else is written
 * out as one resolved, canonical file.
 */
import { posix } from 'node:path';
import type { Document } from 'yaml';
import { InputError, type DocPath, type Finding, type Location } from '../findings.js';
import { canonicalDocument } from './canonical.js';
import { withEnvFiles } from './dotenv.js';
import { deepCopy, hasExtends, resolveExtends, type Layer } from './extends.js';
import { resolveInclude, type Env } from './include.js';
import { interpolateTree } from './interpolate.js';
import { parseYamlSource, toPlain, withComments, type SourceFile, type YamlOptions } from './load.js';
import { locate, locateInModel } from './locate.js';
import { nonTextKey } from './keys.js';
import { dependencyCycle, malformedReference, referencePoint, referenceVerb, undefinedDependency } from './depends.js';
import { distinctScale } from './replicas.js';
import { undefinedReferences } from './references.js';
import { didYouMean, someSteps } from '../suggest.js';
import { own, setOwn } from '../own.js';
import { deletePath, isTree, mergeTrees, type MergeNotes, type Tree } from './merge.js';
import { resolveProjectName } from './names.js';
import { activeProfiles, applyProfiles } from './profiles.js';
import { composeSchemaTags, findTaggedPaths } from './tags.js';

export type ComposeModel = Record<string, unknown>;

export interface ComposeProject {
  /** patch: the single input file is edited in place; resolved: one merged, canonical file is written. */
  mode: 'patch' | 'resolved';
  /** Every file read, in the order given. */
  sources: SourceFile[];
  /** The merged, interpolated view that planning works on. */
  model: ComposeModel;
  /** Where the value at `path` of the model was written. */
  locate(path: DocPath, prefer?: 'value' | 'key'): Location;
  projectName?: string;
  /** The project directory: relative paths in the model (bind mounts, env_file, build) are relative to it. */
  projectDir: string;
  /** The variables interpolation used: the environment, then .env or --env-file. Policies interpolate from it too. */
  variables: Record<string, string | undefined>;
  /** Whether a file exists, for a path relative to the project directory (undefined: cannot tell). */
  fileExists?: (path: string) => boolean;
  /** Notes found while loading (unset variables, ignored keys...). */
  findings: Finding[];
  /**
   * The services the inactive profiles switch off, by name. They are not in `model`, but the volumes they mount
   * are, and policy rules count them: a volume's class must not change with the profiles a run enables.
   */
  offServices?: Record<string, unknown>;
}

export interface ComposeIO {
  readFile(path: string): string;
  /** Text of standard input, for `-f -`. */
  stdin?: () => string;
  /** Whether a path exists; without it, a file that cannot be read counts as absent (for `.env`). */
  exists?(path: string): boolean;
  isDirectory?(path: string): boolean;
}

export interface LoadProjectOptions {
  /** -f, in order; empty means COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR, default ":"). */
  files: string[];
  io: ComposeIO;
  /** The process environment; it outranks every env file. */
  env?: Record<string, string | undefined>;
  /** --env-file, in order (a later file wins); replaces the project directory's `.env`. */
  envFiles?: string[];
  /** --profile; when empty, COMPOSE_PROFILES. */
  profiles?: string[];
  /** --project-directory: base of relative paths and home of `.env`; default: the first file's folder. */
  projectDirectory?: string;
  /** -p */
  projectName?: string;
  /** Write the resolved, canonical file even for one plain file. */
  resolve?: boolean;
  /** Absolute working directory, only to name the project after its folder when paths are relative. */
  workingDir?: string;
}

/**
 * Compose files use the merge tags. `<<` merge keys stay ordinary "<<" keys in the document, which is what
 * locate() follows, and are applied when the plain value is built (withMergeKeys).
 */
export const composeYamlOptions: YamlOptions = { customTags: composeSchemaTags, merge: false };

export function readSource(name: string, io: ComposeIO, options: YamlOptions = composeYamlOptions): SourceFile {
  const text = name === '-' ? (io.stdin?.() ?? '') : io.readFile(name);
  return parseYamlSource(text, name === '-' ? '<stdin>' : name, options);
}

interface Session {
  io: ComposeIO;
  findings: Finding[];
  sources: SourceFile[];
  notes: MergeNotes;
}

/** One project being loaded: the top one or an included one, each with its own directory and environment. */
interface Scope {
  session: Session;
  env: Env;
  projectDir: string;
  chain: string[];
  /** Files read for `extends`, each read once. */
  layers: Map<string, Layer>;
}

export function loadProject(options: LoadProjectOptions): ComposeProject {
  const io = options.io;
  const processEnv = options.env ?? {};
  const files = composeFiles(options.files, processEnv);
  const projectDir = options.projectDirectory ?? (files[0] === '-' ? '.' : posix.dirname(files[0]));
  const session: Session = { io, findings: [], sources: [], notes: { findings: [] } };
  const envFiles = options.envFiles?.length ? options.envFiles : [posix.join(projectDir, '.env')].filter((f) => isFile(io, f));
  const env = withEnvFiles(processEnv, envFiles, (file) => readText(io, file, undefined, 'env file'));

  const scope: Scope = { session, env, projectDir, chain: [], layers: new Map() };
  let plainSingleFile = files.length === 1;
  let model = loadModel(files, scope, (layer) => {
    if (readsOtherFiles(layer.tree)) plainSingleFile = false;
  });

  const active = activeProfiles(options.profiles, env.COMPOSE_PROFILES);
  const defined = new Set(isTree(model.services) ? Object.keys(model.services) : []);
  const allServices = isTree(model.services) ? model.services : undefined;
  const profiled = applyProfiles(model, active);
  model = profiled.model;
  const offServices: Record<string, unknown> = {};
  for (const name of profiled.disabled) setOwn(offServices, name, own(allServices!, name));
  const malformed = malformedReference(model.services);
  if (malformed) {
    throw new InputError(
      `service "${malformed.service}": ${malformed.key} entry "${malformed.entry}" ${malformed.problem}`,
      locateInModel(model, malformed.path),
      malformed.hint,
      'invalid-service-reference',
    );
  }
  const missing = undefinedDependency(model.services, defined);
  if (missing) {
    throw new InputError(
      `service "${missing.service}" ${referenceVerb(missing.key)} undefined service "${missing.dependency}"${didYouMean(missing.dependency, defined)}`,
      locateInModel(model, missing.path, referencePoint(missing.key)),
      `define service "${missing.dependency}", or remove it from ${missing.key}${REFERENCE_HINTS[missing.key] ?? ''}`,
      'undefined-service',
    );
  }
  const twice = distinctScale(model.services);
  if (twice) {
    throw new InputError(
      `services.${twice.service}: scale is ${twice.scale} and deploy.replicas ${twice.replicas}: docker compose refuses distinct values ("can't set distinct values on 'scale' and 'deploy.replicas'")`,
      locateInModel(model, twice.path, 'key'),
      'give the replica count once: deploy.replicas, which docker stack deploy reads too',
      'distinct-scale',
    );
  }
  const projectName = resolveProjectName({
    option: options.projectName,
    env: env.COMPOSE_PROJECT_NAME,
    model: model.name,
    modelAt: () => locateInModel(model, ['name']),
    projectDirectory: projectDir,
    workingDir: options.workingDir,
  });

  const cycle = dependencyCycle(model.services);
  if (cycle) {
    throw new InputError(
      `dependency cycle detected: ${someSteps(cycle.chain)}`,
      locateInModel(model, cycle.path, 'key'),
      'docker compose refuses to start services that wait for each other: remove one of these depends_on, volumes_from, links or network_mode: service: entries',
      'depends-on-cycle',
    );
  }

  // Compose gives ${COMPOSE_PROJECT_NAME} the project's name when it is not set: read again with it.
  if (env.COMPOSE_PROJECT_NAME === undefined && projectName !== undefined && session.sources.some((source) => source.text.includes('COMPOSE_PROJECT_NAME'))) {
    // Standard input can be read once: the second reading gets the text the first one read.
    const stdin = session.sources.find((source) => source.file === '<stdin>')?.text;
    const again = stdin === undefined ? io : { ...io, stdin: () => stdin };
    return loadProject({ ...options, io: again, env: { ...processEnv, COMPOSE_PROJECT_NAME: projectName } });
  }

  // The files given come first, in order; files reached through extends and include follow.
  const names = files.map((file) => (file === '-' ? '<stdin>' : file));
  const sources = [
    ...names.flatMap((name) => session.sources.filter((s) => s.file === name)),
    ...session.sources.filter((s) => !names.includes(s.file)),
  ];
  const mode = plainSingleFile && !options.resolve ? 'patch' : 'resolved';
  const last = sources[files.length - 1] ?? sources[0];
  const project: ComposeProject = {
    mode,
    sources,
    model,
    locate: (path, prefer) => locateInModel(model, path, prefer) ?? locate(last, [], prefer),
    projectName,
    projectDir,
    variables: env,
    fileExists: io.exists ? (path) => io.exists!(posix.isAbsolute(path) ? path : posix.join(projectDir, path)) : undefined,
    findings: session.findings,
    offServices,
  };
  for (const note of session.notes.findings) project.findings.push(note.path ? { ...note, ...project.locate(note.path) } : note);
  for (const reference of undefinedReferences(model)) {
    const section = `${reference.kind}s`;
    project.findings.push({
      code: `undefined-${reference.kind}`,
      severity: 'error',
      message: `service "${reference.service}" refers to ${reference.kind} "${reference.name}", which is not declared under top-level ${section}: docker compose and docker stack deploy refuse it${didYouMean(reference.name, new Set(isTree(model[section]) ? Object.keys(model[section]) : []))}`,
      hint: `add "${reference.name}:" under ${section}${reference.kind === 'network' ? '' : ` (with file: or external: true)`}, or correct the name`,
      path: reference.path,
      source: 'compose',
      ...project.locate(reference.path, 'key'),
    });
  }
  return project;
}

/** What else an entry naming no service of the project may be. */
const REFERENCE_HINTS: Partial<Record<string, string>> = {
  volumes_from: ' (a container outside the project is written container:NAME)',
  network_mode: ' (a container outside the project is written container:NAME)',
  ipc: ' (a container outside the project is written container:NAME)',
  pid: ' (a container outside the project is written container:NAME)',
  links: ' (a container outside the project is written under external_links)',
};

/**
 * A new document to make the output from: the input file's with its comments in patch mode, the canonical
 * resolved file otherwise. Changing it changes nothing of the project.
 */
export function outputDocument(project: ComposeProject): Document {
  if (project.mode === 'resolved') return canonicalDocument(project.model, project.projectName);
  const source = project.sources[0];
  const full = withComments(source);
  return full === source ? source.doc.clone() : full.doc;
}

/** The files COMPOSE_FILE names, split on COMPOSE_PATH_SEPARATOR (default ":"); empty when it is unset. */
export function composeFileVariable(env: Record<string, string | undefined>): string[] {
  const fromEnv = env.COMPOSE_FILE;
  return fromEnv ? fromEnv.split(env.COMPOSE_PATH_SEPARATOR || ':').filter(Boolean) : [];
}

function composeFiles(files: string[], env: Record<string, string | undefined>): string[] {
  if (files.length > 0) return files;
  const list = composeFileVariable(env);
  if (list.length === 0) throw new InputError('no compose file given');
  return list;
}

/** Several files of one project, merged in order. `seen` is told about each top-level file as it is read. */
function loadModel(files: string[], scope: Scope, seen: (layer: Layer) => void = () => {}, from?: Location): Tree {
  let model: Tree = {};
  for (const file of files) {
    // A lone top-level file without include or extends keeps its layout in the model.
    const alone = files.length === 1 && scope.chain.length === 0 && from === undefined;
    const layer = loadLayer(file, scope.projectDir, scope, from, alone);
    seen(layer);
    resolveExtends(layer, {
      loadLayer: (path, from) => extendsLayer(path, scope, from),
      notes: scope.session.notes,
    });
    const tagged = [...layer.tags.reset, ...layer.tags.override];
    if (tagged.length > 0) {
      model = deepCopy(model);
      for (const path of tagged) deletePath(model, path);
    }
    resolveInclude(layer, {
      chain: [...scope.chain, layer.src.file],
      env: scope.env,
      isFile: (path) => isFile(scope.session.io, path),
      readEnvFiles: (paths, env, from) => withEnvFiles(env, paths, (path) => readText(scope.session.io, path, from, 'env file')),
      loadProject: (paths, projectDir, env, chain, at) =>
        loadModel(paths, { session: scope.session, env, projectDir, chain, layers: new Map() }, undefined, at),
    });
    model = mergeTrees(model, layer.tree, scope.session.notes);
  }
  return model;
}

function extendsLayer(path: string, scope: Scope, from: Location): Layer {
  const key = posix.normalize(path);
  let layer = scope.layers.get(key);
  if (!layer) {
    layer = loadLayer(key, posix.dirname(key), scope, from);
    scope.layers.set(key, layer);
  }
  return layer;
}

/** One file: parsed, `!reset` values dropped, values interpolated, every value traceable to its position. */
function loadLayer(file: string, baseDir: string, scope: Scope, from?: Location, alone = false): Layer {
  const { io, sources, findings } = scope.session;
  const text = file === '-' ? (io.stdin?.() ?? '') : readText(io, file, from, 'compose file');
  const src = parseYamlSource(text, file === '-' ? '<stdin>' : file, composeYamlOptions);
  if (!sources.some((s) => s.file === src.file)) sources.push(src);
  const key = nonTextKey(src);
  if (key) {
    const quoted = JSON.stringify(key.source);
    throw new InputError(
      `the key ${key.source === '' ? '(empty)' : key.source} is read as ${key.reading}, not as the name ${quoted}: docker stack deploy refuses a file with a key that is not text ("json: unsupported type"), and readers differ on the name it stands for`,
      key.at,
      `write the key in quotes: ${quoted}:`,
      'non-text-key',
    );
  }
  const tags = findTaggedPaths(src);
  const lookup = (name: string) => (Object.prototype.hasOwnProperty.call(scope.env, name) ? scope.env[name] : undefined);
  const skip = new Set(tags.reset.map((path) => JSON.stringify(path)));
  const plain = toPlain(src);
  const keepsLayout = alone && isTree(plain) && !readsOtherFiles(plain);
  const tree = interpolateTree(plain, { src, lookup, findings, skip, origins: keepsLayout ? 'top' : 'all' });
  if (!isTree(tree)) throw new InputError('the top level must be a mapping (key: value pairs)', { file: src.file, line: 1, col: 1 });
  return { src, baseDir, tree, tags };
}

/** Whether a file brings in others (include, or a service's extends): the model is then not its layout. */
function readsOtherFiles(tree: Tree): boolean {
  return tree.include !== undefined || hasExtends(tree);
}

function readText(io: ComposeIO, path: string, from: Location | undefined, what: string): string {
  try {
    return io.readFile(path);
  } catch (error) {
    // An IO that already explains itself is kept; it only moves to where the file was referenced.
    if (error instanceof InputError) throw from ? new InputError(error.message, from, error.hint) : error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot read ${what} ${path}: ${reason}`, from ?? { file: path });
  }
}

function isFile(io: ComposeIO, path: string): boolean {
  if (io.exists) return io.exists(path) && !io.isDirectory?.(path);
  try {
    io.readFile(path);
    return true;
  } catch {
    return false;
  }
}
