/** Plugin settings (`docker plugin set`, daemon flags) written as volume options, where they do nothing. */
import { findOption } from '../policies/catalog/index.js';
import type { DriverSpec } from '../policies/catalog/types.js';
import type { Finding } from '../findings.js';
import { knownPlans, optionSpecOf, optionWhere } from './common.js';
import type { Check } from './types.js';

export interface SettingMatch {
  setting: string;
  message: string;
}

/** Plugin settings are environment variables of the plugin, so they are spelled in upper case with underscores. */
const SETTING_STYLE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Why `key` on a volume of `spec` is really a plugin setting, if it is one. */
export function pluginSettingFor(spec: DriverSpec, key: string): SettingMatch | undefined {
  const trap = (spec.pluginSettings ?? []).find((t) => t.option.toLowerCase() === key.toLowerCase());
  if (trap) return { setting: trap.setting, message: trap.message };
  // A driver that rejects unknown keys fails on it anyway; that is the unknown-option check's error.
  if (spec.unknownOptions === 'reject' || findOption(spec, key) || key.length < 3 || !SETTING_STYLE.test(key)) return undefined;
  const twin = (spec.options ?? []).find((o) => o.name.toLowerCase() === key.toLowerCase());
  if (twin) {
    return {
      setting: key,
      message:
        `"${key}" is spelled like the plugin setting ${key}; the volume option is "${twin.name}" (keys are case-sensitive), ` +
        `and where the plugin sets ${key} the two may not be combinable`,
    };
  }
  return { setting: key, message: `"${key}" is spelled like a plugin setting (an environment variable of the plugin), not a volume option` };
}

export const pluginSettingOption: Check = {
  code: 'plugin-setting-option',
  severity: 'warning',
  summary: 'a plugin setting (docker plugin set) written as a volume option, where it has no effect',
  docs: 'docs/checks.md#plugin-setting-option',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      const spec = optionSpecOf(plan, ctx);
      for (const key of Object.keys(plan.driver_opts)) {
        const match = pluginSettingFor(spec, key);
        if (!match) continue;
        findings.push({
          code: 'plugin-setting-option',
          severity: 'warning',
          message: `volume "${plan.volume}": option "${key}" has no effect on volumes of driver ${spec.name}, which are created with the plugin's own setting instead. ${match.message}`,
          hint: SETTING_STYLE.test(match.setting)
            ? `remove "${key}" from driver_opts and set it on the plugin of every node: docker plugin set <plugin> ${match.setting}=...`
            : `remove "${key}" from driver_opts and configure it where the plugin is set up: ${match.setting}`,
          volume: plan.volume,
          ...optionWhere(plan, key),
        });
      }
    }
    return findings;
  },
};
