/**
 * What each named volume becomes: pure data that explain prints, render applies and later stages reuse.
 * Nothing downstream recomputes it.
 */
import { emptyRecord, hasOwn, own, setOwn } from '../own.js';
import type { DocPath, Finding } from '../findings.js';
import { ExpansionError, interpolateString, TemplateError } from '../compose/interpolate.js';
import { expandedMessage, MAX_NESTING } from '../compose/limits.js';
import { asObject, driveLetterMounts, namedVolumes, serviceMounts, stringValues, type VolumeMount } from '../compose/mounts.js';
import { parseLabel } from '../compose/labels.js';
import { attachModeOf, findDriver, findOption, formatSize, normalizeDriverName, parseSize } from '../policies/catalog/index.js';
import { fillPlaceholders, placeholdersIn, soleplaceholder } from '../policies/placeholders.js';
import { classPlaceholders, environmentParameters, resolveMapping, type ResolvedMapping } from '../policies/mapping.js';
import { didYouMean, nearest, someNames, someSteps, suggestionBudget, type SuggestionBudget } from '../suggest.js';
import { CLASS_LABEL, renderedClass, resolveClass } from '../policies/resolve-class.js';
import { ownedBy, staleName, type UserWritten } from './owned.js';
import type { Policy, Scalar } from '../policies/types.js';
import type { Provenance, ValueOrigin, VolumePlan } from '../plan/volume-plan.js';

export type { VolumePlan };

export interface PlanOptions {
  /** The policy environment whose class overrides apply. */
  env?: string;
  /** The parameters: --set key=value. */
  set?: Record<string, string>;
  /** The variables (the caller's, then .env or --env-file): VOLDRIVER_<NAME> fills {name}, ${VAR} in policy values. */
  variables?: Record<string, string | undefined>;
  projectName?: string;
  /** Names and constraints the compose files write as render never does: the user's, never taken away (see owned.ts). */
  userWritten?: UserWritten;
  /**
   * Services the inactive Compose profiles switch off. Rules match on them too (min_services, service, image), so
   * that enabling a profile never gives a volume another class, and another driver, than the run without it.
   */
  offServices?: Record<string, unknown>;
}

export interface PlanResult {
  plans: VolumePlan[];
  findings: Finding[];
}

type Obj = Record<string, unknown>;

const str = (value: Scalar): string => String(value);

