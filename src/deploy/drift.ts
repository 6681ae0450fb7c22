/**
 * What each volume of the stack is on the engine now, next to what the deploy asks for. Docker never changes an
 * existing volume: new options are ignored without a word, and a new driver means a new, empty volume (or a
 * failed task where the old one exists). The running stack's service specs say, for every node, which driver and
 * options its volumes were declared with; the engine's own volumes say what exists on this node.
 */
import { setOwn } from '../own.js';
import { sameDriver, driverKey } from './drivers.js';
import { STACK_LABEL, type EngineVolume, type SwarmService } from './engine.js';

/** `unchecked`: the engine could not be asked (unreachable, not a manager). */
export type VolumeStateName = 'new' | 'unchanged' | 'drift' | 'external' | 'unchecked';

export interface Declared {
  driver: string;
  options: Record<string, string>;
  /** Its labels, when the deploy declares labels to compare with (the stack's namespace left out). */
  labels?: Record<string, string>;
}

export interface SeenAs extends Declared {
  /** Where it was seen: `service s1_app` or `volume on this engine`. */
  source: string;
}

export interface VolumeState {
  volume: string;
  engineName: string;
  driver: string;
  options: Record<string, string>;
  state: VolumeStateName;
  services: string[];
  /** Whether the volume exists on this engine. */
  exists: boolean;
  /** The running stack's declarations and this engine's volume, where they differ from what is asked. */
  differences: SeenAs[];
  /** Whether a difference is the driver (the new volume would start empty). */
  driverChanged: boolean;
  /** The labels the deploy declares for it, when they were compared. */
  labels?: Record<string, string>;
  /**
   * An external volume not on this engine whose services run only on other nodes, whose volumes the engine cannot
   * show: confirmed there by the deploy (--confirm-external), or not.
   */
  elsewhere?: 'confirmed' | 'unconfirmed';
}

export interface WantedVolume {
  volume: string;
  engineName: string;
  driver?: string;
  options: Record<string, string>;
  external: boolean;
  services: string[];
  /** The labels the rendered file gives it; undefined: labels are not compared. */
  labels?: Record<string, string>;
}

/** The label render writes on every classed volume. */
export const CLASS_LABEL = 'com.compose-voldriver.class';

function withoutNamespace(labels: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) if (key !== STACK_LABEL) setOwn(out, key, value);
  return out;
}

/**
 * The declared label keys a volume does not carry with the declared value. Labels it carries beyond those are
 * not a difference (labels set by hand stay); nor is the class label missing on a volume made before render
 * wrote one (a stack taken over as it runs), while another class in it is.
 */
export function labelDifferences(seen: Record<string, string>, wanted: Record<string, string>): string[] {
  return Object.keys(wanted)
    .filter((key) => !(Object.hasOwn(seen, key) && seen[key] === wanted[key]))
    .filter((key) => key !== CLASS_LABEL || Object.hasOwn(seen, key))
    .sort();
}

export function sameOptions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

/** Every volume mount of the running services whose source is `engineName`, with the driver config it declares. */
export function declaredByServices(services: readonly SwarmService[], engineName: string): SeenAs[] {
  const seen: SeenAs[] = [];
  for (const service of services) {
    for (const mount of service.Spec.TaskTemplate?.ContainerSpec?.Mounts ?? []) {
      if ((mount.Type ?? 'volume') !== 'volume' || mount.Source !== engineName) continue;
      const config = mount.VolumeOptions?.DriverConfig;
      seen.push({ source: `service ${service.Spec.Name}`, driver: driverKey(config?.Name), options: { ...(config?.Options ?? {}) }, labels: withoutNamespace(mount.VolumeOptions?.Labels) });
    }
  }
  return seen;
}

export function compareVolume(wanted: WantedVolume, services: readonly SwarmService[], existing: EngineVolume | undefined): VolumeState {
  const driver = driverKey(wanted.driver);
  const base = { volume: wanted.volume, engineName: wanted.engineName, driver, options: wanted.options, services: wanted.services, exists: existing !== undefined };
  if (wanted.external) return { ...base, state: 'external', differences: [], driverChanged: false };
  const seen = declaredByServices(services, wanted.engineName);
  if (existing) seen.push({ source: 'volume on this engine', driver: driverKey(existing.Driver), options: { ...(existing.Options ?? {}) }, labels: withoutNamespace(existing.Labels) });
  const wantedLabels = wanted.labels;
  // Labels are compared only when the deploy declares them; then each entry keeps its own, else none.
  for (const entry of seen) if (wantedLabels === undefined) delete entry.labels;
  const labelsDiffer = (entry: SeenAs) => wantedLabels !== undefined && labelDifferences(entry.labels ?? {}, wantedLabels).length > 0;
  const differences = seen.filter((s) => !sameDriver(s.driver, driver) || !sameOptions(s.options, wanted.options) || labelsDiffer(s));
  // One entry per distinct old value: several services declaring the same thing read as one.
  const merged: SeenAs[] = [];
  for (const difference of differences) {
    const same = merged.find(
      (m) => sameDriver(m.driver, difference.driver) && sameOptions(m.options, difference.options) && sameOptions(m.labels ?? {}, difference.labels ?? {}),
    );
    if (same) same.source = `${same.source}, ${difference.source}`;
    else merged.push({ ...difference });
  }
  const state: VolumeStateName = seen.length === 0 ? 'new' : merged.length > 0 ? 'drift' : 'unchanged';
  const result: VolumeState = { ...base, state, differences: merged, driverChanged: merged.some((m) => !sameDriver(m.driver, driver)) };
  if (wantedLabels !== undefined) result.labels = wantedLabels;
  return result;
}
