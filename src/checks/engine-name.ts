/** Engine names a driver cannot take, or reads a meaning into, once the stack prefix is added. */
import type { Finding } from '../findings.js';
import { knownPlans, nameWhere, volumeName } from './common.js';
import type { Check } from './types.js';

/** Docker fills `{{...}}` templates per task; a stand-in of plain characters lets the pattern judge the rest. */
const sample = (name: string) => name.replace(/\{\{.*?\}\}/g, '1');

const compiled = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let found = compiled.get(pattern);
  if (!found) compiled.set(pattern, (found = new RegExp(pattern)));
  return found;
}

export const engineName: Check = {
  code: 'engine-name',
  severity: 'warning',
  summary: 'a volume name the driver rejects or reads a meaning into (the "<stack>_" prefix on gcepd, dobs, glusterfs, rbd...)',
  docs: 'docs/checks.md#engine-name',
  run(ctx) {
    const findings: Finding[] = [];
    for (const plan of knownPlans(ctx)) {
      const rule = plan.driverSpec.nameRule;
      if (!rule) continue;
      const explicit = volumeName(plan);
      const derived = explicit === undefined;
      const project = ctx.project.projectName;
      const shown = explicit ?? plan.engineName ?? `${project ?? '<stack>'}_${plan.volume}`;
      const tested = sample(explicit ?? plan.engineName ?? `${project ?? 'stack'}_${plan.volume}`);
      const driver = plan.driverSpec.name;
      const where = () => ({ volume: plan.volume, ...nameWhere(ctx, plan) });
      const prefixNote = derived ? ' (Docker adds the "<stack>_" prefix because the volume sets no name:)' : '';
      // The rest of a rule's text is about the stack prefix, which a name set with name: does not get.
      const ruleText = derived ? rule.message : rule.message.split(/(?<=\.)\s+/)[0];
      // The example is the key made of what every driver takes, and only given when this driver takes it too.
      const candidate = plan.volume.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
      const example = candidate !== '' && (rule.pattern === undefined || regex(rule.pattern).test(candidate)) ? candidate : undefined;
      const fix = derived
        ? example !== undefined
          ? `set a name the driver accepts, e.g. name: "${example}"`
          : 'set a name the driver accepts with name:'
        : 'choose a name the driver accepts';
      if (rule.pattern !== undefined && !regex(rule.pattern).test(tested)) {
        findings.push({
          code: 'engine-name',
          severity: 'warning',
          message: `volume "${plan.volume}" is created as "${shown}"${prefixNote}, which ${driver} cannot take: creating it fails. ${ruleText}`,
          hint: fix,
          ...where(),
        });
        continue;
      }
      // A name written on purpose may use the meaning (pool.name, vol/subdir); a derived one only has it by accident.
      const meaning = derived ? (rule.meaningful ?? []).find((part) => regex(part.pattern).test(tested)) : undefined;
      if (meaning) {
        findings.push({
          code: 'engine-name',
          severity: 'warning',
          message: `volume "${plan.volume}" is created as "${shown}"${prefixNote}; for ${driver}, ${meaning.meaning}: the driver ends up using another volume than intended`,
          hint: `${fix}. ${ruleText}`,
          ...where(),
        });
      }
    }
    return findings;
  },
};
