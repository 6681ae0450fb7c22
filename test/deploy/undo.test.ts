/** After docker stack deploy stopped half-way: only what it created is removed, services first. */
import { expect, test } from 'vitest';
import type { Engine, StackObject } from '../../src/deploy/engine.js';
import { describeUndo, undoCreated } from '../../src/deploy/undo.js';

const o = (kind: StackObject['kind'], name: string): StackObject => ({ kind, id: `${kind}-${name}`, name });

test('what existed before stays; the rest goes, services before the networks and volumes they hold', async () => {
  const before = [o('network', 'st_default'), o('service', 'st_old'), o('volume', 'st_kept')];
  const after = [...before, o('volume', 'st_data'), o('secret', 'st_token'), o('network', 'st_back'), o('service', 'st_a')];
  const removed: string[] = [];
  let busy = 2;
  const engine = {
    stackObjects: async () => after,
    remove: async (object: StackObject) => {
      // The network is in use until the service's container is gone.
      if (object.kind === 'network' && busy-- > 0) throw new Error('(HTTP code 403) unexpected - network st_back is in use');
      removed.push(object.name);
    },
  } as unknown as Engine;
  const result = await undoCreated(engine, 'st', before, { sleep: async () => undefined });
  expect(removed[0]).toBe('st_a');
  expect(removed.slice(1).sort()).toEqual(['st_back', 'st_data', 'st_token']);
  expect(describeUndo(result)).toBe('removed what it had created: service st_a, network st_back, secret st_token, volume st_data');
});

test('a service whose create request docker had sent before it stopped, listed only later, is removed too, and the network it held', async () => {
  // Interrupted docker: the engine commits service st_late after the first listing; it holds the network and the secret.
  const present = new Map([o('network', 'st_back'), o('secret', 'st_token'), o('service', 'st_a')].map((object) => [object.id, object]));
  const removed: string[] = [];
  const engine = {
    stackObjects: async () => [...present.values()],
    remove: async (object: StackObject) => {
      if (object.name === 'st_a') present.set('service-st_late', o('service', 'st_late'));
      if (object.kind !== 'service' && present.has('service-st_late')) throw new Error(`(HTTP code 400) bad parameter - ${object.name} is in use by the following service: st_late`);
      present.delete(object.id);
      removed.push(object.name);
    },
  } as unknown as Engine;
  const result = await undoCreated(engine, 'st', [], { sleep: async () => undefined });
  expect(removed).toEqual(['st_a', 'st_late', 'st_back', 'st_token']);
  expect(result.left).toEqual([]);
  expect(describeUndo(result)).toBe('removed what it had created: service st_a, service st_late, network st_back, secret st_token');
  expect([...present.values()]).toEqual([]);
});

test('what cannot be removed is named with the engine\'s reason', async () => {
  const engine = {
    stackObjects: async () => [o('service', 'st_a')],
    remove: async () => {
      throw new Error('(HTTP code 500) server error - rpc error: unavailable');
    },
  } as unknown as Engine;
  const result = await undoCreated(engine, 'st', [], { sleep: async () => undefined });
  expect(describeUndo(result)).toBe('could not remove service st_a (rpc error: unavailable): remove it by hand');
});

test('services docker updated before it stopped are named, with how to roll one back; nothing at all says so', () => {
  expect(describeUndo({ removed: [], left: [], updated: ['st_db'] })).toBe(
    'updated before it stopped, and left so: service st_db (docker service rollback NAME returns one to its previous spec)',
  );
  expect(describeUndo({ removed: [], left: [] })).toBe('the engine was left as it was');
});

test('a volume that existed is never removed: one the preflight found, or one listed before under another id', async () => {
  const before = [o('volume', 'st_listed')];
  // The plugin's list gave no volume st_found before docker ran; the preflight inspected it by name and found it.
  const after = [{ kind: 'volume' as const, id: 'st_listed-again', name: 'st_listed' }, o('volume', 'st_found'), o('volume', 'st_new')];
  const removed: string[] = [];
  const engine = {
    stackObjects: async () => after,
    remove: async (object: StackObject) => {
      removed.push(object.name);
    },
  } as unknown as Engine;
  const result = await undoCreated(engine, 'st', before, { sleep: async () => undefined, keepVolumes: ['st_found'] });
  expect(removed).toEqual(['st_new']);
  expect(describeUndo(result)).toBe('removed what it had created: volume st_new');
});

test('services --prune removed before docker stopped are named: they are not brought back', () => {
  expect(describeUndo({ removed: [], left: [], pruned: ['st_old'] })).toBe(
    'removed before it stopped, and not brought back: service st_old (--prune takes away what the file no longer has; deploy again once the error is fixed)',
  );
});

test('after an interrupt, listings go on until the engine is quiet: a network it commits late is removed too', async () => {
  // docker was stopped while its request to create st_back was on the way: the first listings do not show it.
  let listings = 0;
  const present = new Map<string, StackObject>();
  const engine = {
    stackObjects: async () => {
      listings += 1;
      if (listings === 3) present.set('st_back', o('network', 'st_back'));
      return [...present.values()];
    },
    remove: async (object: StackObject) => void present.delete(object.name),
  } as unknown as Engine;
  const settled = await undoCreated(engine, 'st', [], { sleep: async () => undefined, settleMs: 1_000 });
  expect(describeUndo(settled)).toBe('removed what it had created: network st_back');
  expect(present.size).toBe(0);
  // Without the wait, the first empty listing ends the undo and the late network stays.
  listings = 0;
  const hasty = await undoCreated(engine, 'st', [], { sleep: async () => undefined });
  expect(hasty.removed).toEqual([]);
  expect(listings).toBe(1);
});