export function planVolumes(model: Obj, policy: Policy, options: PlanOptions = {}): PlanResult {
  const findings: Finding[] = [];
  const mounts = serviceMounts(model);
  const services = asObject(model.services);
  const volumes = namedVolumes(model);
  const declared = new Set(volumes.map(([key]) => key));

  for (const mount of mounts) {
    // A mount shared through volumes_from is reported once, at the service that writes it.
    if (declared.has(mount.volume) || mount.from !== undefined) continue;
    findings.push({
      code: 'undefined-volume',
      severity: 'error',
      message: `service "${mount.service}" mounts volume "${mount.volume}", which is not declared under top-level volumes`,
      hint:
        mount.syntax === 'short'
          ? `add "${mount.volume}:" under volumes, or mount a path (./${mount.volume}) for a bind mount`
          : /^[/.~]|^[A-Za-z]:[\\/]/.test(mount.volume)
            ? `"${mount.volume}" is a host path: write type: bind to mount it (type: volume takes a volume name)`
            : `add "${mount.volume}:" under volumes, or write type: bind with a host path for a bind mount`,
      path: mount.path,
    });
  }

  for (const mount of driveLetterMounts(model)) {
    findings.push({
      code: 'drive-letter-mount',
      severity: 'error',
      message: `service "${mount.service}" mounts "${mount.entry}", which Docker reads as the Windows drive path "${mount.drivePath}", not as volume "${mount.volume}": the service would get no part of that volume's data`,
      hint: `write the mount in the long syntax ({ type: volume, source: ${mount.volume}, target: ... }), or give the volume a name of two characters or more`,
      path: mount.path,
    });
  }

  const mountsByVolume = new Map<string, VolumeMount[]>();
  for (const mount of mounts) {
    const list = mountsByVolume.get(mount.volume);
    if (list) list.push(mount);
    else mountsByVolume.set(mount.volume, [mount]);
  }
  // For the rules: who mounts each volume once every profile is on.
  const offMounts = new Map<string, { name: string; image?: string }[]>();
  const offServices = options.offServices ?? {};
  for (const mount of serviceMounts({ services: offServices })) {
    const list = offMounts.get(mount.volume) ?? [];
    if (list.some((service) => service.name === mount.service)) continue;
    const image = asObject(own(offServices, mount.service)).image;
    list.push({ name: mount.service, image: typeof image === 'string' ? image : undefined });
    offMounts.set(mount.volume, list);
  }
  const variableParameters = parametersFromVariables(options.variables);
  const declaredParameters = new Map<string, Record<string, Scalar>>();
  // Thousands of volumes share a few classes: each class's mapping is resolved once.
  const mappings = new Map<string, ClassValues>();
  const suggestions = suggestionBudget();
  const plans = volumes.map(([key, definition]) => {
    const mounted = mountsByVolume.get(key) ?? [];
    const serviceNames = [...new Set(mounted.map((mount) => mount.service))];
    const decision = resolveClass(
      policy,
      {
      key,
      definition,
      services: [
        ...serviceNames.map((name) => {
          const image = asObject(own(services, name)).image;
          return { name, image: typeof image === 'string' ? image : undefined };
        }),
        ...(offMounts.get(key) ?? []),
      ],
      },
      suggestions,
    );
    findings.push(...decision.findings);
    const external = decision.reason === 'external';
    const plan: VolumePlan = {
      volume: key,
      class: decision.class,
      reason: decision.reason,
      rule: decision.rule,
      because: decision.because,
      managed: false,
      external,
      driver: typeof definition.driver === 'string' ? definition.driver : undefined,
      driver_opts: stringValues(definition.driver_opts),
      labels: {},
      placement: [],
      name: undefined,
      services: serviceNames,
      mounts: mounted,
      parameters: {},
      secretOptions: [],
      ignore: decision.ignore,
      provenance: composeProvenance(key, definition, options.projectName),
    };
    if (decision.class !== undefined && !decision.findings.some((f) => f.severity === 'error')) {
      const errorsBefore = findings.length;
      const fromPolicy = mapClass(
        plan,
        policy,
        decision.class,
        decision.parameters,
        decision.rule !== undefined ? { index: decision.rule - 1, parameters: policy.data.rules?.[decision.rule - 1]?.parameters } : undefined,
        variableParameters,
        options,
        findings,
        mappings,
        suggestions,
      );
      plan.managed = !findings.slice(errorsBefore).some((f) => f.severity === 'error');
      if (plan.managed) plan.provenance = fromPolicy;
      const before = renderedClass(definition);
      if (plan.managed && before === undefined) findings.push(...replacedLabels(key, definition.labels, plan));
      if (plan.managed && before !== undefined && !hasOwn(policy.data.classes, before)) {
        findings.push({
          code: 'unknown-rendered-class',
          severity: 'warning',
          message:
            `volume "${key}" was rendered for class "${before}", which policy ${policy.origin} does not define: the labels, name ` +
            `and placement constraints that render wrote for it cannot be told from your own, so they stay in the output`,
          hint: `remove what class "${before}" wrote by hand, or render the file as it was before any render`,
          volume: key,
          path: ['volumes', key, 'labels'],
        });
      }
      if (plan.managed && before !== undefined) {
        plan.owned = ownedBy(policy, [before, decision.class]);
        const user = options.userWritten;
        if (user) {
          plan.owned.userNames = own(user.names, key) ?? [];
          const placement: Record<string, string[]> = emptyRecord();
          for (const service of serviceNames) {
            const constraints = own(user.constraints, service);
            if (constraints) setOwn(placement, service, constraints);
          }
          plan.owned.userPlacement = placement;
        }
      }
    }
    if (decision.reason === 'x-voldriver') declaredParameters.set(key, decision.parameters);
    // A name an earlier render wrote and this environment gives none goes from the output: the engine name is then
    // Docker's own again.
    const written = writtenName(definition);
    const kept = plan.managed && staleName(plan.owned, plan.name, written) ? undefined : written;
    plan.engineName = engineName(options.projectName, key, plan.name ?? kept, external);
    describeDriver(plan, policy);
    return plan;
  });
  findings.push(...unusedParameters(plans, policy, options, declaredParameters, suggestions));
  return { plans, findings };
}

/**
 * Parameters that no placeholder takes: an error when the name is a typo of one the policy uses (the value is
 * lost), else a warning (it may be meant for another policy or stack). A --set the policy uses, but not for this
 * stack in this environment, is fine: one command line often serves several.
 */
