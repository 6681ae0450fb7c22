/** Policy file -> validated Policy. Strict: unknown keys, unknown classes and wrong types stop here. */
import { hasOwn, own, setOwn } from '../own.js';
import { InputError, type DocPath, type Finding } from '../findings.js';
import { isPair, isScalar, visit, type Node as YamlNode } from 'yaml';
import { documentPlain, parseYamlSource, positionOf, toPlain, type SourceFile } from '../compose/load.js';
import { withMergeKeys } from '../compose/interpolate.js';
import { isTree } from '../compose/merge.js';
import { locate } from '../compose/locate.js';
import { validateModel } from '../schema/validate.js';
import { didYouMean, someNames } from '../suggest.js';
import { checkPolicyAccess } from './access.js';
import { GlobError, parseGlob } from './glob.js';
import { notPlaceholders } from './placeholders.js';
import type { DriverSpec } from './catalog/types.js';
import type { Policy, PolicyDocument } from './types.js';
import { builtinPolicies } from './presets/index.js';

export const BUILTIN_PREFIX = 'builtin:';
export const DEFAULT_POLICY = 'builtin:default';

/**
 * `trusted` skips the schema check: only for the built-in policies, which the test suite validates, so that the
 * common start-up path does not load the policy validator.
 */
export function loadPolicyText(text: string, origin: string, trusted = false): Policy {
  const src = parseYamlSource(text, origin);
  const where: Policy['locate'] = (path, prefer) => locate(src, path, prefer);
  const read = readNodes(src) ? documentPlain(src.doc, origin) : toPlain(src);
  const plain = text.includes('<<') ? mergeKeys(read, [], where) : read;
  return policyFrom(plain as PolicyDocument, origin, where, trusted);
}

/** Where a policy's numbers are numbers: the format version, a rule's service count, a custom driver's spec. */
const NUMERIC_KEYS = new Set(['version', 'min_services']);

