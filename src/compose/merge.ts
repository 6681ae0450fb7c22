/**
 * Merging Compose trees by the Compose Specification's rules, while remembering for every value which file
 * (and which path in it) it came from, so the merged model can be traced back to file:line:col.
 */
import { setOwn } from '../own.js';
import type { DocPath, Finding } from '../findings.js';
import type { SourceFile } from './load.js';

export type Tree = Record<string, unknown>;

/** Where a value was written: the file and the path inside that file (not inside the merged model). */
export interface Origin {
  src: SourceFile;
  path: DocPath;
}

// Keyed by container so that slots survive being moved between trees; weak so a finished load frees them.
const slots = new WeakMap<object, Map<string, Origin>>();

/**
 * A container read from one place in one file: each entry that `from` (the container it was read from) has came
 * from `path` + its key. One record per container instead of a slot per value, which was a large share of the
 * memory, and of the time, of loading a large file. A slot set later for a key takes precedence.
 */
interface Base {
  src: SourceFile;
  path: DocPath;
  from: object;
}
const bases = new WeakMap<object, Base>();

export function setOrigin(container: object, key: string | number, origin: Origin | undefined): void {
  if (!origin) return;
  let table = slots.get(container);
  if (!table) slots.set(container, (table = new Map()));
  table.set(String(key), origin);
}

/** Every entry of `container` that `from` has comes from `path` + its key in `src`. */
export function setOrigins(container: object, src: SourceFile, path: DocPath, from: object): void {
  bases.set(container, { src, path, from });
}

export function originOf(container: object, key: string | number): Origin | undefined {
  const slot = slots.get(container)?.get(String(key));
  if (slot) return slot;
  const base = bases.get(container);
  if (!base) return undefined;
  if (Array.isArray(container)) {
    const index = Number(key);
    return Number.isInteger(index) && index >= 0 && index < (base.from as unknown[]).length ? { src: base.src, path: [...base.path, index] } : undefined;
  }
  const name = String(key);
  return Object.prototype.hasOwnProperty.call(base.from, name) ? { src: base.src, path: [...base.path, name] } : undefined;
}

export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The deepest origin along `path`, plus the steps below it that the model does not have. */
export function originAt(root: unknown, path: DocPath): { origin: Origin; rest: DocPath } | undefined {
  let node = root;
  let found: { origin: Origin; rest: DocPath } | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    const has = Array.isArray(node)
      ? typeof step === 'number' && step >= 0 && step < node.length
      : isTree(node) && Object.prototype.hasOwnProperty.call(node, String(step));
    if (!has) break;
    const origin = originOf(node as object, step);
    if (origin) found = { origin, rest: path.slice(i + 1) };
    node = Array.isArray(node) ? node[step as number] : (node as Tree)[String(step)];
  }
  return found;
}

/** A copy of a container carrying its slots along; values are shared, not copied. */
export function shallowCopy<T extends object>(value: T): T {
  let copy: T;
  if (Array.isArray(value)) copy = [...value] as T;
  else {
    const out: Tree = {};
    for (const key of Object.keys(value)) setOwn(out, key, (value as Tree)[key]);
    copy = out as T;
  }
  const table = slots.get(value);
  if (table) slots.set(copy, new Map(table));
  const base = bases.get(value);
  if (base) bases.set(copy, base);
  return copy;
}

/** Removes `path` from a tree in place (used by !reset and !override); copies nothing. */
export function deletePath(root: unknown, path: DocPath): void {
  if (path.length === 0) return;
  let node = root;
  for (const step of path.slice(0, -1)) {
    if (Array.isArray(node) && typeof step === 'number') node = node[step];
    else if (isTree(node)) node = node[String(step)];
    else return;
  }
  const last = path[path.length - 1];
  if (Array.isArray(node) && typeof last === 'number' && last < node.length) {
    // Indexes shift: every entry gets its own slot first.
    if (bases.has(node)) {
      for (let i = 0; i < node.length; i++) if (!slots.get(node)?.has(String(i))) setOrigin(node, i, originOf(node, i));
      bases.delete(node);
    }
    node.splice(last, 1);
    const table = slots.get(node);
    if (table) {
      const shifted = new Map<string, Origin>();
      for (const [k, v] of table) {
        const i = Number(k);
        if (i < last) shifted.set(k, v);
        else if (i > last) shifted.set(String(i - 1), v);
      }
      slots.set(node, shifted);
    }
  } else if (isTree(node)) {
    delete node[String(last)];
  }
}

