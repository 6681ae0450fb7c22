/**
 * A rewrite that points an existing volume at another driver, name or options. Docker never migrates: the old
 * volume keeps its driver and options, and a new name is a new, empty volume.
 */
import { normalizeDriverName } from '../policies/catalog/index.js';
import type { DocPath, Finding } from '../findings.js';
import type { VolumePlan } from '../plan/volume-plan.js';
import { volumeKeyWhere } from './common.js';
import type { Check, CheckContext } from './types.js';

function sameOptions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

function changes(ctx: CheckContext, plan: VolumePlan): Finding[] {
  const previous = plan.provenance.previous;
  const { driver, name } = previous;
  // Options written without a driver are options of Docker's default driver: the volume is tied down as much as
  // one written with `driver: local` (an NFS mount through the local driver, often).
  const options = previous.driver_opts !== undefined && Object.keys(previous.driver_opts).length > 0;
  if (driver === undefined && name === undefined && !options) return implicitChanges(ctx, plan);
  const base: DocPath = ['volumes', plan.volume];
  const by = `class "${plan.class}"`;
  const oldName = previous.engineName ?? `<stack>_${plan.volume}`;
  const newName = plan.engineName ?? `<stack>_${plan.volume}`;
  const found: Finding[] = [];
  const before = driver ?? 'local';
  const after = plan.driver ?? 'local';
  if (normalizeDriverName(before) !== normalizeDriverName(after)) {
    found.push({
      code: 'driver-changed',
      severity: 'warning',
      message:
        `volume "${plan.volume}" is written ${driver === undefined && options ? `with driver_opts for Docker's default driver (${before})` : `with driver "${before}"`} and ${by} changes it to "${after}": Docker does not migrate data. ` +
        `Where volume "${newName}" already exists it keeps its old driver (stack deploy reuses it and ignores the new ` +
        `options, or fails with "volume name must be unique"); a volume created with the new driver starts EMPTY`,
      hint: `migrate the data into a volume of the new driver before deploying, or keep driver "${before}" for this volume (another class, or no class); once done, silence it with x-voldriver: { ignore: [driver-changed] }`,
      volume: plan.volume,
      ...(driver !== undefined ? { path: [...base, 'driver'] } : options ? { path: [...base, 'driver_opts'] } : volumeKeyWhere(ctx, plan.volume)),
    });
  } else if ((driver !== undefined || options) && !sameOptions(previous.driver_opts ?? {}, plan.driver_opts)) {
    found.push({
      code: 'driver-changed',
      severity: 'warning',
      message:
        `${by} changes the driver_opts of volume "${plan.volume}" (driver ${after}): a volume that already exists keeps the options ` +
        `it was created with; stack deploy reuses it and ignores the new ones without a word`,
      hint: `to apply the new options, create a new volume (a versioned name such as name: "${plan.volume}-v2") and copy the data into it`,
      volume: plan.volume,
      path: previous.driver_opts !== undefined ? [...base, 'driver_opts'] : [...base, 'driver'],
    });
  }
  if (newName !== oldName) {
    // A class that gives no name in this environment takes away the one an earlier render wrote.
    const naming = plan.name !== undefined ? `names volume "${plan.volume}" "${newName}"` : `gives volume "${plan.volume}" no name in this environment, so Docker names it "${newName}"`;
    found.push({
      code: 'driver-changed',
      severity: 'warning',
      message:
        `${by} ${naming} instead of "${oldName}": Docker creates a new, EMPTY volume ` +
        `"${newName}"; the data stays in "${oldName}" and the services no longer see it`,
      hint:
        plan.name !== undefined
          ? `copy the data from "${oldName}" into "${plan.name}" before deploying, or keep the old name (drop name: from the class for this volume)`
          : `copy the data from "${oldName}" into "${newName}" before deploying; if "${oldName}" belongs to another environment's deployment, silence it with x-voldriver: { ignore: [driver-changed] }`,
      volume: plan.volume,
      ...(name !== undefined ? { path: [...base, 'name'] } : volumeKeyWhere(ctx, plan.volume)),
    });
  }
  return found;
}

/**
 * The input relies on Docker's defaults (driver local, name <stack>_<key>). Whether a volume already exists
 * cannot be known here, so a changed driver is only an info; a changed name is a warning, because a stack that
 * ran before certainly loses sight of its data.
 */
function implicitChanges(ctx: CheckContext, plan: VolumePlan): Finding[] {
  const found: Finding[] = [];
  const oldName = plan.provenance.previous.engineName ?? `<stack>_${plan.volume}`;
  // Located only for a finding: locating is a walk of the file.
  const where = () => volumeKeyWhere(ctx, plan.volume);
  if (plan.name !== undefined && plan.name !== oldName) {
    found.push({
      code: 'driver-changed',
      severity: 'warning',
      message:
        `class "${plan.class}" names volume "${plan.volume}" "${plan.name}"; until now Docker named it "${oldName}". If the stack has ` +
        `run before, its services will mount a new, EMPTY volume "${plan.name}" and the data stays in "${oldName}"`,
      hint: `copy the data from "${oldName}" into "${plan.name}" before deploying; for a new stack, silence it with x-voldriver: { ignore: [driver-changed] }`,
      volume: plan.volume,
      ...where(),
    });
  }
  const after = plan.driver ?? 'local';
  if (normalizeDriverName(after) !== 'local') {
    found.push({
      code: 'driver-changed',
      severity: 'info',
      message:
        `volume "${plan.volume}" had Docker's default driver (local) and class "${plan.class}" moves it to "${after}": if the stack ` +
        `has run before, its data is in the local volume "${oldName}" on each node, and the new driver's volume starts empty`,
      hint: 'migrate the data before deploying, or ignore this for a new stack',
      volume: plan.volume,
      ...where(),
    });
  }
  return found;
}

export const driverChanged: Check = {
  code: 'driver-changed',
  severity: 'warning',
  summary: 'the rewrite changes the driver, name or options of a volume that may already exist: Docker migrates nothing',
  docs: 'docs/checks.md#driver-changed',
  run(ctx) {
    return ctx.plans.filter((plan) => plan.managed).flatMap((plan) => changes(ctx, plan));
  },
};