function unusedParameters(
  plans: readonly VolumePlan[],
  policy: Policy,
  options: PlanOptions,
  declared: Map<string, Record<string, Scalar>>,
  suggestions: SuggestionBudget,
): Finding[] {
  const findings: Finding[] = [];
  const builtins = ['volume', 'class', 'env', 'project'];
  const byClass = new Map<string, Set<string>>();
  const usedBy = (className: string) => {
    let names = byClass.get(className);
    if (!names) byClass.set(className, (names = classPlaceholders(policy, className)));
    return names;
  };
  const listed = new Map<string, string>();
  const takes = (className: string) => {
    let text = listed.get(className);
    if (text === undefined) listed.set(className, (text = someNames([...usedBy(className)].sort())));
    return text;
  };
  const everywhere = new Set<string>();
  for (const className of Object.keys(policy.data.classes)) for (const name of usedBy(className)) everywhere.add(name);
  // Parameter values may use placeholders too.
  const environments = policy.data.environments && !Array.isArray(policy.data.environments) ? Object.values(policy.data.environments) : [];
  for (const values of [policy.data.parameters, ...environments.map((environment) => environment?.parameters)]) {
    for (const value of Object.values(values ?? {})) for (const name of placeholdersIn(String(value))) everywhere.add(name);
  }
  for (const plan of plans) {
    if (plan.class === undefined || !plan.managed) continue;
    const used = usedBy(plan.class);
    for (const key of Object.keys(declared.get(plan.volume) ?? {})) {
      if (used.has(key)) continue;
      // Close to a name the policy uses: a typo, whose value is lost. Otherwise it may be meant for another policy.
      const typo = nearest(key, everywhere, suggestions, true);
      findings.push({
        code: 'unknown-parameter',
        severity: typo ? 'error' : 'warning',
        message: typo
          ? `volume "${plan.volume}" gives parameter "${key}", which no placeholder of class "${plan.class}" uses, so its value would be lost (did you mean "${typo}"?)`
          : `volume "${plan.volume}" gives parameter "${key}", which no placeholder of class "${plan.class}" in policy ${policy.origin} uses: it has no effect here`,
        hint: `${used.size > 0 ? `class "${plan.class}" takes: ${takes(plan.class)}` : `class "${plan.class}" takes no parameters`}${typo ? '' : '; if it is meant for another policy, silence this with ignore: [unknown-parameter]'}`,
        volume: plan.volume,
        path: ['volumes', plan.volume, 'x-voldriver', key],
        pointAt: 'key',
      });
    }
  }
  for (const key of Object.keys(options.set ?? {})) {
    if (builtins.includes(key)) continue;
    if (!everywhere.has(key)) {
      // A typo of a name the policy uses is an error; any other name may be meant for another stack's policy.
      const typo = nearest(key, everywhere, suggestions, true);
      findings.push({
        code: 'unknown-parameter',
        severity: typo ? 'error' : 'warning',
        message: `--set ${key}: no placeholder of policy ${policy.origin} uses "${key}", so its value is not used${typo ? ` (did you mean "${typo}"?)` : ''}`,
        hint: everywhere.size > 0 ? `the policy's placeholders: ${someNames([...everywhere].sort())}` : 'the policy has no placeholders',
      });
    }
  }
  return findings;
}

/** VOLDRIVER_NFS_SERVER=x fills {nfs_server}. */
function parametersFromVariables(variables: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = emptyRecord();
  for (const [name, value] of Object.entries(variables)) {
    const match = /^VOLDRIVER_([A-Z0-9_]+)$/.exec(name);
    // Set but empty (a CI secret that is not defined) gives no value: the policy's own, if any, applies.
    if (match && value !== undefined && value !== '') setOwn(out, match[1].toLowerCase(), value);
  }
  return out;
}

/**
 * Labels the user wrote on a volume never rendered before that the class sets to another value: render writes the
 * class's value over theirs (and docker compose offers to recreate an existing volume whose labels differ).
 */
