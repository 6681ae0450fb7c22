/** Which class a volume gets, and why: x-voldriver, an earlier render's label, explicit driver, a rule, the default. */
import { parseLabel } from '../compose/labels.js';
import { emptyRecord, hasOwn, own, setOwn } from '../own.js';
import type { DocPath, Finding } from '../findings.js';
import { didYouMean, editDistance, someNames, suggestionBudget, type SuggestionBudget } from '../suggest.js';
import { matchesAny } from './glob.js';
import type { Policy, RuleSpec, Scalar } from './types.js';

export const CLASS_LABEL = 'com.compose-voldriver.class';
export const EXTENSION_KEY = 'x-voldriver';

export type ClassReason = 'x-voldriver' | 'label' | 'explicit' | 'external' | 'rule' | 'default' | 'none';

export interface ClassDecision {
  class?: string;
  reason: ClassReason;
  /** 1-based index of the matching rule. */
  rule?: number;
  /** For a rule: in a few words, what matched ("postgres data", "mounted by app, worker", "name matches *cache*"). */
  because?: string;
  /** Parameters given on the volume (x-voldriver); a rule's stay in the policy, under `rule`. */
  parameters: Record<string, Scalar>;
  /** Check codes silenced for this volume (x-voldriver ignore). */
  ignore: string[];
  findings: Finding[];
}

export interface VolumeFacts {
  key: string;
  definition: Record<string, unknown>;
  services: { name: string; image?: string }[];
}

