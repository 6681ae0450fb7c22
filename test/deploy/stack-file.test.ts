/** What deploy reads from the rendered file: the labels each volume gets in the engine, each service's placement. */
import { parse } from 'yaml';
import { expect, test } from 'vitest';
import { stackExternals, stackServices, stackVolumeLabels } from '../../src/deploy/index.js';

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

test('the external secrets, configs and networks the services use, by their engine names; the engine\'s own networks left out', () => {
  const output = `services:
  a:
    image: x
    secrets: [tok, { source: cert, target: /c }]
    configs: [{ source: conf }]
    networks: [ext, host-net, back]
  b:
    image: x
    networks: { old: {} }
secrets:
  tok: { external: true, name: db-token }
  cert: { external: true }
  unused: { external: true }
configs:
  conf: { external: { name: legacy-conf } }
networks:
  ext: { external: true }
  host-net: { external: true, name: host }
  back: {}
  old: { external: true, name: shared }
`;
  expect(stackExternals(parse(output))).toEqual([
    { kind: 'network', key: 'ext', name: 'ext' },
    { kind: 'network', key: 'old', name: 'shared' },
    { kind: 'secret', key: 'tok', name: 'db-token' },
    { kind: 'secret', key: 'cert', name: 'cert' },
    { kind: 'config', key: 'conf', name: 'legacy-conf' },
  ]);
});
