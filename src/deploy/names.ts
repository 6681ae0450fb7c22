/**
 * What `docker stack deploy` would refuse half-way, checked before it runs: names Swarm will not take, and
 * further arguments that would make it deploy something else than the checked file. docker creates a stack's
 * secrets, configs and networks before its services, one at a time, and stops at the first the engine refuses,
 * leaving the earlier ones behind; so everything it would refuse for its name is refused here, before the engine
 * is asked anything.
 */
import { asObject } from '../compose/mounts.js';
import { InputError, type Location } from '../findings.js';
import { hasOwn } from '../own.js';

type Obj = Record<string, unknown>;

/** Swarm's rule for service and network names: a DNS name component, 63 characters at most. */
const DNS_COMPONENT = /^[a-zA-Z0-9](?:[-_]*[a-zA-Z0-9]+)*$/;
const NAME_MAX = 63;
/** Secret and config names: letters, digits, -, _ and ., starting and ending with a letter or digit; 64 at most. */
const OBJECT_NAME = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/;
const OBJECT_MAX = 64;

/** Why Swarm would refuse the stack name itself, or undefined. */
export function stackNameProblem(stack: string): string | undefined {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(stack)) {
    return `"${stack}" is not a valid stack name: Swarm names its services and networks <stack>_<name>, which take letters, digits, _ and - only, starting with a letter or digit`;
  }
  return undefined;
}

interface EngineName {
  what: string;
  name: string;
  /** `dns`: services and networks; `object`: secrets and configs. */
  rule: 'dns' | 'object';
  path?: (string | number)[];
  /** Whether the name is written as a `name:` (its value) or made from the key. */
  written: boolean;
}

/**
 * The names docker stack deploy gives in the engine, each with what it is: services are `<stack>_<key>`; networks,
 * secrets and configs likewise, or the `name:` they are given. External ones are not created.
 */
function stackObjectNames(stack: string, model: Obj): EngineName[] {
  const names: EngineName[] = [];
  const services = Object.keys(asObject(model.services));
  for (const service of services) names.push({ what: `service "${service}"`, name: `${stack}_${service}`, rule: 'dns', path: ['services', service], written: false });
  const networks = asObject(model.networks);
  // A service with no networks: key is on the stack's default network.
  const usesDefault = Object.values(asObject(model.services)).some((service) => {
    const listed = asObject(service).networks;
    if (listed === undefined || listed === null) return true;
    return Array.isArray(listed) ? listed.includes('default') : hasOwn(asObject(listed), 'default');
  });
  if (usesDefault && !hasOwn(networks, 'default')) names.push({ what: 'the default network', name: `${stack}_default`, rule: 'dns', written: false });
  const sections = [['networks', 'network', 'dns'], ['secrets', 'secret', 'object'], ['configs', 'config', 'object']] as const;
  for (const [section, what, rule] of sections) {
    for (const [key, value] of Object.entries(asObject(model[section]))) {
      const item = asObject(value);
      if (item.external) continue;
      if (item.name !== undefined && item.name !== null) names.push({ what: `${what} "${key}"`, name: String(item.name), rule, path: [section, key, 'name'], written: true });
      else names.push({ what: `${what} "${key}"`, name: `${stack}_${key}`, rule, path: [section, key], written: false });
    }
  }
  return names;
}

/** Why Swarm would refuse an engine name, or undefined. */
function nameProblem(entry: EngineName): { why: string; hint: string } | undefined {
  const max = entry.rule === 'dns' ? NAME_MAX : OBJECT_MAX;
  if (entry.name.length > max) {
    return { why: `${entry.name.length} characters, Swarm takes ${max} at most`, hint: entry.written ? 'choose a shorter name:' : 'choose a shorter stack name, or shorter names in the file' };
  }
  if (entry.rule === 'dns' && !DNS_COMPONENT.test(entry.name)) {
    return { why: 'Swarm takes letters and digits separated by - or _ only', hint: 'rename it with letters, digits, - and _ only (a dot or a space is not taken)' };
  }
  if (entry.rule === 'object' && !OBJECT_NAME.test(entry.name)) {
    return {
      why: 'Swarm takes letters, digits, -, _ and ., starting and ending with a letter or digit',
      hint: 'rename it with letters, digits, -, _ and . only, starting and ending with a letter or digit',
    };
  }
  return undefined;
}

/**
 * Refuses (InputError) a stack whose engine names Swarm would not take: too long, or of characters it refuses; at
 * the place the first is written, when `locate` can say where.
 */