export interface MergeNotes {
  findings: Finding[];
}

/** Merges one Compose file (or an extended service) onto what came before; neither input is modified. */
export function mergeTrees(base: Tree, over: Tree, notes?: MergeNotes): Tree {
  return mergeAt(base, over, [], notes) as Tree;
}

/** `extends`: the local service definition merged onto the (already resolved) base service. */
export function mergeService(name: string, base: Tree, over: Tree, notes?: MergeNotes): Tree {
  return mergeAt(base, over, ['services', name], notes) as Tree;
}

/** Where the two values a rule merges were written, when the caller knows (a mapping's entries). */
interface Sides {
  base?: Origin;
  over?: Origin;
}

type Rule = (base: unknown, over: unknown, path: string[], notes?: MergeNotes, sides?: Sides) => unknown;

const RESOURCES = new Set(['services', 'volumes', 'networks', 'secrets', 'configs', 'models']);

function pattern(path: string[]): string {
  return path.map((step, i) => (i === 1 && RESOURCES.has(path[0]) ? '*' : step)).join('.');
}

function ruleFor(path: string[]): Rule | undefined {
  const rule = RULES[pattern(path)];
  if (rule) return rule;
  // Each ulimit is a number or {soft, hard}: a number on either side replaces, two mappings merge.
  return path.length === 4 && path[0] === 'services' && path[2] === 'ulimits' ? ulimit : undefined;
}

function mergeAt(base: unknown, over: unknown, path: string[], notes?: MergeNotes, sides?: Sides): unknown {
  const rule = ruleFor(path);
  if (rule && base !== undefined && base !== null && over !== undefined && over !== null) {
    return rule(base, over, path, notes, sides);
  }
  // A key given with no value in a later file leaves the earlier value alone; `!reset` is how to clear it.
  if (over === undefined || over === null) return base === undefined ? over : base;
  if (isTree(base) && isTree(over)) return mergeMaps(base, over, path, notes);
  if (Array.isArray(base) && Array.isArray(over)) return appendLists(base, over);
  return over;
}

function mergeMaps(base: Tree, over: Tree, path: string[], notes?: MergeNotes): Tree {
  const out: Tree = {};
  for (const key of Object.keys(base)) {
    setOwn(out, key, base[key]);
    setOrigin(out, key, originOf(base, key));
  }
  for (const key of Object.keys(over)) {
    const merged = Object.prototype.hasOwnProperty.call(base, key)
      ? mergeAt(base[key], over[key], [...path, key], notes, { base: originOf(base, key), over: originOf(over, key) })
      : over[key];
    setOwn(out, key, merged);
    // The last file that writes a key is where it is reported, as with any override.
    if (over[key] !== null && over[key] !== undefined) setOrigin(out, key, originOf(over, key));
  }
  return out;
}

function appendLists(base: unknown[], over: unknown[]): unknown[] {
  const out = [...base, ...over];
  base.forEach((_, i) => setOrigin(out, i, originOf(base, i)));
  over.forEach((_, i) => setOrigin(out, base.length + i, originOf(over, i)));
  return out;
}

const replace: Rule = (_base, over) => over;

function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [value];
  return undefined;
}

/** Sequences whose items have an identity: appended, then a later item replaces an earlier one with the same key. */
function uniqueBy(keyOf: (item: unknown) => string | undefined): Rule {
  return (base, over) => {
    const left = asList(base);
    const right = asList(over);
    if (!left || !right) return over;
    const items: { value: unknown; origin?: Origin }[] = [];
    const index = new Map<string, number>();
    const add = (list: unknown[], i: number) => {
      const value = list[i];
      const origin = Array.isArray(list) ? originOf(list, i) : undefined;
      const key = keyOf(value);
      const at = key === undefined ? undefined : index.get(key);
      if (at !== undefined) {
        items[at] = { value, origin };
      } else {
        if (key !== undefined) index.set(key, items.length);
        items.push({ value, origin });
      }
    };
    left.forEach((_, i) => add(left, i));
    right.forEach((_, i) => add(right, i));
    const out = items.map((item) => item.value);
    items.forEach((item, i) => setOrigin(out, i, item.origin));
    return out;
  };
}

const itself = (item: unknown) => (typeof item === 'string' || typeof item === 'number' ? String(item) : undefined);

