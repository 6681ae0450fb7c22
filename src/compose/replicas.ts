/**
 * A service's replica count, written twice: Compose runs `scale` containers, takes `deploy.replicas` as the same
 * count, and refuses a service that gives the two different values ("can't set distinct values on 'scale' and
 * 'deploy.replicas'").
 */
import type { DocPath } from '../findings.js';
import { isTree } from './merge.js';

/** A whole number as Compose reads it: a number, or a string of digits (with a sign: "+2", "02" is 2). */
function count(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value.trim());
  return undefined;
}

/** The first service whose `scale` and `deploy.replicas` are two different whole numbers, with where scale is. */
export function distinctScale(services: unknown): { service: string; scale: number; replicas: number; path: DocPath } | undefined {
  if (!isTree(services)) return undefined;
  for (const name of Object.keys(services)) {
    const service = services[name];
    if (!isTree(service)) continue;
    const scale = count(service.scale);
    const replicas = isTree(service.deploy) ? count(service.deploy.replicas) : undefined;
    if (scale !== undefined && replicas !== undefined && scale !== replicas) return { service: name, scale, replicas, path: ['services', name, 'scale'] };
  }
  return undefined;
}