export function checkStackNames(stack: string, model: Obj, locate?: (path: (string | number)[], prefer?: 'value' | 'key') => Location): void {
  const problem = stackNameProblem(stack);
  if (problem) throw new InputError(problem);
  const refused = stackObjectNames(stack, model).flatMap((entry) => {
    const found = nameProblem(entry);
    return found ? [{ ...entry, ...found }] : [];
  });
  if (refused.length === 0) return;
  const [first] = refused;
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more: ${refused.slice(1).map((r) => r.name).join(', ')})` : '';
  throw new InputError(
    `stack "${stack}": ${first.what} would be named ${JSON.stringify(first.name)} in the engine (${first.why})${more}`,
    first.path && locate ? locate(first.path, first.written ? 'value' : 'key') : undefined,
    first.hint,
  );
}

/**
 * The options of docker stack deploy, in every Docker version (`--quiet` since 26, `--orchestrator` before 23),
 * by long name, with their one-letter forms: whether each takes a value.
 */
const STACK_DEPLOY_OPTIONS: Record<string, { value: boolean; short?: string }> = {
  'compose-file': { value: true, short: 'c' },
  detach: { value: false, short: 'd' },
  prune: { value: false },
  quiet: { value: false, short: 'q' },
  'resolve-image': { value: true },
  'with-registry-auth': { value: false },
  orchestrator: { value: true },
  help: { value: false, short: 'h' },
};
const LONG_OF_SHORT = new Map(Object.entries(STACK_DEPLOY_OPTIONS).flatMap(([long, option]) => (option.short ? [[option.short, long] as const] : [])));
/** docker's own options, which it takes only before `stack`: they choose the engine, and deploy chooses it. */
const DOCKER_GLOBAL = new Set(['H', 'host', 'context', 'config', 'tls', 'tlsverify', 'tlscacert', 'tlscert', 'tlskey', 'D', 'debug', 'l', 'log-level']);
const RESOLVE_IMAGE = ['always', 'changed', 'never'];
/** What the docker CLI takes for a switch's value (`--prune=false`). */
const BOOLEAN = /^(1|0|t|f|true|false)$/i;

/** What further docker stack deploy arguments ask for, where deploy itself acts on it. */
export interface DockerArgs {
  /** `--prune` (or `--prune=true`) given among them. */
  prune?: boolean;
}

/**
 * Refuses (InputError) further docker stack deploy arguments that would deploy something the preflight did not
 * check, or another stack, or nothing: a compose file of their own, a stack name, a wait of docker's own, docker's
 * help (docker prints it and deploys nothing), and any option docker stack deploy does not take (docker would
 * stop at it once the preflight passed). Read as docker reads them: `--name=value`, `-qc FILE`, `-cFILE`.
 */
export function checkDockerArgs(extra: readonly string[]): DockerArgs {
  const found: DockerArgs = {};
  const known = Object.keys(STACK_DEPLOY_OPTIONS)
    .filter((name) => !['compose-file', 'detach', 'help'].includes(name))
    .map((name) => `--${name}`)
    .join(', ');
  /** One option, by its long name, as written (`shown`), with the value written into the same argument, if any. */
  const option = (long: string, shown: string, attached: string | undefined, next: () => string | undefined): void => {
    if (long === 'compose-file') {
      throw new InputError(
        `docker-args: ${shown} would add a compose file that is neither rendered nor checked`,
        undefined,
        'give every compose file with -f: deploy renders and checks them, and hands docker the result',
      );
    }
    if (long === 'detach') throw new InputError(`docker-args: ${shown} is deploy's own choice: use --wait or --detach before the stack name`);
    if (long === 'help') throw new InputError(`docker-args: ${shown} would make docker print its help and deploy nothing`, undefined, 'see docker stack deploy --help');
    if (!STACK_DEPLOY_OPTIONS[long].value) {
      if (attached !== undefined && !BOOLEAN.test(attached)) throw new InputError(`docker-args: ${shown} "${attached}" is not true or false`);
      if (long === 'prune') found.prune = attached === undefined || /^(1|t|true)$/i.test(attached);
      return;
    }
    const value = attached ?? next();
    // docker would take the stack name, which comes last, for the value: a usage error once the preflight passed.
    if (value === undefined) throw new InputError(`docker-args: ${shown} needs a value${long === 'resolve-image' ? ' (always, changed or never)' : ''}`);
    if (long === 'resolve-image' && !RESOLVE_IMAGE.includes(value)) {
      throw new InputError(`docker-args: --resolve-image "${value}" is not always, changed or never`, undefined, 'or use deploy\'s own --resolve-image MODE');
    }
    if (long === 'orchestrator' && value !== 'swarm') {
      throw new InputError(`docker-args: --orchestrator "${value}" would deploy elsewhere than the Swarm the preflight checked`, undefined, 'leave --orchestrator out: deploy is for Swarm');
    }
  };
  const unknown = (shown: string, name: string): never => {
    if (DOCKER_GLOBAL.has(name)) {
      throw new InputError(
        `docker-args: ${shown} is docker's own option, which docker stack deploy does not take: docker would refuse it after the preflight passed`,
        undefined,
        'choose the engine before the stack name: --context NAME, or DOCKER_HOST / DOCKER_CONTEXT; deploy checks that engine and hands it to docker',
      );
    }
    throw new InputError(`docker-args: ${shown} is not an option of docker stack deploy (it takes ${known})`);
  };
  for (let i = 0; i < extra.length; i++) {
    const arg = extra[i];
    const next = () => {
      i++;
      return extra[i];
    };
    if (arg.startsWith('--') && arg.length > 2) {
      const at = arg.indexOf('=');
      const long = at < 0 ? arg.slice(2) : arg.slice(2, at);
      if (!Object.hasOwn(STACK_DEPLOY_OPTIONS, long)) unknown(`--${long}`, long);
      option(long, `--${long}`, at < 0 ? undefined : arg.slice(at + 1), next);
      continue;
    }
    if (arg === '--') {
      throw new InputError('docker-args: a second -- would end docker\'s options: docker would take what follows for more stack names and refuse them');
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A cluster of one-letter options (-qd); the first that takes a value takes the rest of the argument, or the next.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const long = LONG_OF_SHORT.get(letter);
        if (long === undefined) unknown(`-${letter}`, letter);
        const rest = arg.slice(j + 1);
        if (STACK_DEPLOY_OPTIONS[long as string].value) {
          option(long as string, `-${letter}`, rest === '' ? undefined : rest.replace(/^=/, ''), next);
          break;
        }
        if (rest.startsWith('=')) {
          option(long as string, `-${letter}`, rest.slice(1), next);
          break;
        }
        option(long as string, `-${letter}`, undefined, next);
      }
      continue;
    }
    throw new InputError(
      `docker-args: "${arg}" is not an option: the stack name is given once, before the docker arguments`,
      undefined,
      'put docker stack deploy options only after the stack name (compose-voldriver deploy STACK -f FILE -- --with-registry-auth)',
    );
  }
  return found;
}
