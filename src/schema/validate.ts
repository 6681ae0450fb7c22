/**
 * JSON Schema validation with the prebuilt validators (src/schema/generated, made by scripts/gen-validators.mjs):
 * no schema is compiled at run time. ajv errors become Findings: one per place in the file, each naming the
 * property path and the most specific problem.
 */
import type { ErrorObject } from 'ajv';
import { quoted, withheld, type Finding, type Location } from '../findings.js';
import { looksLikeCredential } from '../secrets.js';
import { didYouMean } from '../suggest.js';
import { schemaNames, schemaTextFor, validatorFor } from './generated/index.js';

export type SchemaName = 'compose' | 'swarm' | 'policy' | (string & {});
export type ModelPath = (string | number)[];
export type Locator = (path: ModelPath, prefer?: 'value' | 'key') => Location;

/** The names `validateModel` and `schemaText` accept (the entries of src/schema/schemas.json). */
export function knownSchemas(): readonly string[] {
  return schemaNames;
}

/** The pretty-printed JSON text of a schema, ending with a newline. */
export function schemaText(name: SchemaName): string {
  if (!schemaNames.includes(name)) throw new Error(unknownSchema(name));
  return schemaTextFor(name);
}

/**
 * Validates `model` against a schema. `locate` turns a path in the model into a place in the file;
 * `fileLabel` names the file when `locate` gives none.
 */
export function validateModel(schemaName: SchemaName, model: unknown, locate: Locator, fileLabel?: string): Finding[] {
  if (!schemaNames.includes(schemaName)) throw new Error(unknownSchema(schemaName));
  const validate = validatorFor(schemaName);
  const valid = validate(model);
  const repeated = schemaName === 'compose' ? repeatedItems(model) : [];
  if (valid && repeated.length === 0) return [];
  return findingsFromErrors([...(validate.errors ?? []), ...repeated], model, locate, { schemaName, fileLabel });
}

/** The lists of a service whose items must differ: the schema says so; the generated validator leaves them here. */
const UNIQUE_LISTS = ['volumes', 'ports'];

/** Two equal items, found in one pass: the error ajv's uniqueItems would give (the last repeat, and the item before it). */
function repeatedItems(model: unknown): ErrorObject[] {
  const errors: ErrorObject[] = [];
  const services = (model as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object' || Array.isArray(services)) return errors;
  for (const [name, service] of Object.entries(services as Record<string, unknown>)) {
    if (!service || typeof service !== 'object') continue;
    for (const list of UNIQUE_LISTS) {
      const items = (service as Record<string, unknown>)[list];
      if (!Array.isArray(items) || items.length < 2) continue;
      const last = new Map<string, number>();
      let found: { i: number; j: number } | undefined;
      items.forEach((item, i) => {
        const key = canonical(item);
        const j = last.get(key);
        if (j !== undefined) found = { i, j };
        last.set(key, i);
      });
      if (found) {
        const instancePath = `/services/${name.replace(/~/g, '~0').replace(/\//g, '~1')}/${list}`;
        errors.push({ keyword: 'uniqueItems', instancePath, schemaPath: '#/uniqueItems', params: found, message: `must NOT have duplicate items (items ## ${found.j} and ${found.i} are identical)` });
      }
    }
  }
  return errors;
}

/** A value as text that is the same for deep-equal values (keys in sorted order). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * Turns the errors of an ajv validator (compiled with `allErrors` and `verbose`) into findings: the most specific
 * problem at each place, sorted by place.
 */
export function findingsFromErrors(
  errors: readonly ErrorObject[],
  model: unknown,
  locate: Locator,
  options: { schemaName?: SchemaName; fileLabel?: string } = {},
): Finding[] {
  const schemaName = options.schemaName ?? '';
  const ctx: Context = { schemaName, model };
  const problems = pickBranches(nameErrors(errors))
    .map((error) => describe(error, ctx))
    .filter((problem): problem is Problem => problem !== undefined);

  const byPlace = new Map<string, { problem: Problem; where: Location; order: number }>();
  problems.forEach((problem, order) => {
    const where = locate([...problem.path], problem.prefer);
    const key = `${where.file}\0${where.line}\0${where.col}`;
    const seen = byPlace.get(key);
    if (!seen || problem.rank > seen.problem.rank) byPlace.set(key, { problem, where, order: seen?.order ?? order });
  });

  const source: Finding['source'] = schemaName === 'policy' ? 'policy' : 'compose';
  return [...byPlace.values()]
    .sort((a, b) => a.where.line - b.where.line || a.where.col - b.where.col || a.order - b.order)
    .map(({ problem, where }) => {
      const finding: Finding = {
        code: 'schema',
        severity: 'error',
        message: problem.message,
        path: problem.path,
        source,
        file: where.file || options.fileLabel || '<input>',
        line: where.line,
        col: where.col,
      };
      if (problem.hint) finding.hint = problem.hint;
      const volume = volumeOf(problem.path, schemaName);
      if (volume !== undefined) finding.volume = volume;
      return finding;
    });
}

/** `services.web.volumes[0].target`; keys that are not plain words are quoted: `volumes["data.v1"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(step)) text += text ? `.${step}` : step;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------------

interface Context {
  schemaName: string;
  model: unknown;
}

interface Problem {
  path: ModelPath;
  prefer: 'value' | 'key';
  message: string;
  hint?: string;
  /** Which problem wins when several land on the same place: the most specific. */
  rank: number;
}