/** Target path of a service volume, short (`src:/target:ro`) or long syntax. */
export function volumeTarget(item: unknown): string | undefined {
  if (typeof item === 'string') {
    const parts = item.split(':');
    return parts.length === 1 ? parts[0] : parts[1];
  }
  if (isTree(item) && typeof item.target === 'string') return item.target;
  return undefined;
}

function mountTarget(defaultDir: string) {
  return (item: unknown): string | undefined => {
    const source = typeof item === 'string' ? item : isTree(item) ? item.source : undefined;
    const target = isTree(item) && typeof item.target === 'string' ? item.target : undefined;
    const name = target ?? (typeof source === 'string' ? source : undefined);
    if (name === undefined) return undefined;
    return name.startsWith('/') ? name : `${defaultDir}/${name}`;
  };
}

/** A published port's identity: host ip, published port, container port, protocol. */
export function portKey(item: unknown): string | undefined {
  if (typeof item === 'number') return `|||${item}|tcp`;
  if (isTree(item)) {
    const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
    return `|${text(item.host_ip)}|${text(item.published)}|${text(item.target)}|${text(item.protocol) || 'tcp'}`;
  }
  if (typeof item !== 'string') return undefined;
  let body = item;
  let protocol = 'tcp';
  const slash = body.lastIndexOf('/');
  if (slash >= 0) {
    protocol = body.slice(slash + 1);
    body = body.slice(0, slash);
  }
  let ip = '';
  if (body.startsWith('[')) {
    const close = body.indexOf(']');
    ip = body.slice(1, close);
    body = body.slice(close + 2);
  }
  const parts = body.split(':');
  if (parts.length === 3) ip = parts.shift() ?? '';
  const target = parts.pop() ?? '';
  const published = parts.pop() ?? '';
  return `|${ip}|${published}|${target}|${protocol}`;
}

function envFilePath(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (isTree(item) && typeof item.path === 'string') return item.path;
  return undefined;
}

interface Entry {
  key: string;
  value: unknown;
  origin?: Origin;
}

/** `KEY=VALUE` lists and mappings as entries; a bare `KEY` in a list has no value (null). */
function entries(value: unknown, separators: string): Entry[] | undefined {
  if (isTree(value)) return Object.keys(value).map((key) => ({ key, value: value[key], origin: originOf(value, key) }));
  if (!Array.isArray(value)) return undefined;
  return value.map((item, i) => {
    const text = String(item);
    let cut = -1;
    for (const sep of separators) {
      cut = text.indexOf(sep);
      if (cut >= 0) break;
    }
    return cut < 0
      ? { key: text, value: null, origin: originOf(value, i) }
      : { key: text.slice(0, cut), value: text.slice(cut + 1), origin: originOf(value, i) };
  });
}

/** list_or_dict fields (environment, labels...): merged by key; a mapping if either side is one. */
function byKey(separators: string): Rule {
  return (base, over) => {
    const left = entries(base, separators);
    const right = entries(over, separators);
    if (!left || !right) return over;
    const merged = new Map<string, Entry>();
    for (const entry of [...left, ...right]) merged.set(entry.key, entry);
    if (isTree(base) || isTree(over)) {
      const out: Tree = {};
      for (const entry of merged.values()) {
        setOwn(out, entry.key, entry.value);
        setOrigin(out, entry.key, entry.origin);
      }
      return out;
    }
    const sep = separators[0];
    const out = [...merged.values()].map((e) => (e.value === null ? e.key : `${e.key}${sep}${String(e.value)}`));
    [...merged.values()].forEach((e, i) => setOrigin(out, i, e.origin));
    return out;
  };
}

/** A list of names as a mapping, each name given `value`; keeps slot origins. */
function listToMap(list: unknown[], value: () => unknown): Tree {
  const out: Tree = {};
  list.forEach((item, i) => {
    setOwn(out, String(item), value());
    setOrigin(out, String(item), originOf(list, i));
  });
  return out;
}

/** depends_on and service networks: a list of names or a mapping; lists union, otherwise merged as mappings. */
function namesOrMap(listValue: () => unknown): Rule {
  return (base, over, path, notes) => {
    if (Array.isArray(base) && Array.isArray(over)) return uniqueBy(itself)(base, over, path, notes);
    const left = Array.isArray(base) ? listToMap(base, listValue) : base;
    const right = Array.isArray(over) ? listToMap(over, listValue) : over;
    if (!isTree(left) || !isTree(right)) return over;
    return mergeMaps(left, right, path, notes);
  };
}

