/** Options the driver needs that are not there: always required, required in this configuration, or by another option. */
import { findOption, missingOptions, optionValue } from '../policies/catalog/index.js';
import type { Finding } from '../findings.js';
import { knownPlans, optionSpecOf, optionWhere } from './common.js';
import type { DriverSpec } from '../policies/catalog/types.js';
import { closest } from '../suggest.js';
import type { Check } from './types.js';

const present = (value: string | undefined) => value !== undefined && value !== '';

/**
 * Whether the volume has a key the driver does not know that is a typo of `name` (`tpye` for `type`):
 * unknown-option reports that key with the name it means, and a missing-option error would only repeat it.
 */
function misspelt(spec: DriverSpec, opts: Record<string, string>, name: string): boolean {
  return Object.keys(opts).some((key) => !findOption(spec, key) && closest(key, [name]) === name);
}

export const missingOption: Check = {
  code: 'missing-option',
  severity: 'error',
  summary: 'an option the driver needs is missing (local `o` without `type` and `device`, azurefile without `share`...)',
  docs: 'docs/checks.md#missing-option',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      const spec = optionSpecOf(plan, ctx);
      const opts = plan.driver_opts;
      for (const option of missingOptions(spec, opts)) {
        if (misspelt(spec, opts, option.name)) continue;
        const when = option.required ? '' : ' in this configuration';
        findings.push({
          code: 'missing-option',
          severity: 'error',
          message: `volume "${plan.volume}": driver ${spec.name} needs option "${option.name}"${when}; without it the driver refuses to create the volume and the task is rejected`,
          hint: `add ${option.name} to driver_opts: ${option.description}${option.example !== undefined ? ` (e.g. "${option.example}")` : ''}`,
          volume: plan.volume,
          ...optionWhere(plan, option.name),
        });
      }
      for (const key of Object.keys(opts)) {
        const option = findOption(spec, key);
        const lacking = (option?.requires ?? []).filter((name) => !present(optionValue(spec, opts, name)) && !misspelt(spec, opts, name));
        if (!option || lacking.length === 0 || !present(opts[key])) continue;
        findings.push({
          code: 'missing-option',
          severity: 'error',
          message:
            `volume "${plan.volume}": option "${key}" of ${spec.name} only works together with ${lacking.map((n) => `"${n}"`).join(' and ')}; ` +
            `creating the volume fails ("missing required option")`,
          hint: `add ${lacking.join(' and ')} to driver_opts, or remove "${key}"`,
          volume: plan.volume,
          ...optionWhere(plan, key),
        });
      }
    }
    return findings;
  },
};
