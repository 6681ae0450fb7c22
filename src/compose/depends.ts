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

/**
 * The first cycle, as the chain of service names (its first name repeated at the end), and where it starts.
 * Walked with a stack of its own: a chain of thousands of dependencies is a valid project, not a stack overflow.
 */
export function dependencyCycle(services: unknown): { chain: string[]; path: DocPath } | undefined {
  if (!isTree(services)) return undefined;
  const state = new Map<string, 'open' | 'done'>();
  const known = (name: string) => Object.prototype.hasOwnProperty.call(services, name);
  for (const start of Object.keys(services)) {
    if (state.get(start) === 'done') continue;
    // The open chain: each service with the dependencies it has still to follow.
    const chain: string[] = [start];
    const pending: string[][] = [dependencies(services[start])];
    const followed: number[] = [0];
    const at = new Map<string, number>([[start, 0]]);
    state.set(start, 'open');
    while (chain.length > 0) {
      const top = pending.length - 1;
      if (followed[top] === pending[top].length) {
        state.set(chain.pop()!, 'done');
        pending.pop();
        followed.pop();
        continue;
      }
      const next = pending[top][followed[top]++];
      if (state.get(next) === 'done' || !known(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = [...chain.slice(at.get(next)), next];
        return { chain: cycle, path: ['services', cycle[0], 'depends_on'] };
      }
      state.set(next, 'open');
      at.set(next, chain.length);
      chain.push(next);
      pending.push(dependencies(services[next]));
      followed.push(0);
    }
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
