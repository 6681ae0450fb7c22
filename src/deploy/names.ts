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
/** Secret and config names: 64 characters at most. */
const OBJECT_MAX = 64;

/** Why Swarm would refuse the stack name itself, or undefined. */
export function stackNameProblem(stack: string): string | undefined {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(stack)) {
    return `"${stack}" is not a valid stack name: Swarm names its services and networks <stack>_<name>, which take letters, digits, _ and - only, starting with a letter or digit`;
  }
  return undefined;
}

/**
 * The names docker stack deploy gives in the engine, each with what it is: services and networks are
 * `<stack>_<key>` (a network with `name:` or `external` keeps its own), secrets and configs likewise.
 */
function stackObjectNames(stack: string, model: Obj): { what: string; name: string; max: number; path?: (string | number)[] }[] {
  const names: { what: string; name: string; max: number; path?: (string | number)[] }[] = [];
  const services = Object.keys(asObject(model.services));
  for (const service of services) names.push({ what: `service "${service}"`, name: `${stack}_${service}`, max: NAME_MAX, path: ['services', service] });
  const networks = asObject(model.networks);
  // A service with no networks: key is on the stack's default network.
  const usesDefault = Object.values(asObject(model.services)).some((service) => {
    const listed = asObject(service).networks;
    if (listed === undefined || listed === null) return true;
    return Array.isArray(listed) ? listed.includes('default') : hasOwn(asObject(listed), 'default');
  });
  if (usesDefault && !hasOwn(networks, 'default')) names.push({ what: 'the default network', name: `${stack}_default`, max: NAME_MAX });
  for (const [key, value] of Object.entries(networks)) {
    const network = asObject(value);
    if (network.external || network.name !== undefined) continue;
    names.push({ what: `network "${key}"`, name: `${stack}_${key}`, max: NAME_MAX, path: ['networks', key] });
  }
  for (const section of ['secrets', 'configs'] as const) {
    for (const [key, value] of Object.entries(asObject(model[section]))) {
      const item = asObject(value);
      if (item.external || item.name !== undefined) continue;
      names.push({ what: `${section.slice(0, -1)} "${key}"`, name: `${stack}_${key}`, max: OBJECT_MAX, path: [section, key] });
    }
  }
  return names;
}

/**
 * Refuses (InputError) a stack whose engine names Swarm would not take: too long, or not a DNS name component; at
 * the place the first is written, when `locate` can say where.
 */
export function checkStackNames(stack: string, model: Obj, locate?: (path: (string | number)[], prefer?: 'value' | 'key') => Location): void {
  const problem = stackNameProblem(stack);
  if (problem) throw new InputError(problem);
  const refused = stackObjectNames(stack, model).filter(
    (entry) => entry.name.length > entry.max || (entry.max === NAME_MAX && !DNS_COMPONENT.test(entry.name)),
  );
  if (refused.length === 0) return;
  const [first] = refused;
  const tooLong = first.name.length > first.max;
  const why = tooLong ? `${first.name.length} characters, Swarm takes ${first.max} at most` : 'Swarm takes letters and digits separated by - or _ only';
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more: ${refused.slice(1).map((r) => r.name).join(', ')})` : '';
  throw new InputError(
    `stack "${stack}": ${first.what} would be named "${first.name}" in the engine (${why})${more}`,
    first.path && locate ? locate(first.path, 'key') : undefined,
    tooLong ? 'choose a shorter stack name, or shorter names in the file' : 'rename it with letters, digits, - and _ only (a dot or a space is not taken)',
  );
}

/** docker stack deploy options that take a value as the next argument. */
const WITH_VALUE = new Set(['-c', '--compose-file', '--resolve-image', '--orchestrator']);
const RESOLVE_IMAGE = ['always', 'changed', 'never'];

/**
 * Refuses (InputError) further docker stack deploy arguments that would deploy something the preflight did not
 * check, or another stack: a compose file of their own, a stack name, or a wait of docker's own.
 */
export function checkDockerArgs(extra: readonly string[]): void {
  for (let i = 0; i < extra.length; i++) {
    const arg = extra[i];
    const flag = arg.startsWith('--') ? arg.split('=')[0] : arg.startsWith('-') && arg.length > 1 ? arg.slice(0, 2) : undefined;
    if (flag === undefined) {
      throw new InputError(
        `docker-args: "${arg}" is not an option: the stack name is given once, before the docker arguments`,
        undefined,
        'put docker stack deploy options only after the stack name (compose-voldriver deploy STACK -f FILE -- --with-registry-auth)',
      );
    }
    if (flag === '-c' || flag === '--compose-file') {
      throw new InputError(
        `docker-args: ${flag} would add a compose file that is neither rendered nor checked`,
        undefined,
        'give every compose file with -f: deploy renders and checks them, and hands docker the result',
      );
    }
    if (flag === '-d' || flag === '--detach') {
      throw new InputError(`docker-args: ${flag} is deploy's own choice: use --wait or --detach before the stack name`);
    }
    if (!WITH_VALUE.has(flag)) continue;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : extra[i + 1];
    if (!arg.includes('=')) i++;
    // docker would take the stack name, which comes last, for the value: a usage error once the preflight passed.
    if (value === undefined) throw new InputError(`docker-args: ${flag} needs a value${flag === '--resolve-image' ? ' (always, changed or never)' : ''}`);
    if (flag === '--resolve-image' && !RESOLVE_IMAGE.includes(value)) {
      throw new InputError(`docker-args: --resolve-image "${value}" is not always, changed or never`, undefined, 'or use deploy\'s own --resolve-image MODE');
    }
  }
}