function replacedLabels(key: string, labels: unknown, plan: VolumePlan): Finding[] {
  const written: Record<string, string> = emptyRecord();
  if (Array.isArray(labels)) {
    for (const entry of labels) {
      const [label, value] = parseLabel(entry);
      setOwn(written, label, value);
    }
  } else if (labels && typeof labels === 'object') {
    for (const [label, value] of Object.entries(labels)) setOwn(written, label, value === null || value === undefined ? '' : String(value));
  }
  return Object.entries(plan.labels).flatMap(([label, value]): Finding[] => {
    const was = own(written, label);
    if (label === CLASS_LABEL || was === undefined || was === value) return [];
    return [
      {
        code: 'label-replaced',
        severity: 'warning',
        message: `class "${plan.class}" sets label "${label}" of volume "${key}" to "${value}", over the "${was}" written here`,
        hint: `drop the label from the volume to take the class's value, or give the volume a class that leaves "${label}" alone`,
        volume: key,
        path: Array.isArray(labels) ? ['volumes', key, 'labels'] : ['volumes', key, 'labels', label],
      },
    ];
  });
}

/** What the local driver accepts as a volume name (moby's RestrictedNameChars, two characters or more). */
const LOCAL_VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The `name:` a volume is created with. Compose and stack deploy take an empty one (`name: ""`, `name: ${UNSET}`) as
 * none: the volume is `<project>_<key>`, or its key when external.
 */