interface SchemaNode {
  properties?: Record<string, unknown>;
  patternProperties?: Record<string, unknown>;
  errorMessage?: string;
  description?: string;
}

const RANK = {
  custom: 100,
  unknownKey: 90,
  forbidden: 90,
  badName: 85,
  required: 80,
  type: 70,
  value: 60,
  other: 40,
} as const;

/** A branch failing on these at the value itself did not match the value at all. */
const SHAPE_KEYWORDS = new Set(['type', 'const', 'enum']);

/** Keywords about an object's members rather than the value itself: a branch failing on them did match the value's shape. */
const MEMBER_KEYWORDS = new Set(['additionalProperties', 'required', 'propertyNames', 'dependencies', 'dependentRequired', 'minProperties', 'maxProperties']);

function unknownSchema(name: string): string {
  const hint = didYouMean(name, schemaNames);
  return `unknown schema "${name}"${hint}; schemas: ${schemaNames.join(', ')}`;
}

function volumeOf(path: ModelPath, schemaName: string): string | undefined {
  if (schemaName === 'policy') return undefined;
  return path[0] === 'volumes' && typeof path[1] === 'string' ? path[1] : undefined;
}

function isWithin(instancePath: string, base: string): boolean {
  return instancePath === base || instancePath.startsWith(`${base}/`);
}

function depthOf(instancePath: string): number {
  return instancePath === '' ? 0 : instancePath.split('/').length - 1;
}

/**
 * anyOf/oneOf failures come with the errors of every branch. Keep the branch that got furthest (it matched the
 * value's type and failed deeper, or on its members); when no branch even matched the type, merge the branches
 * into one "must be X or Y" error. Branches are told apart by their schema path, so this works for branches
 * written in place; branches that only $ref another definition keep their errors unmerged.
 */
function pickBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const list: (ErrorObject | undefined)[] = [...errors];
  for (let c = 0; c < list.length; c++) {
    const composite = list[c];
    if (!composite || (composite.keyword !== 'anyOf' && composite.keyword !== 'oneOf')) continue;
    if (composite.keyword === 'oneOf' && Array.isArray(composite.params.passingSchemas)) continue;

    const prefix = `${composite.schemaPath}/`;
    const branches = new Map<string, number[]>();
    for (let i = 0; i < c; i++) {
      const error = list[i];
      if (!error || !error.schemaPath.startsWith(prefix) || !isWithin(error.instancePath, composite.instancePath)) continue;
      const branch = error.schemaPath.slice(prefix.length).split('/')[0];
      const members = branches.get(branch) ?? [];
      members.push(i);
      branches.set(branch, members);
    }
    if (branches.size === 0) {
      // The branches' errors could not be told apart (they come from referenced schemas): keep them as they are.
      const others = list.some((e, i) => e && i !== c && isWithin(e.instancePath, composite.instancePath));
      if (others) list[c] = undefined;
      continue;
    }

    let best: number[] | undefined;
    let bestScore = -1;
    for (const members of branches.values()) {
      const errs = members.map((i) => list[i] as ErrorObject);
      const wrongShape = errs.some((e) => SHAPE_KEYWORDS.has(e.keyword) && e.instancePath === composite.instancePath);
      if (wrongShape) continue;
      const score = Math.max(...errs.map((e) => depthOf(e.instancePath) + (MEMBER_KEYWORDS.has(e.keyword) ? 1 : 0)));
      if (score > bestScore || (score === bestScore && best !== undefined && members.length < best.length)) {
        best = members;
        bestScore = score;
      }
    }

    for (const members of branches.values()) {
      if (members !== best) for (const i of members) list[i] = undefined;
    }
    if (best) {
      list[c] = undefined;
    } else {
      const types = new Set<string>();
      const values: unknown[] = [];
      for (const members of branches.values()) {
        for (const i of members) {
          const e = errors[i];
          if (e.instancePath !== composite.instancePath) continue;
          if (e.keyword === 'type') for (const t of String(e.params.type).split(',')) types.add(t);
          if (e.keyword === 'const') values.push(e.params.allowedValue);
          if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) values.push(...e.params.allowedValues);
        }
      }
      list[c] = { ...composite, keyword: 'type', params: { type: [...types].join(','), values } };
    }
  }
  return list.filter((e): e is ErrorObject => e !== undefined);
}

/**
 * Errors about a key's name (under `propertyNames`) carry the name only when ajv inlined the name's schema;
 * otherwise the name is on the `propertyNames` error that follows them. Give each its name.
 */
function nameErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.map((error, i) => {
    if (error.propertyName !== undefined || error.keyword === 'propertyNames' || typeof error.data !== 'string') return error;
    const owner = errors
      .slice(i + 1)
      .find((e) => e.keyword === 'propertyNames' && e.instancePath === error.instancePath && e.params.propertyName === error.data);
    return owner ? { ...error, propertyName: error.data } : error;
  });
}

function toPath(pointer: string, model: unknown): ModelPath {
  const path: ModelPath = [];
  if (!pointer) return path;
  let node: unknown = model;
  for (const raw of pointer.slice(1).split('/')) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(step)) {
      const index = Number(step);
      path.push(index);
      node = node[index];
    } else {
      path.push(step);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined;
    }
  }
  return path;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

