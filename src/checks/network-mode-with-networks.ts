/**
 * A service that sets both `network_mode` and `networks`: docker compose refuses the project ("service "app"
 * declares mutually exclusive `network_mode` and `networks`"), often after an override sets `network_mode: host`
 * on a service whose base file lists networks. docker stack deploy ignores network_mode, so `--target swarm` is
 * not judged.
 */
import { serviceNetworkModes } from '../compose/references.js';
import type { Finding } from '../findings.js';
import type { Check } from './types.js';

export const networkModeWithNetworks: Check = {
  code: 'network-mode-with-networks',
  severity: 'error',
  summary: 'a service that sets both network_mode and networks, which docker compose refuses',
  docs: 'docs/checks.md#network-mode-with-networks',
  run(ctx) {
    if (ctx.target === 'swarm') return [];
    return serviceNetworkModes(ctx.model).map(
      (both): Finding => ({
        code: 'network-mode-with-networks',
        severity: 'error',
        message: `service "${both.service}" sets network_mode "${both.mode}" and also networks: docker compose refuses the two together ("declares mutually exclusive network_mode and networks")`,
        hint: 'keep one: remove networks (an override file can write networks: !reset []), or network_mode',
        path: both.path,
        source: 'compose',
        pointAt: 'key',
      }),
    );
  },
};
