import { describe, expect, it } from 'vitest';
import { messages, run, seen } from './helpers.js';

const code = 'single-attach-replicated';
const at = (line: number, col: number, file = 'trigger.yml') => `fixtures/checks/${code}/${file}:${line}:${col}`;

describe(code, () => {
  const result = run(code, 'trigger.yml', { target: 'swarm' });

  it('reports replicas (numbers and strings of digits), global mode and several services', () => {
    expect(seen(result, code)).toEqual([
      { severity: 'error', at: at(5, 17), volume: 'pgdata' },
      { severity: 'error', at: at(11, 13), volume: 'state' },
      { severity: 'error', at: at(19, 17), volume: 'jobs' },
      { severity: 'warning', at: at(25, 9), volume: 'jobs' },
    ]);
  });

  it('says why and suggests per-task names', () => {
    const [replicas, global, stringReplicas, services] = messages(result, code);
    expect(replicas).toContain('service "db" has 3 replicas');
    expect(replicas).toContain('{{.Task.Slot}}');
    expect(global).toContain('runs in mode global');
    expect(stringReplicas).toContain('has 2 replicas');
    expect(services).toContain('services "worker" and "reader"');
  });

  it('is an error whatever the target', () => {
    expect(seen(run(code, 'trigger.yml', { target: 'compose' }), code).filter((f) => f.severity === 'error')).toHaveLength(3);
  });

  it('leaves alone one replica, multi-attach volumes, node-local ones and per-task or per-node names', () => {
    expect(seen(run(code, 'clean.yml', { target: 'swarm' }), code)).toEqual([]);
  });
});

describe(`${code}: services sharing one volume`, () => {
  it('warns when they are only pinned to a zone or a label (a group of nodes), not when pinned to one node', () => {
    const result = run(code, 'zone-pinned.yml', { target: 'swarm' });
    expect(seen(result, code)).toEqual([{ severity: 'warning', at: at(11, 15, 'zone-pinned.yml'), volume: 'shared1' }]);
  });
});
