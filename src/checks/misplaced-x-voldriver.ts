/**
 * An x-voldriver that render never reads: written where a class has no meaning (on a service, a mount, the top
 * level, a network), or a key that is almost `x-voldriver` (`x-voldrivr`, `X-Voldriver`, `x_voldriver`). Compose
 * accepts any `x-` key anywhere and ignores it, so the volume stays as written, with its old driver, and nothing
 * else would say so. And a class on a volume no service mounts, named a letter or two away from one that is mounted
 * (`dta` in an override that meant `data`): the mounted volume keeps its class without a word.
 */
import { asObject, serviceMounts } from '../compose/mounts.js';
import { hasOwn } from '../own.js';
import { EXTENSION_KEY } from '../policies/resolve-class.js';
import type { DocPath, Finding } from '../findings.js';
import { closest, editDistance, suggestionBudget } from '../suggest.js';
import type { Check } from './types.js';

const CANONICAL = 'xvoldriver';

/** Whether a key that is not `x-voldriver` looks like it was meant to be: case, separators and two typos aside. */
function nearlyTheKey(key: string): boolean {
  if (key === EXTENSION_KEY || key.length > 40) return false;
  const folded = key.toLowerCase().replace(/[^a-z]/g, '');
  if (folded === 'voldriver' || folded === 'xvoldrivers' || folded === 'xvolumedriver') return true;
  return /^x[-_]/i.test(key.trim()) ? editDistance(folded, CANONICAL) <= 2 : folded === CANONICAL;
}

/** The sections whose entries a stray x-voldriver is looked for in, besides services and volumes. */
const OTHER_SECTIONS = ['networks', 'configs', 'secrets'];

export const misplacedXVoldriver: Check = {
  code: 'misplaced-x-voldriver',
  severity: 'warning',
  summary: 'an x-voldriver render never reads: on a service, a mount or the top level, or a key spelled almost so',
  docs: 'docs/checks.md#misplaced-x-voldriver',
  run(ctx) {
    const findings: Omit<Finding, 'code' | 'severity'>[] = [];
    const model = ctx.model;
    const where = (path: DocPath, key: string, place: string, volume?: string) => {
      const misspelt = key !== EXTENSION_KEY;
      const target = volume === undefined ? 'the volume' : `volume "${volume}"`;
      findings.push({
        message: misspelt
          ? `"${key}" ${place} is not x-voldriver, so render does not read it as a class`
          : `x-voldriver ${place} gives no class: render reads it only on a volume of the top-level volumes section`,
        hint: misspelt
          ? `write the key as x-voldriver, on ${target} under the top-level volumes:`
          : `move it to ${target}, under the top-level volumes: (volumes: { NAME: { x-voldriver: CLASS } })`,
        path,
        pointAt: 'key',
      });
    };
    /** The keys of one mapping that are, or nearly are, x-voldriver. */
    const scan = (value: unknown, path: DocPath, place: string, allowed: boolean, volume?: string) => {
      for (const key of Object.keys(asObject(value))) {
        if (key === EXTENSION_KEY ? !allowed : nearlyTheKey(key)) where([...path, key], key, place, volume);
      }
    };
    scan(model, [], 'at the top level', false);
    for (const [volume, definition] of Object.entries(asObject(model.volumes))) scan(definition, ['volumes', volume], `on volume "${volume}"`, true, volume);
    for (const [service, definition] of Object.entries(asObject(model.services))) {
      const spec = asObject(definition);
      scan(spec, ['services', service], `on service "${service}"`, false);
      scan(spec.deploy, ['services', service, 'deploy'], `in the deploy section of service "${service}"`, false);
      const mounts = spec.volumes;
      if (!Array.isArray(mounts)) continue;
      mounts.forEach((mount, index) => {
        const place = `in a mount of service "${service}"`;
        const source = asObject(mount).source;
        const volume = typeof source === 'string' ? source : undefined;
        scan(mount, ['services', service, 'volumes', index], place, false, volume);
        scan(asObject(mount).volume, ['services', service, 'volumes', index, 'volume'], place, false, volume);
      });
    }
    // A class on a volume that nothing mounts, with the name of one that is mounted but a typo away.
    const mounted = new Set(ctx.plans.filter((plan) => plan.mounts.length > 0).map((plan) => plan.volume));
    for (const mount of serviceMounts({ services: ctx.project.offServices ?? {} })) mounted.add(mount.volume);
    // One budget for the whole search: thousands of unmounted volumes against thousands of mounted ones stay linear.
    const budget = suggestionBudget();
    for (const plan of ctx.plans) {
      if (mounted.has(plan.volume) || !hasOwn(asObject(asObject(model.volumes)[plan.volume]), EXTENSION_KEY)) continue;
      const meant = closest(plan.volume, mounted, budget);
      if (meant === undefined || editDistance(plan.volume, meant) > 2) continue;
      findings.push({
        message: `x-voldriver on volume "${plan.volume}" reaches no service: no service mounts "${plan.volume}" (did you mean "${meant}"?), and "${meant}" keeps the class it has without it`,
        hint: `write the class on volume "${meant}", or remove volume "${plan.volume}"`,
        path: ['volumes', plan.volume, EXTENSION_KEY],
        volume: plan.volume,
        pointAt: 'key',
      });
    }
    for (const section of OTHER_SECTIONS) {
      for (const [name, definition] of Object.entries(asObject(model[section]))) scan(definition, [section, name], `on ${section.slice(0, -1)} "${name}"`, false);
    }
    return findings;
  },
};
