/** The registry of checks and the severity rules: policy-wide levels, per-class levels, per-volume ignores. */
import { own } from '../own.js';
import type { Finding, Severity } from '../findings.js';
import { didYouMean } from '../suggest.js';
import { accessMismatch } from './access-mismatch.js';
import { anonymousVolume } from './anonymous-volume.js';
import { conflictingOptions } from './conflicting-options.js';
import { driverChanged } from './driver-changed.js';
import { engineName } from './engine-name.js';
import { invalidOptionValue } from './invalid-option-value.js';
import { legacyDriver } from './legacy-driver.js';
import { misplacedXVoldriver } from './misplaced-x-voldriver.js';
import { missingOption } from './missing-option.js';
import { networkModeWithNetworks } from './network-mode-with-networks.js';
import { nodeLocalStorage } from './node-local-storage.js';
import { pluginSettingOption } from './plugin-setting-option.js';
import { secretInOptions } from './secret-in-options.js';
import { sharedEngineName } from './shared-engine-name.js';
import { singleAttachReplicated } from './single-attach-replicated.js';
import { singleWriter } from './single-writer.js';
import { unknownDriver } from './unknown-driver.js';
import { unknownOption } from './unknown-option.js';
import { yamlAmbiguousValue } from './yaml-ambiguous-value.js';
import { zoneUnpinned } from './zone-unpinned.js';
import type { Check, CheckContext } from './types.js';

export const checks: readonly Check[] = [
  unknownDriver,
  legacyDriver,
  unknownOption,
  pluginSettingOption,
  invalidOptionValue,
  missingOption,
  conflictingOptions,
  yamlAmbiguousValue,
  secretInOptions,
  singleAttachReplicated,
  singleWriter,
  nodeLocalStorage,
  anonymousVolume,
  zoneUnpinned,
  engineName,
  sharedEngineName,
  driverChanged,
  accessMismatch,
  misplacedXVoldriver,
  networkModeWithNetworks,
];

/** Codes of findings the core reports outside the checks (loading, planning, editing, targets), with what each catches. */
const CORE_CODES: Readonly<Record<string, { severity: Severity; summary: string }>> = {
  schema: { severity: 'error', summary: 'the compose file does not match the Compose schema' },
  'unknown-class': { severity: 'error', summary: 'a volume asks for a class the policy does not define' },
  'invalid-x-voldriver': { severity: 'error', summary: 'an x-voldriver value that is neither a class name nor a valid mapping' },
  'class-on-external': { severity: 'error', summary: 'a class on an external volume, which takes no driver options' },
  'undefined-volume': { severity: 'error', summary: 'a service mounts a named volume that is not declared' },
  'undefined-network': { severity: 'error', summary: 'a service joins a network that is not declared (default needs no declaration)' },
  'undefined-secret': { severity: 'error', summary: 'a service uses a secret that is not declared' },
  'undefined-config': { severity: 'error', summary: 'a service uses a config that is not declared' },
  'drive-letter-mount': { severity: 'error', summary: 'a short-syntax mount of a one-letter volume (v:/data) that Docker reads as a Windows drive path' },
  'missing-parameter': { severity: 'error', summary: 'a class placeholder without a value' },
  'parameter-cycle': { severity: 'error', summary: 'a parameter whose value refers back to itself, directly or through others' },
  'parameter-too-deep': { severity: 'error', summary: 'a parameter whose value refers to others more than 128 levels deep' },
  'unknown-parameter': { severity: 'error', summary: 'a --set key or x-voldriver parameter that no placeholder uses (a warning when it is no typo)' },
  'missing-variable': { severity: 'error', summary: 'a policy value names a variable that is not set' },
  'value-too-long': { severity: 'error', summary: 'a policy value that placeholders or variables make longer than 4 MiB' },
  'multiple-compose-files': { severity: 'warning', summary: 'several default compose (or override) files in one directory: docker compose uses the first (compose.yaml)' },
  'unset-variable': { severity: 'warning', summary: 'a compose variable that is not set: an empty string is used' },
  'invalid-size': { severity: 'error', summary: 'a size parameter that is not a size' },
  'size-rounded': { severity: 'info', summary: "a size rounded up to the driver's unit" },
  'shared-yaml-node': { severity: 'error', summary: 'a value shared through a YAML anchor that render would have to change for one user only' },
  'invalid-volume-name': { severity: 'error', summary: 'a class names a local volume with characters the local driver refuses' },
  'label-replaced': { severity: 'warning', summary: 'a class sets a volume label the compose file writes with another value' },
  'unknown-rendered-class': { severity: 'warning', summary: 'a volume rendered before for a class the policy no longer defines: what that render wrote stays' },
  'flow-style-section': { severity: 'error', summary: 'a section in flow style that render cannot edit in place' },
  'explicit-yaml-key': { severity: 'error', summary: 'an entry written with an explicit key (? key) that render cannot edit in place' },
  'ignored-by-stack-deploy': { severity: 'warning', summary: 'a key docker stack deploy ignores' },
  'removed-for-stack-deploy': { severity: 'warning', summary: 'a key removed for docker stack deploy, which refuses it' },
  'missing-env-file': { severity: 'error', summary: 'an env_file that does not exist (and is not required: false)' },
  'converted-for-stack-deploy': { severity: 'info', summary: 'a value converted to the form docker stack deploy accepts' },
  'driver-options-dropped': { severity: 'info', summary: 'a merge changes the driver, so earlier driver options are dropped' },
  'unknown-check': { severity: 'error', summary: 'a check code in checks: or ignore: that does not exist' },
  'init-skipped': { severity: 'warning', summary: 'a volume init could not write a class on (anchor, alias, flow mapping, explicit key, or declared in another file)' },
  'relative-paths-moved': { severity: 'warning', summary: 'render -o writes a file with relative paths outside the project directory they are relative to' },
};

