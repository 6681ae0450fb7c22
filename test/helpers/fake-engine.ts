/** A fake Engine for unit tests: a one-node Swarm whose manager is this engine, with nothing deployed, unless told. */
import type { Engine } from '../../src/deploy/engine.js';

export function fakeEngine(overrides: Partial<Engine> = {}): Engine {
  return {
    version: async () => ({ Version: '27.0.0', ApiVersion: '1.46' }),
    info: async () => ({ Swarm: { LocalNodeState: 'active', ControlAvailable: true, NodeID: 'n1' } }),
    nodes: async () => [{ ID: 'n1', Description: { Hostname: 'node-1' } }],
    plugins: async () => [],
    services: async () => [],
    volume: async () => undefined,
    tasks: async () => [],
    stackObjects: async () => [],
    remove: async () => undefined,
    claim: async () => ({ created: true }),
    release: async () => undefined,
    swarmObject: async () => ({ Scope: 'swarm' }),
    ...overrides,
  };
}
