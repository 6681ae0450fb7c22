/** What deploy reads from the rendered file: the labels each volume gets in the engine. */
import { expect, test } from 'vitest';
import { stackVolumeLabels } from '../../src/deploy/index.js';

test('labels in map and list form, with $$ as the one $ docker stack deploy leaves of it', () => {
  const output = 'volumes:\n  a:\n    labels:\n      price: $$5\n      n: 3\n  b:\n    labels: ["x=1", "y=a$$b=c", "bare"]\n  c: {}\n';
  expect(Object.fromEntries(stackVolumeLabels(output))).toEqual({ a: { price: '$5', n: '3' }, b: { x: '1', y: 'a$b=c', bare: '' }, c: {} });
});
