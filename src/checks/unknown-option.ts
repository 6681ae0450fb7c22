/** Option keys the driver does not know: rejected by some drivers, silently ignored by the rest. */
import { findOption } from '../policies/catalog/index.js';
import type { DriverSpec } from '../policies/catalog/types.js';
import type { Finding } from '../findings.js';
import { didYouMean, someNames, suggestionBudget } from '../suggest.js';
import { knownPlans, optionSpecOf, optionWhere } from './common.js';
import { pluginSettingFor } from './plugin-setting-option.js';
import type { Check } from './types.js';

function optionNames(spec: DriverSpec): string[] {
  return (spec.options ?? []).flatMap((option) => [option.name, ...(option.aliases ?? [])]);
}

export const unknownOption: Check = {
  code: 'unknown-option',
  severity: 'warning',
  summary: 'an option the driver does not know: rejected (local, azurefile) or silently ignored',
  docs: 'docs/checks.md#unknown-option',
  run(ctx) {
    const findings: Finding[] = [];
    const suggestions = suggestionBudget();
    // Each driver's option names, listed once however many volumes use the driver.
    const listed = new Map<DriverSpec, { known: string[]; text: string }>();
    for (const plan of knownPlans(ctx)) {
      const spec = optionSpecOf(plan, ctx);
      // A policy's custom driver without an option list says nothing about which keys it takes.
      if (spec.options === undefined) continue;
      for (const key of Object.keys(plan.driver_opts)) {
        // Plugin settings written as options have their own check with a better fix.
        if (findOption(spec, key) || pluginSettingFor(spec, key)) continue;
        let names = listed.get(spec);
        if (names === undefined) listed.set(spec, (names = { known: optionNames(spec), text: someNames(optionNames(spec)) }));
        const { known, text } = names;
        const rejects = spec.unknownOptions === 'reject';
        const effect = rejects
          ? `the ${spec.name} driver rejects unknown options, so creating the volume fails ("invalid option")`
          : `the ${spec.name} driver ignores options it does not know, so this setting silently has no effect`;
        findings.push({
          code: 'unknown-option',
          severity: rejects ? 'error' : 'warning',
          message: `volume "${plan.volume}": option "${key}" is not an option of ${spec.name}${didYouMean(key, known, suggestions)}: ${effect}`,
          hint: known.length > 0 ? `${spec.name} options: ${text}` : `${spec.name} takes no volume options: remove it`,
          volume: plan.volume,
          ...optionWhere(plan, key),
          // The key is what is wrong, not its value.
          pointAt: 'key',
        });
      }
    }
    return findings;
  },
};