function givenName(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The name a volume definition gives: `name:`, else the deprecated `external: { name: ... }`, which Compose and
 * stack deploy read as the name of the external volume (they refuse both together, see the schema).
 */
function writtenName(definition: Record<string, unknown>): string | undefined {
  return givenName(definition.name) ?? givenName(asObject(definition.external).name);
}

const isExternal = (definition: Record<string, unknown>): boolean =>
  definition.external === true || (typeof definition.external === 'object' && definition.external !== null && !Array.isArray(definition.external));

function engineName(project: string | undefined, key: string, name: string | undefined, external: boolean): string | undefined {
  if (name !== undefined) return name;
  if (external) return key;
  return project ? `${project}_${key}` : undefined;
}

/** Where a volume's values are written in the compose model, and what it was before render. */
function composeProvenance(key: string, definition: Record<string, unknown>, project: string | undefined): Provenance {
  const at: DocPath = ['volumes', key];
  const written = (field: string): ValueOrigin | undefined => (definition[field] !== undefined ? { source: 'compose', path: [...at, field] } : undefined);
  const options: Record<string, ValueOrigin> = emptyRecord();
  for (const option of Object.keys(stringValues(definition.driver_opts))) options[option] = { source: 'compose', path: [...at, 'driver_opts', option] };
  const name = writtenName(definition);
  const legacy = givenName(definition.name) === undefined && name !== undefined;
  return {
    driver: written('driver'),
    options,
    optionsAt: { source: 'compose', path: [...at, 'driver_opts'] },
    name: legacy ? { source: 'compose', path: [...at, 'external', 'name'] } : written('name'),
    previous: {
      driver: stringOrUndefined(definition.driver),
      driver_opts: definition.driver_opts !== undefined ? stringValues(definition.driver_opts) : undefined,
      name,
      engineName: engineName(project, key, name, isExternal(definition)),
    },
  };
}

function describeDriver(plan: VolumePlan, policy: Policy): void {
  const spec = findDriver(plan.driver ?? 'local', policy.data.drivers);
  if (!spec) return;
  plan.driverSpec = spec;
  plan.scope = spec.scope;
  plan.attach = attachModeOf(spec, plan.driver_opts);
  plan.secretOptions = Object.keys(plan.driver_opts).filter((key) => findOption(spec, key)?.secret);
}

/** Where a placeholder's value comes from. */
interface Source {
  raw: string;
  path?: DocPath;
}

/** A class's mapping in the run's environment, and the values its volumes share: made once per class. */
interface ClassValues {
  resolved: ResolvedMapping;
  /** Lowest first: the policy's, the environment's, the class's parameters. */
  shared: Map<string, Source>;
  /** --set, over it: over a rule's parameters too. */
  given: Map<string, Source>;
  /** VOLDRIVER_*, under --set, by the placeholder's name in lower case (VOLDRIVER_NFSSERVER fills {nfsServer}). */
  fromVariables: Map<string, Source>;
}

function classValues(policy: Policy, className: string, variableParameters: Record<string, string>, options: PlanOptions): ClassValues {
  const env = options.env;
  const resolved = resolveMapping(policy, className, env);
  const shared = new Map<string, Source>();
  const given = new Map<string, Source>();
  const layer = (into: Map<string, Source>, values: Record<string, Scalar> | undefined, pathOf?: (key: string) => DocPath) => {
    for (const [key, value] of Object.entries(values ?? {})) into.set(key, { raw: str(value), path: pathOf?.(key) });
  };
  layer(shared, policy.data.parameters, (key) => ['parameters', key]);
  if (env !== undefined) layer(shared, environmentParameters(policy, env), (key) => ['environments', env, 'parameters', key]);
  layer(shared, resolved.mapping.parameters, (key) => own(resolved.paths.parameters, key)!);
  const fromVariables = new Map<string, Source>();
  layer(fromVariables, variableParameters);
  layer(given, Object.fromEntries(Object.entries(options.set ?? {}).filter(([, value]) => value !== '')));
  return { resolved, shared, given, fromVariables };
}

function mapClass(
  plan: VolumePlan,
  policy: Policy,
  className: string,
  volumeParameters: Record<string, Scalar>,
  rule: { index: number; parameters?: Record<string, Scalar> } | undefined,
  variableParameters: Record<string, string>,
  options: PlanOptions,
  findings: Finding[],
  mappings: Map<string, ClassValues>,
  suggestions: SuggestionBudget,
): Provenance {
  const env = options.env;
  const key = `${env ?? ''}\u0000${className}`;
  let values = mappings.get(key);
  if (!values) mappings.set(key, (values = classValues(policy, className, variableParameters, options)));
  const { mapping, paths } = values.resolved;
  plan.policyPath = ['classes', className];

  const builtins: Record<string, string> = emptyRecord();
  Object.assign(builtins, { volume: plan.volume, class: className });
  if (env !== undefined) builtins.env = env;
  if (options.projectName) builtins.project = options.projectName;
  // Lowest first. A policy value is interpolated only when a placeholder uses it: a `${VAR:?}` for another
  // environment's parameter does not stop this one.
  // The volume's own values over the class's, without copying those for each volume.
  // A rule's parameters are the policy's values for the volumes it matches: over the class's, under --set.
  const { shared, given, fromVariables } = values;
  const fromVolume = new Map<string, Source>(Object.entries(volumeParameters).map(([name, value]) => [name, { raw: str(value) }]));
  const fromRule = new Map<string, Source>(
    Object.entries(rule?.parameters ?? {}).map(([name, value]) => [name, { raw: str(value), path: ['rules', rule!.index, 'parameters', name] }]),
  );
  const source = (name: string) =>
    fromVolume.get(name) ?? given.get(name) ?? fromVariables.get(name.toLowerCase()) ?? fromRule.get(name) ?? shared.get(name);
  function* sourceNames(): Generator<string> {
    yield* shared.keys();
    yield* given.keys();
    yield* fromVariables.keys();
    yield* fromRule.keys();
    yield* fromVolume.keys();
    yield* Object.keys(builtins);
  }
  const variables = options.variables ?? {};
  /** The parameters placeholders used, as filled in. */
  const parameters: Record<string, string> = emptyRecord();
  plan.parameters = parameters;

  const missing = (name: string, path: DocPath) => {
    // A name close to one the policy gives a value for is a typo in the policy, not a missing value.
    const typo = nearest(name, sourceNames(), suggestions, true);
    const variable = `VOLDRIVER_${name.toUpperCase()}`;
    const empty = own(options.set ?? {}, name) === '' ? `--set ${name}=` : own(variables, variable) === '' ? `${variable}` : undefined;
    findings.push({
      code: 'missing-parameter',
      severity: 'error',
      message:
        `class "${className}" needs a value for {${name}} (volume "${plan.volume}")${typo ? ` (did you mean {${typo}}?)` : ''}` +
        (empty ? `: ${empty} is empty, which gives no value` : ''),
      hint: typo
        ? `the policy has a value for {${typo}}: if {${name}} is a typo, write {${typo}} in the policy`
        : name === 'env'
          ? `{env} is the name of the environment the run renders for, and it has none: pass --env NAME`
          : name === 'project'
            ? `{project} is the project or stack name, and the run has none: pass -p NAME`
            : `pass --set ${name}=VALUE, set VOLDRIVER_${name.toUpperCase()}, or add "${name}" to the class parameters or the volume's x-voldriver`,
      volume: plan.volume,
      source: 'policy',
      path,
    });
  };
  const tooLong = (what: string, path: DocPath) => () =>
    findings.push({
      code: 'value-too-long',
      severity: 'error',
      message: `class "${className}": ${expandedMessage(what)} (volume "${plan.volume}")`,
      hint: 'parameters that use one another more than once each grow at every step: use each at most once',
      volume: plan.volume,
      source: 'policy',
      path,
    });
  // A parameter's value may use other placeholders; they are filled when it is used, and a cycle is an error.
  const expanded = new Map<string, string>();
  const expanding: string[] = [];
  const cycles = new Set<string>();
  const lookupAt = (path: DocPath) => {
    const lookup = (name: string): string | undefined => {
      const found = source(name);
      if (!found) return own(builtins, name);
      const done = expanded.get(name);
      if (done !== undefined) return done;
      const from = expanding.indexOf(name);
      if (from >= 0) {
        const chain = someSteps([...expanding.slice(from), name].map((n) => `{${n}}`));
        if (!cycles.has(chain)) {
          cycles.add(chain);
          findings.push({
            code: 'parameter-cycle',
            severity: 'error',
            message: `parameter {${name}} refers to itself: ${chain} (volume "${plan.volume}")`,
            hint: 'give one of these parameters a value without placeholders',
            volume: plan.volume,
            source: 'policy',
            path,
          });
        }
        return `{${name}}`;
      }
      // Each level is a few calls deep: a chain of thousands of parameters would end the call stack.
      if (expanding.length >= MAX_NESTING) {
        if (!cycles.has('\u0000deep')) {
          cycles.add('\u0000deep');
          findings.push({
            code: 'parameter-too-deep',
            severity: 'error',
            message: `parameter {${expanding[0]}} refers to others more than ${MAX_NESTING} levels deep, through {${name}} (volume "${plan.volume}")`,
            hint: 'give a parameter nearer the end of the chain a value without placeholders',
            volume: plan.volume,
            source: 'policy',
            path,
          });
        }
        return `{${name}}`;
      }
      expanding.push(name);
      const raw = found.path ? interpolatePolicyValue(found.raw, found.path, plan.volume, variables, findings) : found.raw;
      const value = withBraces(fillPlaceholders(raw, lookup, (inner) => missing(inner, path), tooLong(`the value of {${name}}`, path)));
      expanding.pop();
      expanded.set(name, value);
      setOwn(parameters, name, value);
      return value;
    };
    return lookup;
  };
  /** The value of a policy template; `used` collects the values its placeholders took. */
  const fill = (raw: string, path: DocPath, used?: Record<string, string>): string => {
    const lookup = lookupAt(path);
    const recorded = used
      ? (name: string) => {
          const value = lookup(name);
          if (value !== undefined) used[name] = value;
          return value;
        }
      : lookup;
    return withBraces(
      fillPlaceholders(interpolatePolicyValue(raw, path, plan.volume, variables, findings), recorded, (name) => missing(name, path), tooLong('the value', path)),
    );
  };
  const policyOrigin = (path: DocPath, placeholders?: Record<string, string>): ValueOrigin =>
    placeholders && Object.keys(placeholders).length > 0 ? { source: 'policy', path, placeholders } : { source: 'policy', path };

  const driverUsed: Record<string, string> = emptyRecord();
  const driver = fill(mapping.driver, paths.driver, driverUsed);
  const spec = findDriver(driver, policy.data.drivers);
  const opts: Record<string, string> = {};
  const origins: Record<string, ValueOrigin> = emptyRecord();
  for (const [key, raw] of Object.entries(mapping.driver_opts ?? {})) {
    const path = own(paths.driver_opts, key)!;
    const template = str(raw);
    const sole = soleplaceholder(template);
    const option = spec ? findOption(spec, key) : undefined;
    const soleValue = sole !== undefined && option?.type.kind === 'size' ? lookupAt(path)(sole) : undefined;
    const used: Record<string, string> = emptyRecord();
    if (sole !== undefined && option?.type.kind === 'size' && soleValue !== undefined) {
      used[sole] = soleValue;
      setOwn(opts, key, convertSize(soleValue, option.type.format, sole, plan, path, findings) ?? fill(template, path, used));
    } else {
      setOwn(opts, key, fill(template, path, used));
    }
    setOwn(origins, key, policyOrigin(path, used));
  }
  plan.driver = driver;
  plan.driver_opts = opts;
  for (const [key, value] of Object.entries(mapping.labels ?? {})) setOwn(plan.labels, key, fill(str(value), own(paths.labels, key)!));
  plan.labels[CLASS_LABEL] = className;
  plan.placement = (mapping.placement ?? []).map((constraint, index) => fill(constraint, [...paths.placement, index]));
  const nameUsed: Record<string, string> = emptyRecord();
  if (mapping.name !== undefined) plan.name = fill(mapping.name, paths.name, nameUsed);
  // The local driver names volumes as containers are named; a swarm template ({{.Task.Slot}}) is filled per task.
  if (plan.name !== undefined && normalizeDriverName(driver ?? 'local') === 'local' && !plan.name.includes('{{') && !LOCAL_VOLUME_NAME.test(plan.name)) {
    findings.push({
      code: 'invalid-volume-name',
      severity: 'error',
      message:
        `class "${className}" names volume "${plan.volume}" "${plan.name}", which the local driver refuses: a local volume name ` +
        `is two characters or more, letters, digits, "_", "." and "-", starting with a letter or digit`,
      hint: 'change the class\'s name template, or the values its placeholders take',
      volume: plan.volume,
      source: 'policy',
      path: paths.name,
    });
  }
  return {
    driver: policyOrigin(paths.driver, driverUsed),
    options: origins,
    optionsAt: { source: 'policy', path: paths.driverOptsAt },
    name: mapping.name !== undefined ? policyOrigin(paths.name, nameUsed) : plan.provenance.name,
    previous: plan.provenance.previous,
  };
}

/**
 * Braces a variable's value brings into a policy value, held apart while the `{name}` placeholders are filled: a
 * password such as `p{a}ss` is text, not a placeholder.
 */
const OPEN_BRACE = '\uE000';
const CLOSE_BRACE = '\uE001';
/** A variable's value, with its braces held apart. */
function bracesHeld(variables: Record<string, string | undefined>): (name: string) => string | undefined {
  return (name) => {
    const value = own(variables, name);
    return value === undefined || !/[{}]/.test(value) ? value : value.replaceAll('{', OPEN_BRACE).replaceAll('}', CLOSE_BRACE);
  };
}

function withBraces(value: string): string {
  return value.includes(OPEN_BRACE) || value.includes(CLOSE_BRACE) ? value.replaceAll(OPEN_BRACE, '{').replaceAll(CLOSE_BRACE, '}') : value;
}

/**
 * `${VAR}` in a policy value, by the compose files' rules and from the same variables (the environment, then
 * .env or --env-file); `{name}` placeholders are filled after, in the policy's text only (see withBraces).
 */
function interpolatePolicyValue(raw: string, path: DocPath, volume: string, variables: Record<string, string | undefined>, findings: Finding[]): string {
  if (!raw.includes('$')) return raw;
  try {
    return interpolateString(raw, bracesHeld(variables), {
      onUnset: (name) =>
        findings.push({
          code: 'unset-variable',
          severity: 'warning',
          message: `variable ${name} is not set; the policy value uses an empty string (volume "${volume}")`,
          hint: `set ${name} in the environment, the .env file or an --env-file, or give a default: \${${name}:-value}`,
          volume,
          source: 'policy',
          path,
        }),
    });
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const code = error instanceof ExpansionError ? 'value-too-long' : 'missing-variable';
    findings.push({ code, severity: 'error', message: `${error.message} (volume "${volume}")`, volume, source: 'policy', path });
    return raw;
  }
}

function convertSize(
  value: string,
  format: Parameters<typeof formatSize>[1],
  parameter: string,
  plan: VolumePlan,
  path: DocPath,
  findings: Finding[],
): string | undefined {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    findings.push({
      code: 'invalid-size',
      severity: 'error',
      message: `parameter ${parameter}="${value}" of volume "${plan.volume}" is not a size`,
      hint: 'write a number with a unit, such as 10Gi (binary), 10G (decimal) or 512Mi',
      volume: plan.volume,
      source: 'policy',
      path,
    });
    return undefined;
  }
  const formatted = formatSize(bytes, format);
  if (!formatted.exact) {
    findings.push({
      code: 'size-rounded',
      severity: 'info',
      message: `volume "${plan.volume}": ${parameter}=${value} is not a whole number of the driver's unit; rounded up to "${formatted.value}"`,
      volume: plan.volume,
      path: ['volumes', plan.volume],
    });
  }
  return formatted.value;
}
