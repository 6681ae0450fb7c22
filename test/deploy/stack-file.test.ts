/** What deploy reads from the rendered file: the labels each volume gets in the engine, each service's placement. */
import { parse } from 'yaml';
import { expect, test } from 'vitest';
import { stackServices, stackVolumeLabels } from '../../src/deploy/index.js';

test('labels in map and list form, with $$ as the one $ docker stack deploy leaves of it', () => {
  const output = 'volumes:\n  a:\n    labels:\n      price: $$5\n      n: 3\n  b:\n    labels: ["x=1", "y=a$$b=c", "bare"]\n  c: {}\n';
  expect(Object.fromEntries(stackVolumeLabels(parse(output)))).toEqual({ a: { price: '$5', n: '3' }, b: { x: '1', y: 'a$b=c', bare: '' }, c: {} });
});

test('placement constraints as the scheduler gets them, $$ as one $', () => {
  const output = 'services:\n  a:\n    image: x\n    deploy:\n      replicas: 2\n      placement:\n        constraints: ["node.labels.tier == a$$b"]\n';
  expect(stackServices(parse(output))).toEqual([{ name: 'a', constraints: ['node.labels.tier == a$b'], mode: 'replicated', replicas: 2 }]);
});

test('max_replicas_per_node as a number or a digit string; 0 (no limit) and replicas left out are not counted', () => {
  const output =
    'services:\n  a:\n    image: x\n    deploy:\n      replicas: "3"\n      placement:\n        max_replicas_per_node: 1\n' +
    '  b:\n    image: x\n    deploy:\n      placement:\n        max_replicas_per_node: "2"\n  c:\n    image: x\n    deploy:\n      placement:\n        max_replicas_per_node: 0\n';
  expect(stackServices(parse(output))).toEqual([
    { name: 'a', constraints: [], mode: 'replicated', replicas: 3, maxPerNode: 1 },
    { name: 'b', constraints: [], mode: 'replicated', replicas: undefined, maxPerNode: 2 },
    { name: 'c', constraints: [], mode: 'replicated', replicas: undefined },
  ]);
});
