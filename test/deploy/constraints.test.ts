import { describe, expect, test } from 'vitest';
import { eligibleNodes, matchesConstraint, parseConstraint, readConstraint } from '../../src/deploy/constraints.js';
import { driverAvailability, nodeHasDriver } from '../../src/deploy/drivers.js';
import type { SwarmNode } from '../../src/deploy/engine.js';

function node(id: string, extra: { addr?: string; role?: string; labels?: Record<string, string>; engineLabels?: Record<string, string>; os?: string; arch?: string; plugins?: string[]; availability?: string; state?: string } = {}): SwarmNode {
  return {
    ID: id,
    Spec: { Role: extra.role ?? 'worker', Availability: extra.availability ?? 'active', Labels: extra.labels ?? {} },
    Status: { State: extra.state ?? 'ready', ...(extra.addr ? { Addr: extra.addr } : {}) },
    Description: {
      Hostname: `${id}.example`,
      Platform: { OS: extra.os ?? 'linux', Architecture: extra.arch ?? 'x86_64' },
      Engine: { Labels: extra.engineLabels ?? {}, Plugins: (extra.plugins ?? []).map((name) => ({ Type: 'Volume', Name: name })) },
    },
  };
}

const manager = node('m1', { role: 'manager', labels: { zone: 'a' }, engineLabels: { storage: 'ssd' }, plugins: ['pxd:latest'] });
const workerA = node('w1', { labels: { zone: 'a' }, plugins: ['rexray/ebs'] });
const workerB = node('w2', { labels: { zone: 'B' }, arch: 'aarch64' });
const drained = node('w3', { availability: 'drain', plugins: ['rexray/ebs'] });
const down = node('w4', { state: 'down', plugins: ['rexray/ebs'] });
const nodes = [manager, workerA, workerB, drained, down];
const ids = (list: SwarmNode[]) => list.map((n) => n.ID);

