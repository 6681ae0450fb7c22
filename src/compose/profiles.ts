/** Service profiles: a service that lists profiles runs only when one of them is active; others always run. */
import { own, setOwn } from '../own.js';
import { InputError } from '../findings.js';
import { isTree, setOrigin, originOf, type Tree } from './merge.js';
import { locateInModel } from './locate.js';
import { referencePoint, referenceVerb, serviceReferences } from './depends.js';
import { someNames } from '../suggest.js';

/** `--profile` values when any are given, else COMPOSE_PROFILES (comma-separated). */
export function activeProfiles(option: readonly string[] | undefined, env: string | undefined): string[] {
  const given = option && option.length > 0 ? option : (env ?? '').split(',');
  return [...new Set(given.map((p) => p.trim()).filter((p) => p !== ''))];
}

export function isEnabled(service: unknown, active: readonly string[]): boolean {
  const profiles = isTree(service) ? service.profiles : undefined;
  if (!Array.isArray(profiles) || profiles.length === 0) return true;
  return active.includes('*') || profiles.some((p) => active.includes(String(p)));
}

/**
 * The model without the services that are off. A service that stays on may not require one that is off:
 * Compose refuses that project, and so do we (a `required: false` dependency is simply left out).
 */
export function applyProfiles(model: Tree, active: readonly string[]): { model: Tree; disabled: string[] } {
  const services = model.services;
  if (!isTree(services)) return { model, disabled: [] };
  const disabled = Object.keys(services).filter((name) => !isEnabled(services[name], active));
  if (disabled.length === 0) return { model, disabled };

  const off = new Set(disabled);
  const kept: Tree = {};
  for (const name of Object.keys(services)) {
    if (off.has(name)) continue;
    setOwn(kept, name, services[name]);
    setOrigin(kept, name, originOf(services, name));
  }
  for (const name of Object.keys(kept)) checkDependencies(model, name, kept[name], off, active);

  const out: Tree = {};
  for (const key of Object.keys(model)) {
    setOwn(out, key, key === 'services' ? kept : model[key]);
    setOrigin(out, key, originOf(model, key));
  }
  return { model: out, disabled };
}

function checkDependencies(model: Tree, name: string, service: unknown, disabled: ReadonlySet<string>, active: readonly string[]) {
  for (const reference of serviceReferences(service).references) {
    if (!disabled.has(reference.name) || !reference.required) continue;
    const dep = reference.name;
    const services = model.services as Tree;
    const profiles = isTree(own(services, dep)) ? (own(services, dep) as Tree).profiles : [];
    throw new InputError(
      `service "${name}" ${referenceVerb(reference.key)} service "${dep}", which is disabled: none of its profiles (${someNames(Array.isArray(profiles) ? profiles.map(String) : [], 10)}) is active` +
        (active.length > 0 ? ` (active: ${someNames(active, 10)})` : ''),
      locateInModel(model, ['services', name, ...reference.at], referencePoint(reference.key)),
      reference.key === 'depends_on'
        ? `activate one of them with --profile or COMPOSE_PROFILES, or mark the dependency "required: false"`
        : `activate one of them with --profile or COMPOSE_PROFILES, or remove the entry from ${reference.key}`,
      'undefined-service',
    );
  }
}