/** Codes of the errors that stop a command before any check runs: nothing to silence, but reported like findings. */
const INPUT_ERROR_CODES: Readonly<Record<string, { severity: Severity; summary: string }>> = {
  'invalid-yaml': { severity: 'error', summary: 'a file that is not valid YAML' },
  'invalid-policy': { severity: 'error', summary: 'a policy file that does not match the policy schema' },
  'invalid-input': { severity: 'error', summary: 'input that cannot be used: a missing or unreadable file, a bad option' },
  'depends-on-cycle': { severity: 'error', summary: 'services that wait for each other through depends_on, volumes_from, links or network_mode: service:, which docker compose refuses' },
  'distinct-scale': { severity: 'error', summary: "a service whose scale and deploy.replicas differ, which docker compose refuses" },
  'undefined-service': { severity: 'error', summary: 'a depends_on, volumes_from, links or network_mode (ipc, pid...: service:NAME) entry naming a service the project does not define or its profiles switch off, which docker compose refuses' },
  'non-text-key': { severity: 'error', summary: 'a compose key YAML or Docker reads as a number, boolean, null or date (007:, 1e3:, true:), which docker stack deploy refuses' },
  'invalid-service-reference': { severity: 'error', summary: 'a volumes_from, links or network_mode entry that names no service or container (":ro", "container:"), or has a mode Docker refuses' },
};

/** Every code a finding can carry, with its default severity, what it catches and where it is documented. */
export interface Rule {
  code: string;
  severity: Severity;
  summary: string;
  /** Section of the docs that explains it, when there is one. */
  docs?: string;
}

export const rules: readonly Rule[] = [
  ...checks.map(({ code, severity, summary, docs }) => ({ code, severity, summary, docs })),
  ...Object.entries(CORE_CODES).map(([code, rule]) => ({ code, ...rule })),
  ...Object.entries(INPUT_ERROR_CODES).map(([code, rule]) => ({ code, ...rule })),
];

export const knownCodes: ReadonlySet<string> = new Set([...checks.map((check) => check.code), ...Object.keys(CORE_CODES)]);

/** Check codes named in the policy's `checks:` and the volumes' `ignore:` must exist: a typo silences nothing. */
export function unknownCodes(ctx: Pick<CheckContext, 'plans' | 'policy'>): Finding[] {
  const findings: Finding[] = [];
  const report = (name: string, source: 'policy' | 'compose', path: (string | number)[], volume?: string) =>
    findings.push({
      code: 'unknown-check',
      severity: 'error',
      message: `"${name}" is not a check code${didYouMean(name, knownCodes)}, so it silences nothing`,
      hint: 'docs/checks.md lists the codes',
      volume,
      source,
      path,
    });
  for (const name of Object.keys(ctx.policy.data.checks ?? {})) if (!knownCodes.has(name)) report(name, 'policy', ['checks', name]);
  for (const [className, spec] of Object.entries(ctx.policy.data.classes)) {
    for (const name of Object.keys(spec.checks ?? {})) if (!knownCodes.has(name)) report(name, 'policy', ['classes', className, 'checks', name]);
  }
  for (const plan of ctx.plans) {
    plan.ignore.forEach((name, index) => {
      if (!knownCodes.has(name)) report(name, 'compose', ['volumes', plan.volume, 'x-voldriver', 'ignore', index], plan.volume);
    });
  }
  return findings;
}

export function runChecks(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    for (const found of check.run(ctx)) findings.push({ code: check.code, severity: check.severity, ...found });
  }
  return findings;
}

/** Apply `checks:` levels from the policy and class, and `x-voldriver.ignore` from the volume. */
export function applyLevels(findings: Finding[], ctx: Pick<CheckContext, 'plans' | 'policy'>): Finding[] {
  const byVolume = new Map(ctx.plans.map((plan) => [plan.volume, plan]));
  const out: Finding[] = [];
  for (const finding of findings) {
    const plan = finding.volume !== undefined ? byVolume.get(finding.volume) : undefined;
    if (plan?.ignore.includes(finding.code)) continue;
    const classLevel = plan?.class !== undefined ? own(own(ctx.policy.data.classes, plan.class)?.checks, finding.code) : undefined;
    const level = classLevel ?? own(ctx.policy.data.checks, finding.code);
    if (level === 'off') continue;
    out.push(level ? { ...finding, severity: level } : finding);
  }
  return out;
}
