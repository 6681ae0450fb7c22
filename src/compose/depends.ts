/**
 * `depends_on` between services: Compose refuses a cycle ("dependency cycle detected: a -> b -> a") and a name no
 * service has. A `volumes_from` entry naming a service (`db`, `db:ro`; not `container:NAME`) is a dependency too:
 * Compose starts that service first, and refuses the project when there is none.
 */
import type { DocPath } from '../findings.js';
import { isTree } from './merge.js';

interface Reference {
  name: string;
  /** Where it is written, below the service. */
  at: DocPath;
}

function references(service: unknown): Reference[] {
  if (!isTree(service)) return [];
  const out: Reference[] = [];
  const value = service.depends_on;
  if (Array.isArray(value)) value.forEach((name, i) => typeof name === 'string' && out.push({ name, at: ['depends_on', i] }));
  else if (isTree(value)) for (const name of Object.keys(value)) out.push({ name, at: ['depends_on', name] });
  const from = service.volumes_from;
  if (Array.isArray(from)) {
    from.forEach((entry, i) => {
      if (typeof entry !== 'string' || entry.startsWith('container:')) return;
      out.push({ name: entry.split(':')[0], at: ['volumes_from', i] });
    });
  }
  return out;
}

function dependencies(service: unknown): string[] {
  return references(service).map((reference) => reference.name);
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
        const edge = references(services[cycle[0]]).find((reference) => reference.name === cycle[1]);
        return { chain: cycle, path: ['services', cycle[0], ...(edge?.at.slice(0, 1) ?? ['depends_on'])] };
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
 * The first `depends_on` or `volumes_from` entry of `services` naming a service that `defined` (every service of
 * the project, those its profiles switch off included) does not hold, with the entry's path.
 */
export function undefinedDependency(
  services: unknown,
  defined: ReadonlySet<string>,
): { service: string; dependency: string; path: DocPath; key: 'depends_on' | 'volumes_from' } | undefined {
  if (!isTree(services)) return undefined;
  for (const name of Object.keys(services)) {
    const missing = references(services[name]).find((reference) => !defined.has(reference.name));
    if (missing === undefined) continue;
    return { service: name, dependency: missing.name, path: ['services', name, ...missing.at], key: missing.at[0] as 'depends_on' | 'volumes_from' };
  }
  return undefined;
}