function oneOfWords(words: string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function describeTypes(types: string[], values: unknown[] = []): string {
  const words = [...new Set(types.filter((t) => t !== 'null'))].map((t) => TYPE_NAMES[t] ?? t);
  for (const value of values) words.push(JSON.stringify(value));
  const nullable = types.includes('null');
  if (words.length === 0) return nullable ? 'must be empty' : 'has the wrong type';
  return `must be ${oneOfWords(words)}${nullable ? ' (or empty)' : ''}`;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      if (looksLikeCredential(value)) return withheld(value);
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** Alternatives of an enum written as a pattern: `^(?:a|b|c)$|...`. */
function patternWords(pattern: unknown): string[] {
  if (typeof pattern !== 'string') return [];
  const match = /^\^\(\?:([A-Za-z0-9_|\\+-]+)\)\$/.exec(pattern);
  return match ? match[1].replace(/\\/g, '').split('|') : [];
}

function describe(error: ErrorObject, ctx: Context): Problem | undefined {
  const base = toPath(error.instancePath, ctx.model);
  const node = (error.parentSchema ?? {}) as SchemaNode;
  const custom = typeof node.errorMessage === 'string' ? node.errorMessage : undefined;
  const hint = custom && typeof node.description === 'string' ? node.description : undefined;
  const at = (path: ModelPath) => (path.length ? formatPath(path) : 'the top level');
  const params = error.params as Record<string, unknown>;

  // A key that fails `propertyNames`: the inner error carries the key's name.
  if (error.propertyName !== undefined) {
    const name = error.propertyName;
    const problem = custom ?? plainProblem(error);
    return { path: [...base, name], prefer: 'key', message: `${at(base)}: invalid name ${quoted(name)}: ${problem}`, hint, rank: RANK.badName };
  }

  switch (error.keyword) {
    case 'propertyNames':
    case 'if':
      return undefined;

    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(node.properties ?? {});
      const extensions = Object.keys(node.patternProperties ?? {}).includes('^x-');
      const suggestion = didYouMean(key, known);
      let message: string;
      if (base.length === 0 && ctx.schemaName === 'swarm') {
        message = `${quoted(key)} is not allowed at the top level of a stack file (docker stack deploy rejects it)${suggestion}`;
      } else if (base.length === 0) {
        message = `unknown top-level key ${quoted(key)}${suggestion}`;
      } else {
        message = `unknown key ${quoted(key)} in ${formatPath(base)}${suggestion}`;
      }
      let keyHint: string | undefined;
      if (!suggestion) {
        const allowed = [...known, ...(extensions ? ['x-*'] : [])];
        if (known.length > 0 && known.length <= 12) keyHint = `allowed here: ${allowed.join(', ')}`;
        else if (extensions) keyHint = 'custom keys must start with "x-"';
      }
      return { path: [...base, key], prefer: 'key', message, hint: keyHint, rank: RANK.unknownKey };
    }

    case 'required': {
      const missing = String(params.missingProperty);
      return { path: base, prefer: 'key', message: `${at(base)}: missing required key "${missing}"`, rank: RANK.required };
    }

    case 'dependencies':
    case 'dependentRequired': {
      const message = `${at(base)}: "${String(params.property)}" also needs "${String(params.missingProperty)}"`;
      return { path: base, prefer: 'key', message, rank: RANK.required };
    }

    case 'uniqueItems': {
      const path = [...base, Number(params.i)];
      return { path, prefer: 'value', message: `${at(path)}: repeats ${formatPath([...base, Number(params.j)])}`, rank: RANK.value };
    }

    case 'not':
    case 'false schema':
      return { path: base, prefer: 'key', message: `${at(base)}: ${custom ?? 'is not allowed here'}`, hint, rank: RANK.forbidden };

    case 'anyOf':
    case 'oneOf': {
      // Left when the branches' own errors could not be told apart, or when several branches of a oneOf matched.
      const several = Array.isArray(params.passingSchemas);
      const problem = custom ?? (several ? 'matches more than one of the allowed forms' : 'does not match any of the allowed forms');
      return { path: base, prefer: 'value', message: `${at(base)}: ${problem}`, hint, rank: RANK.other };
    }

    default: {
      const problem = custom ?? plainProblem(error);
      const rank = custom ? RANK.custom : error.keyword === 'type' ? RANK.type : ['enum', 'const', 'pattern'].includes(error.keyword) ? RANK.value : RANK.other;
      return { path: base, prefer: 'value', message: `${at(base)}: ${problem}${foundText(error)}`, hint, rank };
    }
  }
}

/** ", not the number 10" and, for a misspelt word, a suggestion. */
function foundText(error: ErrorObject): string {
  if (!['type', 'enum', 'const', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(error.keyword)) return '';
  if (!('data' in error)) return '';
  let text = `, not ${describeValue(error.data)}`;
  if (typeof error.data === 'string') {
    const params = error.params as Record<string, unknown>;
    const words =
      error.keyword === 'enum' && Array.isArray(params.allowedValues)
        ? params.allowedValues.filter((v): v is string => typeof v === 'string')
        : error.keyword === 'pattern'
          ? patternWords(params.pattern)
          : [];
    text += didYouMean(error.data, words);
  }
  return text;
}

function plainProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const limit = Number(params.limit);
  switch (error.keyword) {
    case 'type':
      return describeTypes(String(params.type).split(',').filter(Boolean), Array.isArray(params.values) ? params.values : []);
    case 'enum':
      return `must be one of: ${(Array.isArray(params.allowedValues) ? params.allowedValues : []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return `must match the pattern ${String(params.pattern)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`;
    case 'maxLength':
      return `must be at most ${limit} characters long`;
    case 'minItems':
      return limit === 1 ? 'must not be an empty list' : `must hold at least ${limit} items`;
    case 'maxItems':
      return `must hold at most ${limit} items`;
    case 'minProperties':
      return limit === 1 ? 'must not be empty' : `must hold at least ${limit} keys`;
    case 'maxProperties':
      return `must hold at most ${limit} keys`;
    case 'format':
      return `must be a valid ${String(params.format)}`;
    default:
      return error.message ?? `fails the "${error.keyword}" rule`;
  }
}