/** The YAML tags a policy may write: the core schema's own (`!!str 4.0`). */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`));

/**
 * One walk of the policy's nodes, before its plain value is taken:
 *
 * - A tag a policy gives no meaning to is refused at its place. `!reset {}` or `!override` (Compose's own, to drop
 *   what is merged) was read as if it were not there, so an environment kept the class's options it meant to drop;
 *   `!!binary`, `!!set`, `!!omap` or `!Ref` were read as something else than written.
 * - A number written otherwise than JavaScript would (`4.0`, `0700`, `0x1F`, `1.50`, `+1`, `1e3`) is kept as
 *   written: option, label and parameter values go into the stack as strings, where `ver: 2.10` read as a number
 *   would be written "2.1", and `mode: 0700` "700". So is a key written so: `007:` names the class "007", not "7".
 *
 * Returns whether a number was kept as written, the document then changed to hold it.
 */
function readNodes(src: SourceFile): boolean {
  let changed = false;
  const refuseTag = (node: YamlNode) => {
    if (node.tag === undefined || CORE_TAGS.has(node.tag)) return;
    const shown = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
    const compose = shown === '!reset' || shown === '!override';
    // At the tag, where it is written on the value's line, else at the value.
    const start = node.range?.[0] ?? 0;
    const tagAt = src.text.lastIndexOf(shown, start);
    const at = tagAt >= 0 && !/[\r\n]/.test(src.text.slice(tagAt, start)) ? tagAt : start;
    throw new InputError(
      `invalid policy: the YAML tag ${shown} is not read in a policy${compose ? " (it is one of Compose's merge tags)" : ''}`,
      positionOf(src, at),
      compose ? "write the value without it; an environment takes one of its class's keys away with null (driver_opts: { o: null })" : 'write the value without the tag, or as a string in quotes',
      'invalid-policy',
    );
  };
  visit(src.doc, {
    Map: (_, node) => refuseTag(node),
    Seq: (_, node) => refuseTag(node),
    Scalar(key, node, path) {
      refuseTag(node);
      if (typeof node.value !== 'number' || !node.range) return;
      const written = src.text.slice(node.range[0], node.range[1]);
      if (written === String(node.value)) return;
      // A key is a name: class `007:` is the class "007" that `x-voldriver: "007"` asks for, not "7".
      if (key === 'key') {
        if (node.type === 'PLAIN') {
          node.value = written;
          changed = true;
        }
        return;
      }
      if (!Number.isFinite(node.value)) return;
      const keys = path.filter(isPair).map((pair) => (isScalar(pair.key) ? pair.key.value : undefined));
      if (keys[0] === 'drivers' || NUMERIC_KEYS.has(String(keys[keys.length - 1]))) return;
      node.value = written;
      changed = true;
    },
  });
  return changed;
}

const MERGE_KEY = '<<';

/**
 * `<<` merge keys applied, as in Compose files (`<<: *base` takes the keys of the mapping anchored `base` that the
 * mapping does not set itself): a class or environment that shares its driver with others through an anchor. A `<<`
 * whose value is not a mapping or a list of them is refused at its place. Locations still find every merged value
 * (locate follows `<<`).
 */
function mergeKeys(value: unknown, path: DocPath, where: Policy['locate'], memo = new WeakMap<object, Record<string, unknown>>()): unknown {
  if (Array.isArray(value)) return value.map((item, index) => mergeKeys(item, [...path, index], where, memo));
  if (!isTree(value)) return value;
  let map: Record<string, unknown> = value;
  if (hasOwn(map, MERGE_KEY)) {
    const sources = own(map, MERGE_KEY);
    if (!(Array.isArray(sources) ? sources : [sources]).every(isTree)) {
      throw new InputError(
        'invalid policy: a << merge key takes a mapping (an alias such as *base) or a list of mappings',
        where([...path, MERGE_KEY]),
        undefined,
        'invalid-policy',
      );
    }
    map = withMergeKeys(map, memo);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(map)) setOwn(out, key, mergeKeys(own(map, key), [...path, key], where, memo));
  return out;
}

/**
 * A policy given as data rather than as a file (the library's `policy` option): checked like a file, and its
 * findings name `origin` without a line. The caller's object is copied, never changed.
 */
export function loadPolicyObject(data: object, origin = '<policy object>'): Policy {
  let copy: PolicyDocument;
  try {
    copy = structuredClone(data) as PolicyDocument;
  } catch (error) {
    throw new InputError(`invalid policy: it must be plain data (${(error as Error).message})`, { file: origin });
  }
  if (!copy || typeof copy !== 'object' || Array.isArray(copy)) throw new InputError('invalid policy: it must be a mapping', { file: origin });
  return policyFrom(copy, origin, () => ({ file: origin, line: 0, col: 0 }), false);
}

function policyFrom(data: PolicyDocument, origin: string, where: Policy['locate'], trusted: boolean): Policy {
  const schemaFindings = trusted ? [] : validateModel('policy', data, where, origin);
  if (schemaFindings.length > 0) throw policyError(schemaFindings[0], schemaFindings.length);
  if (data.drivers) data.drivers = data.drivers.map(completeDriver);
  const policy: Policy = { origin, data, locate: where, environments: environmentsOf(data) };
  checkReferences(policy);
  const accessErrors = checkPolicyAccess(policy).filter((finding) => finding.severity === 'error');
  if (accessErrors.length > 0) throw policyError(accessErrors[0], accessErrors.length);
  return policy;
}

export function loadBuiltinPolicy(reference: string): Policy {
  const name = reference.slice(BUILTIN_PREFIX.length);
  const text = own(builtinPolicies, name);
  if (text === undefined) {
    throw new InputError(
      `unknown built-in policy "${name}"${didYouMean(name, Object.keys(builtinPolicies))}; built-in policies: ${Object.keys(builtinPolicies).join(', ')}`,
    );
  }
  return loadPolicyText(text, reference, true);
}

/**
 * A policy's driver entry, with the catalog's defaults for what the schema lets it leave out. `options` stays
 * absent when the policy gives none: the checks then know nothing of its keys, rather than that it takes none.
 */
function completeDriver(driver: Partial<DriverSpec> & Pick<DriverSpec, 'name' | 'scope' | 'attach'>): DriverSpec {
  return {
    family: 'policy',
    description: 'Described in the policy.',
    status: 'active',
    zoneBound: false,
    caseInsensitiveKeys: false,
    unknownOptions: 'ignore',
    ...driver,
  } as DriverSpec;
}

function policyError(first: Finding, count: number): InputError {
  const more = count > 1 ? ` (and ${count - 1} more problem${count > 2 ? 's' : ''})` : '';
  // A check that runs at load (access-mismatch) names its code, which is how it is silenced.
  const code = first.code === 'schema' ? 'invalid-policy' : first.code;
  const named = code === 'invalid-policy' ? '' : `${code}: `;
  return new InputError(`invalid policy: ${named}${first.message}${more}`, { file: first.file, line: first.line, col: first.col }, first.hint, code);
}

/** The names `environments:` lists, in either of its forms; undefined when the policy has none. */
export function declaredEnvironments(data: PolicyDocument): string[] | undefined {
  if (data.environments === undefined) return undefined;
  return Array.isArray(data.environments) ? data.environments : Object.keys(data.environments);
}

function environmentsOf(data: PolicyDocument): string[] {
  const names = new Set(declaredEnvironments(data) ?? []);
  if (!data.environments) {
    for (const spec of Object.values(data.classes)) for (const env of Object.keys(spec.environments ?? {})) names.add(env);
  }
  return [...names].sort();
}

/** Every value of the policy that placeholders are filled in, with its place. */
function templates(data: PolicyDocument): [DocPath, unknown][] {
  const out: [DocPath, unknown][] = [];
  const values = (path: DocPath, map: Record<string, unknown> | null | undefined) => {
    for (const key of Object.keys(map ?? {})) out.push([[...path, key], own(map!, key)]);
  };
  const mapping = (path: DocPath, spec: Record<string, unknown>) => {
    for (const field of ['driver', 'name'] as const) if (hasOwn(spec, field)) out.push([[...path, field], own(spec, field)]);
    for (const field of ['driver_opts', 'labels', 'parameters'] as const) values([...path, field], own(spec, field) as Record<string, unknown> | undefined);
    ((own(spec, 'placement') as unknown[] | undefined) ?? []).forEach((value, index) => out.push([[...path, 'placement', index], value]));
  };
  values(['parameters'], data.parameters);
  if (data.environments && !Array.isArray(data.environments)) {
    for (const [env, spec] of Object.entries(data.environments)) values(['environments', env, 'parameters'], spec?.parameters);
  }
  for (const [name, spec] of Object.entries(data.classes)) {
    mapping(['classes', name], spec as unknown as Record<string, unknown>);
    for (const [env, override] of Object.entries(spec.environments ?? {})) mapping(['classes', name, 'environments', env], override as unknown as Record<string, unknown>);
  }
  data.rules?.forEach((rule, index) => values(['rules', index, 'parameters'], rule.parameters));
  return out;
}

function checkReferences(policy: Policy): void {
  const { data } = policy;
  for (const [path, value] of templates(data)) {
    if (typeof value !== 'string') continue;
    const [first] = notPlaceholders(value);
    if (first === undefined) continue;
    throw new InputError(
      `invalid policy: ${first.written} is no placeholder: a placeholder's name is letters, digits and _, not a digit first, without spaces, so render would write ${first.written} into the value as it is`,
      policy.locate(path),
      `write {${first.meant}}, and give the parameter that name`,
      'invalid-policy',
    );
  }
  const classes = Object.keys(data.classes);
  const unknownClass = (name: string, path: DocPath) => {
    if (hasOwn(data.classes, name)) return;
    throw new InputError(
      `invalid policy: unknown class "${name}"${didYouMean(name, classes)}; classes: ${someNames(classes)}`,
      policy.locate(path),
      undefined,
      'invalid-policy',
    );
  };
  if (data.default_class !== undefined) unknownClass(data.default_class, ['default_class']);
  data.rules?.forEach((rule, index) => {
    unknownClass(rule.class, ['rules', index, 'class']);
    for (const field of ['volume', 'service', 'image'] as const) {
      const globs = rule.match[field];
      const list = Array.isArray(globs) ? globs : globs === undefined ? [] : [globs];
      list.forEach((glob, at) => {
        try {
          parseGlob(glob);
        } catch (error) {
          if (!(error instanceof GlobError)) throw error;
          const path = Array.isArray(globs) ? ['rules', index, 'match', field, at] : ['rules', index, 'match', field];
          throw new InputError(`invalid policy: rule ${index + 1} has an invalid glob ${error.message}`, policy.locate(path), 'globs take *, ?, [abc], [a-z] and [!abc]');
        }
      });
    }
  });
  const declared = declaredEnvironments(data);
  if (declared) {
    for (const [className, spec] of Object.entries(data.classes)) {
      for (const env of Object.keys(spec.environments ?? {})) {
        if (declared.includes(env)) continue;
        throw new InputError(
          `invalid policy: class "${className}" overrides environment "${env}", which is not in environments${didYouMean(env, declared)}`,
          policy.locate(['classes', className, 'environments', env], 'key'),
          undefined,
          'invalid-policy',
        );
      }
    }
  }
}

/** Refuses an --env the policy does not know, with a suggestion; any name is fine for a policy without environments. */
export function checkEnvironment(policy: Policy, env: string | undefined): void {
  if (env === undefined || policy.environments.length === 0 || policy.environments.includes(env)) return;
  throw new InputError(
    `unknown environment "${env}" for policy ${policy.origin}${didYouMean(env, policy.environments)}; environments: ${someNames(policy.environments)}`,
  );
}