describe('placement constraints', () => {
  test('parse == and !=; other text is not a constraint', () => {
    expect(parseConstraint('node.role==manager')).toMatchObject({ key: 'node.role', equal: true, value: 'manager' });
    expect(parseConstraint(' node.labels.zone != a ')).toMatchObject({ key: 'node.labels.zone', equal: false, value: 'a' });
    expect(parseConstraint('node.role manager')).toBeUndefined();
  });

  test('read as Swarm\'s manager reads them: the first == splits, and a key or value of other characters is refused', () => {
    expect(readConstraint('node.hostname != "worker-1"')).toEqual({ problem: 'value', key: 'node.hostname', value: '"worker-1"' });
    expect(readConstraint("node.labels.zone == 'eu'")).toMatchObject({ problem: 'value', value: "'eu'" });
    expect(readConstraint('node.labels.zone == eu@1')).toMatchObject({ problem: 'value', value: 'eu@1' });
    expect(readConstraint('node.labels.zone === eu')).toMatchObject({ problem: 'value', value: '= eu' });
    expect(readConstraint('node.labels.a != b == c')).toMatchObject({ problem: 'key', key: 'node.labels.a != b' });
    expect(readConstraint('1node == x')).toMatchObject({ problem: 'key', key: '1node' });
    expect(readConstraint('== x')).toMatchObject({ problem: 'key', key: '' });
    expect(readConstraint('node.labels.zone ==  ')).toMatchObject({ problem: 'value', value: '' });
    expect(readConstraint('node.role manager')).toEqual({ problem: 'operator' });
    // What it takes: letters, digits, spaces inside and : - _ . * ( ) ? + [ ] \ ^ $ | /
    expect(readConstraint('\u00a0node.labels.rack != r1 (a|b)/[c]*?+^$\\:- \t')).toEqual({ key: 'node.labels.rack', equal: false, value: 'r1 (a|b)/[c]*?+^$\\:-', text: expect.any(String) });
    expect(parseConstraint('node.hostname != "worker-1"')).toBeUndefined();
  });

  test('node.ip against the node\'s address: one address or a subnet; anything else matches no node', () => {
    const a = node('a', { addr: '10.0.1.5' });
    const b = node('b', { addr: '10.0.2.7' });
    const v6 = node('c', { addr: 'fd00::7' });
    const none = node('d');
    const all = [a, b, v6, none];
    expect(ids(eligibleNodes(all, ['node.ip == 10.0.1.5']))).toEqual(['a']);
    expect(ids(eligibleNodes(all, ['node.ip == 10.0.0.0/16']))).toEqual(['a', 'b']);
    expect(ids(eligibleNodes(all, ['node.ip != 10.0.2.0/24']))).toEqual(['a', 'c', 'd']);
    expect(ids(eligibleNodes(all, ['node.ip == fd00::/8']))).toEqual(['c']);
    expect(ids(eligibleNodes(all, ['node.ip == db-host']))).toEqual([]);
    expect(ids(eligibleNodes(all, ['node.ip != db-host']))).toEqual([]);
    expect(ids(eligibleNodes(all, ['node.ip == 10.0.0.0/33']))).toEqual([]);
  });

  test('node.role, node.hostname and node.id', () => {
    expect(ids(eligibleNodes(nodes, ['node.role == manager']))).toEqual(['m1']);
    expect(ids(eligibleNodes(nodes, ['node.role != manager']))).toEqual(['w1', 'w2']);
    expect(ids(eligibleNodes(nodes, ['node.hostname == W1.example']))).toEqual(['w1']);
    expect(ids(eligibleNodes(nodes, ['node.id == w2']))).toEqual(['w2']);
  });

  test('node labels, compared without case; a missing label matches != only', () => {
    expect(ids(eligibleNodes(nodes, ['node.labels.zone == b']))).toEqual(['w2']);
    expect(ids(eligibleNodes(nodes, ['node.labels.rack == r1']))).toEqual([]);
    expect(ids(eligibleNodes(nodes, ['node.labels.rack != r1']))).toEqual(['m1', 'w1', 'w2']);
  });

  test('engine labels and platform', () => {
    expect(ids(eligibleNodes(nodes, ['engine.labels.storage == ssd']))).toEqual(['m1']);
    expect(ids(eligibleNodes(nodes, ['node.platform.arch == aarch64']))).toEqual(['w2']);
    expect(ids(eligibleNodes(nodes, ['node.platform.os == windows']))).toEqual([]);
  });

  test('all constraints must hold', () => {
    expect(ids(eligibleNodes(nodes, ['node.labels.zone == a', 'node.role == worker']))).toEqual(['w1']);
  });

  test('drained and down nodes take no tasks', () => {
    expect(ids(eligibleNodes(nodes, []))).toEqual(['m1', 'w1', 'w2']);
  });

  test('a key Swarm does not know is not judged', () => {
    expect(matchesConstraint(workerA, parseConstraint('node.unknown == x')!)).toBe(true);
  });
});

describe('drivers on nodes', () => {
  const local = { nodeId: 'm1', info: { Plugins: { Volume: ['local', 'justactivated'] } }, plugins: [{ Name: 'vieux/sshfs:latest', Enabled: false }] };

  test('name and name:latest are the same; local is everywhere', () => {
    expect(nodeHasDriver(manager, 'pxd')).toBe(true);
    expect(nodeHasDriver(workerA, 'rexray/ebs:latest')).toBe(true);
    expect(nodeHasDriver(workerB, 'local')).toBe(true);
    expect(nodeHasDriver(workerB, 'pxd')).toBe(false);
  });

  test("this node's own plugin list counts before its report reaches the Swarm", () => {
    expect(nodeHasDriver(manager, 'justactivated', local)).toBe(true);
    expect(nodeHasDriver(workerA, 'justactivated', local)).toBe(false);
  });

  test('availability honours the constraints: a driver only on nodes the service may not use is missing', () => {
    expect(driverAvailability('db', ['node.labels.zone == b'], 'rexray/ebs', nodes, local)).toMatchObject({ eligible: ['w2.example'], withDriver: [] });
    expect(driverAvailability('db', ['node.labels.zone == a'], 'rexray/ebs', nodes, local)).toMatchObject({ eligible: ['m1.example', 'w1.example'], withDriver: ['w1.example'] });
  });

  test('a managed plugin installed here but disabled is named', () => {
    expect(driverAvailability('db', [], 'vieux/sshfs', nodes, local).disabledHere).toBe('vieux/sshfs:latest');
  });
});