function labelValue(labels: unknown, key: string): string | undefined {
  if (Array.isArray(labels)) {
    for (const entry of labels) {
      if (typeof entry !== 'string') continue;
      const [name, value] = parseLabel(entry);
      if (name === key) return value;
    }
    return undefined;
  }
  if (labels && typeof labels === 'object') {
    const value = own(labels as Record<string, unknown>, key);
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

/** The class an earlier render recorded on a volume definition, if any. */
export function renderedClass(definition: Record<string, unknown>): string | undefined {
  return labelValue(definition.labels, CLASS_LABEL);
}

/** The policy's class names, listed once per policy however many volumes ask for one it lacks. */
const classLists = new WeakMap<Policy, string[]>();
function classNames(policy: Policy): string[] {
  let names = classLists.get(policy);
  if (names === undefined) classLists.set(policy, (names = Object.keys(policy.data.classes)));
  return names;
}

/** `suggestions`: the work left for "did you mean", shared by the volumes of one run. */
export function resolveClass(policy: Policy, volume: VolumeFacts, suggestions = suggestionBudget()): ClassDecision {
  const decision: ClassDecision = { reason: 'none', parameters: {}, ignore: [], findings: [] };
  const base: DocPath = ['volumes', volume.key];
  const def = volume.definition;
  const declared = def[EXTENSION_KEY];
  const isExternal = def.external !== undefined && def.external !== false && def.external !== 'false';

  const unknownClass = (name: string, path: DocPath) => {
    const classes = classNames(policy);
    decision.findings.push({
      code: 'unknown-class',
      severity: 'error',
      message: `volume "${volume.key}" asks for class "${name}", which policy ${policy.origin} does not define${didYouMean(name, classes, suggestions)}`,
      hint: `classes: ${someNames(classes)}`,
      volume: volume.key,
      path,
    });
  };

  if (declared !== undefined && declared !== null) {
    const parsed = parseExtension(declared, [...base, EXTENSION_KEY], volume.key);
    decision.findings.push(...parsed.findings);
    decision.parameters = parsed.parameters;
    decision.ignore = parsed.ignore;
    if (parsed.class !== undefined) {
      if (isExternal) {
        decision.findings.push({
          code: 'class-on-external',
          severity: 'error',
          message: `volume "${volume.key}" is external but declares class "${parsed.class}": Docker rejects driver options on external volumes`,
          hint: 'remove x-voldriver, or drop `external` so the stack creates the volume',
          volume: volume.key,
          path: [...base, EXTENSION_KEY],
        });
        decision.reason = 'external';
        return decision;
      }
      if (!hasOwn(policy.data.classes, parsed.class)) {
        unknownClass(parsed.class, parsed.classPath);
        return decision;
      }
      decision.class = parsed.class;
      decision.reason = 'x-voldriver';
      return decision;
    }
  }
  if (isExternal) {
    decision.reason = 'external';
    return decision;
  }
  const rendered = renderedClass(def);
  if (rendered !== undefined && hasOwn(policy.data.classes, rendered)) {
    decision.class = rendered;
    decision.reason = 'label';
    return decision;
  }
  if (def.driver !== undefined || def.driver_opts !== undefined) {
    decision.reason = 'explicit';
    return decision;
  }
  const rules = policy.data.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    const because = ruleMatch(rule.match, volume);
    if (because === undefined) continue;
    decision.class = rule.class;
    decision.reason = 'rule';
    decision.rule = index + 1;
    decision.because = because;
    // The rule's parameters are the policy's, not the volume's: planning puts them under --set (see mapClass).
    return decision;
  }
  if (policy.data.default_class !== undefined) {
    decision.class = policy.data.default_class;
    decision.reason = 'default';
  }
  return decision;
}

/** Whether a rule matches the volume: undefined if not, else in a few words what matched. */
export function ruleMatch(match: RuleSpec['match'], volume: Pick<VolumeFacts, 'key' | 'services'>): string | undefined {
  if (!matchesAny(volume.key, match.volume)) return undefined;
  if (match.min_services !== undefined && volume.services.length < match.min_services) return undefined;
  const said: string[] = [];
  if (match.service !== undefined || match.image !== undefined) {
    const service = volume.services.find(
      (candidate) =>
        matchesAny(candidate.name, match.service) &&
        (match.image === undefined || (candidate.image !== undefined && imageMatches(candidate.image, match.image))),
    );
    if (!service) return undefined;
    said.push(match.image !== undefined ? `${imageName(service.image!)} data` : `mounted by service ${service.name}`);
  }
  if (match.min_services !== undefined) said.push(`mounted by ${someNames(volume.services.map((service) => service.name), 10)}`);
  if (match.volume !== undefined) {
    const globs = Array.isArray(match.volume) ? match.volume : [match.volume];
    said.push(`name matches ${globs.find((glob) => matchesAny(volume.key, glob))}`);
  }
  return said.join(', ');
}

/** An image reference without its tag or digest: `docker.io/library/postgres:16` -> `docker.io/library/postgres`. */
function imageRepository(image: string): string {
  const bare = image.split('@')[0];
  const colon = bare.lastIndexOf(':');
  return colon > bare.lastIndexOf('/') ? bare.slice(0, colon) : bare;
}

/** The last path component of an image's repository: `bitnami/postgresql:16` -> `postgresql`. */
export function imageName(image: string): string {
  const repository = imageRepository(image);
  return repository.slice(repository.lastIndexOf('/') + 1);
}

/**
 * A repository as Docker reads it, and as people write it: `postgres`, `library/postgres` and
 * `docker.io/library/postgres` are one image, as are `bitnami/redis` and `docker.io/bitnami/redis`.
 */
function repositoryForms(repository: string): string[] {
  const slash = repository.indexOf('/');
  const first = slash < 0 ? '' : repository.slice(0, slash);
  const registry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (registry && first !== 'docker.io' && first !== 'index.docker.io') return [repository];
  const path = registry ? repository.slice(slash + 1) : repository;
  const full = path.includes('/') ? path : `library/${path}`;
  const familiar = full.startsWith('library/') && full.indexOf('/', 'library/'.length) < 0 ? full.slice('library/'.length) : full;
  return [...new Set([repository, familiar, full, `docker.io/${full}`])];
}

/**
 * A glob matches the reference as written, the reference without tag or digest, or its name alone; each with
 * the repository in any of the forms Docker reads as the same (`docker.io/library/postgres` matches `postgres:16`).
 */
function imageMatches(image: string, globs: string | string[]): boolean {
  const repository = imageRepository(image);
  const rest = image.slice(repository.length);
  const forms = repositoryForms(repository).flatMap((form) => [form + rest, form]);
  return [image, ...forms, imageName(image)].some((form) => matchesAny(form, globs));
}

interface ParsedExtension {
  class?: string;
  classPath: DocPath;
  parameters: Record<string, Scalar>;
  ignore: string[];
  findings: Finding[];
}

/** `x-voldriver: durable` or `x-voldriver: { class: shared, size: 50Gi, ignore: [code] }`. */
function parseExtension(value: unknown, path: DocPath, volume: string): ParsedExtension {
  const result: ParsedExtension = { classPath: path, parameters: emptyRecord(), ignore: [], findings: [] };
  const bad = (message: string, at: DocPath, hint?: string) =>
    result.findings.push({ code: 'invalid-x-voldriver', severity: 'error', message, volume, path: at, ...(hint ? { hint } : {}) });
  // YAML reads `x-voldriver: 2024` or `class: true` as a number or a boolean: the class name it means is in quotes.
  const quote = (entry: unknown) =>
    typeof entry === 'number' || typeof entry === 'boolean' ? 'YAML reads it as a number or a boolean, not as a name: write the class name in quotes, as x-voldriver: "007" for class 007' : undefined;
  if (typeof value === 'string') {
    result.class = value;
    return result;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    bad(`x-voldriver of volume "${volume}" must be a class name or a mapping with "class" and parameters`, path, quote(value));
    return result;
  }
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const at = [...path, key];
    if (key === 'class') {
      if (typeof entry === 'string') {
        result.class = entry;
        result.classPath = at;
      } else bad(`x-voldriver.class of volume "${volume}" must be a string`, at, quote(entry));
    } else if (key === 'ignore') {
      const codes = Array.isArray(entry) ? entry : [entry];
      if (codes.every((code) => typeof code === 'string')) result.ignore = codes as string[];
      else bad(`x-voldriver.ignore of volume "${volume}" must be a check code or a list of them`, at);
    } else if (['class', 'ignore'].some((name) => editDistance(key.toLowerCase(), name) === 1)) {
      // A parameter may have any name, but one a letter away from class or ignore is a typo, not a parameter.
      bad(`x-voldriver of volume "${volume}" has "${key}"${didYouMean(key, ['class', 'ignore'])}`, at);
    } else if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') {
      setOwn(result.parameters, key, entry);
    } else {
      bad(`parameter "${key}" of volume "${volume}" must be a string, number or boolean`, at);
    }
  }
  return result;
}
