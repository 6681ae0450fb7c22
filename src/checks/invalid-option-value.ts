/**
 * Option values the driver cannot take: wrong type, a size in the wrong unit or too small, a value Docker, the plugin
 * or its backend is documented to refuse. A value the catalog only does not list is a warning: it is unverified.
 */
import { findOption, parseDriverSize, parseSize, rejectionOf, validateOptionValue } from '../policies/catalog/index.js';
import type { DriverSpec, OptionSpec } from '../policies/catalog/types.js';
import type { Finding, Severity } from '../findings.js';
import { knownPlans, optionSpecOf, optionWhere, unresolved } from './common.js';
import type { Check } from './types.js';

/** The driver-wide minimum, for size options whose own type carries none. */
function belowDriverMinimum(spec: DriverSpec, option: OptionSpec, value: string): string | undefined {
  if (option.type.kind !== 'size' || option.type.min !== undefined || spec.minSize === undefined) return undefined;
  const min = parseSize(spec.minSize);
  const bytes = parseDriverSize(value, option.type.format);
  if (min === undefined || bytes === undefined || bytes >= min) return undefined;
  return `${option.name} "${value}" is below the driver's minimum of ${spec.minSize}`;
}

/**
 * For a size the driver reads as bytes when it has no unit, under a mebibyte: how it is read ("N bytes") and the
 * value with the driver's unit written; else undefined.
 */
function bareBytes(option: OptionSpec, value: string): { read: string; meant: string } | undefined {
  if (option.type.kind !== 'size' || option.type.format.bareUnit !== 'B' || !/^\d+$/.test(value) || Number(value) >= 2 ** 20) return undefined;
  return { read: `${value} byte${value === '1' ? '' : 's'}`, meant: `${value}${option.type.format.suffix ?? ''}` };
}

function consequence(option: OptionSpec, problem: string): string {
  if (/minimum/.test(problem)) return 'the provider refuses to create a volume that small, so the task is rejected';
  if (option.type.kind === 'size') return 'the driver cannot read it: creating the volume fails, or the volume gets the default size';
  return 'the driver refuses to create the volume (the task is rejected) or ignores the value and uses its default';
}

/** The option's description and example; a policy's own driver may give neither. */
function expected(option: OptionSpec, driver: string): string {
  const example = option.example !== undefined ? ` Example: ${option.name}: "${option.example}".` : '';
  const description = option.description ? option.description : `driver ${driver} gives it no description (a description: on the option in the policy's drivers: is shown here)`;
  return `${option.name}: ${description}${example}`;
}

export const invalidOptionValue: Check = {
  code: 'invalid-option-value',
  severity: 'error',
  summary: 'an option value the driver cannot take: wrong type or unit, below the minimum size, or refused by Docker, the plugin or its backend (an unlisted value: a warning)',
  docs: 'docs/checks.md#invalid-option-value',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      const spec = optionSpecOf(plan, ctx);
      for (const [key, value] of Object.entries(plan.driver_opts)) {
        const option = findOption(spec, key);
        if (!option || unresolved(value)) continue;
        const report = (severity: Severity, problem: string, hint: string) =>
          findings.push({ code: 'invalid-option-value', severity, message: `volume "${plan.volume}" (driver ${spec.name}): ${problem}`, hint, volume: plan.volume, ...optionWhere(plan, key) });
        const rejection = rejectionOf(spec, option, value, plan.driver_opts);
        if (rejection) {
          report('error', `${option.name} "${value}" is refused by ${rejection.by}: ${rejection.reason}`, `write ${rejection.instead}`);
          continue;
        }
        const problem = validateOptionValue(option, value) ?? belowDriverMinimum(spec, option, value);
        const bytes = problem ? undefined : bareBytes(option, value);
        if (bytes) {
          // Taken, but as bytes: a quota nobody means.
          report('warning', `${option.name} "${value}" has no unit, so ${spec.name} reads it as ${bytes.read}, not the ${value} GiB or MiB it may be meant as`, `write the unit: ${option.name}: "${bytes.meant}"`);
          continue;
        }
        if (!problem) continue;
        if (option.type.kind === 'enum') {
          // A value the catalog does not list may still be one the backend takes (a newer volume type).
          report(
            'warning',
            `"${value}" is not among the values the catalog lists for ${option.name} (${option.type.values.join(', ')}); ` +
              `the backend may take it (a newer type, say), but that is unverified: if it does not, creating the volume fails and the task is rejected`,
            `check that the ${spec.name} version in use takes ${option.name}: "${value}"; silence this with ignore: [invalid-option-value] once it does`,
          );
          continue;
        }
        report('error', `${problem}; ${consequence(option, problem)}`, expected(option, spec.name));
      }
    }
    return findings;
  },
};