const build: Rule = (base, over, path, notes) => {
  if (typeof base === 'string' && typeof over === 'string') return over;
  const asMap = (v: unknown) => (typeof v === 'string' ? { context: v } : v);
  const left = asMap(base);
  const right = asMap(over);
  if (!isTree(left) || !isTree(right)) return over;
  return mergeMaps(left, right, path, notes);
};

/**
 * A later file that switches to another driver gets none of the earlier driver's options: they were written
 * for that driver, and Compose's plain deep merge would hand them to the new one.
 */
function driverSwitch(optionsKey: string, defaultDriver: string | undefined): Rule {
  return (base, over, path, notes) => {
    if (!isTree(base) || !isTree(over)) return over;
    const before = base.driver ?? defaultDriver;
    const after = over.driver;
    if (before === undefined || after === undefined || after === null || after === before || !(optionsKey in base)) {
      return mergeMaps(base, over, path, notes);
    }
    const kept = shallowCopy(base);
    delete kept[optionsKey];
    notes?.findings.push({
      code: 'driver-options-dropped',
      severity: 'info',
      message: `${path.join('.')}: the driver changes from "${String(before)}" to "${String(after)}", so the earlier ${optionsKey} are dropped`,
      path: [...path, 'driver'],
      source: 'compose',
    });
    return mergeMaps(kept, over, path, notes);
  };
}

/**
 * A volume's x-voldriver: the short form `fast` is `{class: fast}`, so a class in one file and parameters in
 * another combine (`fast` + `{size: 5Gi}` is `{class: fast, size: 5Gi}`), and a later class replaces the earlier
 * one, parameters kept. Two class names: the later one; two mappings: merged as any mapping.
 */
const classOrMap: Rule = (base, over, path, notes, sides) => {
  if (!isTree(base) && !isTree(over)) return over;
  const asMap = (value: unknown, origin: Origin | undefined): unknown => {
    if (isTree(value) || typeof value !== 'string') return value;
    const map: Tree = { class: value };
    setOrigin(map, 'class', origin);
    return map;
  };
  const left = asMap(base, sides?.base);
  const right = asMap(over, sides?.over);
  if (!isTree(left) || !isTree(right)) return over;
  return mergeMaps(left, right, path, notes);
};

const ulimit: Rule = (base, over, path, notes) =>
  isTree(base) && isTree(over) ? mergeMaps(base, over, path, notes) : over;

const keyValue = byKey('=');
const hosts = byKey('=:');
const names = uniqueBy(itself);

const RULES: Record<string, Rule> = {
  'services.*.command': replace,
  'services.*.entrypoint': replace,
  'services.*.healthcheck.test': replace,
  'services.*.environment': keyValue,
  'services.*.labels': keyValue,
  'services.*.annotations': keyValue,
  'services.*.sysctls': keyValue,
  'services.*.build.args': keyValue,
  'services.*.build.labels': keyValue,
  'services.*.build.additional_contexts': keyValue,
  'services.*.deploy.labels': keyValue,
  'services.*.extra_hosts': hosts,
  'services.*.build.extra_hosts': hosts,
  'volumes.*.labels': keyValue,
  'networks.*.labels': keyValue,
  'secrets.*.labels': keyValue,
  'configs.*.labels': keyValue,
  'services.*.volumes': uniqueBy(volumeTarget),
  'services.*.secrets': uniqueBy(mountTarget('/run/secrets')),
  'services.*.configs': uniqueBy(mountTarget('')),
  'services.*.ports': uniqueBy(portKey),
  'services.*.env_file': uniqueBy(envFilePath),
  'services.*.expose': names,
  'services.*.cap_add': names,
  'services.*.cap_drop': names,
  'services.*.dns': names,
  'services.*.dns_search': names,
  'services.*.dns_opt': names,
  'services.*.profiles': names,
  'services.*.tmpfs': names,
  'services.*.links': names,
  'services.*.devices': names,
  'services.*.depends_on': namesOrMap(() => ({ condition: 'service_started' })),
  'services.*.networks': namesOrMap(() => null),
  'services.*.build': build,
  'services.*.logging': driverSwitch('options', undefined),
  'volumes.*': driverSwitch('driver_opts', 'local'),
  'volumes.*.x-voldriver': classOrMap,
};
