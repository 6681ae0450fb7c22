/**
 * A service naming a network, secret or config that the project does not declare: Compose refuses the project
 * ("service "app" refers to undefined network backend"), and docker stack deploy refuses the stack when it deploys.
 * The network `default` needs no declaration. Volumes are the plan's (undefined-volume).
 */
import type { DocPath } from '../findings.js';
import { isTree } from './merge.js';

export interface UndefinedReference {
  service: string;
  kind: 'network' | 'secret' | 'config';
  name: string;
  /** The entry: a list item, the key of a mapping entry, or the source of a long form. */
  path: DocPath;
}

/**
 * Services that set both `network_mode` and `networks` (a list or mapping that names one): Compose refuses the
 * project ("service "app" declares mutually exclusive `network_mode` and `networks`"), often after an override
 * sets `network_mode: host` on a service whose base file lists networks. The path is the `networks` key.
 */
export function serviceNetworkModes(model: unknown): { service: string; mode: string; path: DocPath }[] {
  if (!isTree(model) || !isTree(model.services)) return [];
  const found: { service: string; mode: string; path: DocPath }[] = [];
  for (const service of Object.keys(model.services)) {
    const definition = model.services[service];
    if (!isTree(definition) || typeof definition.network_mode !== 'string' || definition.network_mode === '') continue;
    const networks = definition.networks;
    const named = Array.isArray(networks) ? networks.length > 0 : isTree(networks) ? Object.keys(networks).length > 0 : false;
    if (named) found.push({ service, mode: definition.network_mode, path: ['services', service, 'networks'] });
  }
  return found;
}

export function undefinedReferences(model: unknown): UndefinedReference[] {
  if (!isTree(model) || !isTree(model.services)) return [];
  const declared = (section: string) => new Set(isTree(model[section]) ? Object.keys(model[section]) : []);
  const networks = declared('networks');
  const secrets = declared('secrets');
  const configs = declared('configs');
  const found: UndefinedReference[] = [];
  for (const service of Object.keys(model.services)) {
    const definition = model.services[service];
    if (!isTree(definition)) continue;
    const at = ['services', service];
    const used = definition.networks;
    if (Array.isArray(used)) {
      used.forEach((name, i) => {
        if (typeof name === 'string' && name !== 'default' && !networks.has(name)) found.push({ service, kind: 'network', name, path: [...at, 'networks', i] });
      });
    } else if (isTree(used)) {
      for (const name of Object.keys(used)) if (name !== 'default' && !networks.has(name)) found.push({ service, kind: 'network', name, path: [...at, 'networks', name] });
    }
    for (const [key, kind, known] of [['secrets', 'secret', secrets], ['configs', 'config', configs]] as const) {
      const list = definition[key];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        const name = typeof entry === 'string' ? entry : isTree(entry) && typeof entry.source === 'string' ? entry.source : undefined;
        if (name !== undefined && !known.has(name)) found.push({ service, kind, name, path: typeof entry === 'string' ? [...at, key, i] : [...at, key, i, 'source'] });
      });
    }
  }
  return found;
}
