/**
 * `depends_on` between services: Compose refuses a cycle ("dependency cycle detected: a -> b -> a") and a name no
 * service has.
 */
import type { DocPath } from '../findings.js';
import { isTree } from './merge.js';

function dependencies(service: unknown): string[] {
  if (!isTree(service)) return [];
  const value = service.depends_on;
  if (Array.isArray(value)) return value.filter((name): name is string => typeof name === 'string');
  return isTree(value) ? Object.keys(value) : [];
}

/** The first cycle, as the chain of service names (its first name repeated at the end), and where it starts. */
export function dependencyCycle(services: unknown): { chain: string[]; path: DocPath } | undefined {
  if (!isTree(services)) return undefined;
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (name: string): string[] | undefined => {
    if (state.get(name) === 'done' || !Object.prototype.hasOwnProperty.call(services, name)) return undefined;
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'open');
    stack.push(name);
    for (const next of dependencies(services[name])) {
      const found = walk(next);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(services)) {
    const chain = walk(name);
    if (chain) return { chain, path: ['services', chain[0], 'depends_on'] };
  }
  return undefined;
}

/**
 * The first `depends_on` entry of `services` naming a service that `defined` (every service of the project, those
 * its profiles switch off included) does not hold, with the entry's path.
 */
export function undefinedDependency(services: unknown, defined: ReadonlySet<string>): { service: string; dependency: string; path: DocPath } | undefined {
  if (!isTree(services)) return undefined;
  for (const name of Object.keys(services)) {
    const dependency = dependencies(services[name]).find((other) => !defined.has(other));
    if (dependency === undefined) continue;
    const value = (services[name] as { depends_on: unknown }).depends_on;
    return { service: name, dependency, path: ['services', name, 'depends_on', Array.isArray(value) ? value.indexOf(dependency) : dependency] };
  }
  return undefined;
}
