/**
 * After `docker stack deploy` failed: what it created before it stopped is removed again. docker creates a stack's
 * secrets, configs and networks, then its services, one at a time, and stops at the first the engine refuses; the
 * earlier ones stay, and the tasks of services it did create may have created volumes. Only what did not exist
 * before the deploy is removed, services first (their tasks hold the networks and volumes), then the rest.
 */
import type { Engine, StackObject } from './engine.js';

export interface UndoResult {
  removed: StackObject[];
  /** What could not be removed, with the engine's reason. */
  left: { object: StackObject; error: string }[];
  /** Services of the stack docker updated before it stopped (not undone). */
  updated?: string[];
  /** Services of the stack that were running and are gone (--prune removed them before docker stopped). */
  pruned?: string[];
}

const ORDER: StackObject['kind'][] = ['service', 'network', 'config', 'secret', 'volume'];

/** How often the engine is listed again while it settles. */
const SETTLE_STEP_MS = 250;

const key = (object: StackObject) => `${object.kind}:${object.id}`;

export async function undoCreated(
  engine: Engine,
  stack: string,
  before: readonly StackObject[],
  options: {
    retryMs?: number;
    sleep?(ms: number): Promise<void>;
    keepVolumes?: readonly string[];
    /**
     * How long listings must show nothing new before the undo ends. For a docker that was stopped mid-request (an
     * interrupt): the engine may still commit what it was asked just before, after a first listing showed nothing.
     */
    settleMs?: number;
  } = {},
): Promise<UndoResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const existed = new Set(before.map(key));
  // Volumes by name as well: a volume plugin's list may leave one out that exists (and holds data).
  const keptVolumes = new Set([...(options.keepVolumes ?? []), ...before.filter((object) => object.kind === 'volume').map((object) => object.name)]);
  const isNew = (object: StackObject) => !existed.has(key(object)) && !(object.kind === 'volume' && keptVolumes.has(object.name));
  const removed = new Map<string, StackObject>();
  // A service the engine will not remove is not asked again; what is in use may be free a moment later.
  const refused = new Map<string, UndoResult['left'][number]>();
  let left: UndoResult['left'] = [];
  const deadline = Date.now() + (options.retryMs ?? 30_000);
  const settle = options.settleMs ?? 0;
  let quiet = 0;
  // Rounds until a listing shows nothing new: a network or volume stays in use until the removed services'
  // containers are gone (a few seconds), and a service whose create request docker had sent before it stopped
  // appears only after it did.
  for (;;) {
    // One removed is not asked again: a list may show it a moment longer.
    const created = (await engine.stackObjects(stack)).filter((object) => isNew(object) && !removed.has(key(object)) && !refused.has(key(object)));
    created.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    left = [];
    for (const object of created) {
      try {
        await engine.remove(object);
        removed.set(key(object), object);
      } catch (error) {
        const reason = (error as { reason?: unknown }).reason;
        const message = typeof reason === 'string' ? reason : error instanceof Error ? error.message : String(error);
        const failure = { object, error: message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim() };
        if (object.kind === 'service') refused.set(key(object), failure);
        else left.push(failure);
      }
    }
    if (Date.now() >= deadline) break;
    if (created.length === 0) {
      if (quiet >= settle) break;
      await sleep(SETTLE_STEP_MS);
      quiet += SETTLE_STEP_MS;
      continue;
    }
    quiet = 0;
    if (left.length > 0) await sleep(300);
  }
  const ordered = [...removed.values()].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  return { removed: ordered, left: [...refused.values(), ...left] };
}

export function describeUndo(result: UndoResult): string {
  const list = (objects: StackObject[]) => objects.map((o) => `${o.kind} ${o.name}`).join(', ');
  const parts: string[] = [];
  if (result.removed.length > 0) parts.push(`removed what it had created: ${list(result.removed)}`);
  if (result.left.length > 0) {
    parts.push(`could not remove ${result.left.map((l) => `${l.object.kind} ${l.object.name} (${l.error})`).join(', ')}: remove it by hand`);
  }
  if (result.updated && result.updated.length > 0) {
    parts.push(`updated before it stopped, and left so: ${result.updated.map((name) => `service ${name}`).join(', ')} (docker service rollback NAME returns one to its previous spec)`);
  }
  if (result.pruned && result.pruned.length > 0) {
    parts.push(`removed before it stopped, and not brought back: ${result.pruned.map((name) => `service ${name}`).join(', ')} (--prune takes away what the file no longer has; deploy again once the error is fixed)`);
  }
  return parts.length > 0 ? parts.join('; ') : 'the engine was left as it was';
}
