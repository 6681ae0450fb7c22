/** network_mode together with networks: docker compose refuses it; docker stack deploy ignores network_mode. */
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../src/index.js';

const policy = { version: 1 as const, classes: { fast: { driver: 'local' } } };
const found = (texts: string[], target: 'compose' | 'swarm' = 'compose') =>
  renderStack({ sources: texts.map((text, i) => ({ name: `f${i}.yml`, text })), policy, target })
    .findings.filter((f) => f.code === 'network-mode-with-networks')
    .map((f) => [f.severity, `${f.file}:${f.line}:${f.col}`, f.message]);

const base = 'services:\n  app:\n    image: x\n    networks: [front]\n  db:\n    image: y\nnetworks:\n  front: {}\n';

describe('network-mode-with-networks', () => {
  it('is an error at the networks key, for each kind of network_mode', () => {
    for (const mode of ['host', 'none', 'service:db', 'container:vpn']) {
      const text = `services:\n  app:\n    image: x\n    network_mode: "${mode}"\n    networks:\n      front: { aliases: [a] }\n  db:\n    image: y\nnetworks:\n  front: {}\n`;
      expect(found([text]), mode).toEqual([
        ['error', 'f0.yml:5:5', `service "app" sets network_mode "${mode}" and also networks: docker compose refuses the two together ("declares mutually exclusive network_mode and networks")`],
      ]);
    }
  });

  it('is judged in the files as merged: an override that sets network_mode on a service with networks', () => {
    expect(found([base, 'services:\n  app:\n    network_mode: host\n'])).toEqual([
      ['error', 'f0.yml:4:5', expect.stringContaining('service "app" sets network_mode "host"')],
    ]);
  });

  it('says nothing when an override takes the networks away, for an empty list, or for docker stack deploy', () => {
    expect(found([base, 'services:\n  app:\n    network_mode: host\n    networks: !reset []\n'])).toEqual([]);
    expect(found(['services:\n  app:\n    image: x\n    network_mode: host\n    networks: []\n'])).toEqual([]);
    expect(found([base, 'services:\n  app:\n    network_mode: host\n'], 'swarm')).toEqual([]);
  });
});
