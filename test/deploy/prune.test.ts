/** --prune removes the running stack's services the file no longer has: the dry run and the deploy say so first. */
import { describe, expect, test } from 'vitest';
import { deployStack, formatReport } from '../../src/deploy/index.js';
import type { Engine, SwarmService } from '../../src/deploy/engine.js';
import { preflight, type PreflightInput } from '../../src/deploy/preflight.js';
import { renderStack } from '../../src/index.js';
import { fakeEngine } from '../helpers/fake-engine.js';

const plain = { red: (t: string) => t, yellow: (t: string) => t, green: (t: string) => t, dim: (t: string) => t, bold: (t: string) => t };

function service(name: string, sources: string[] = []): SwarmService {
  return {
    ID: name,
    Spec: {
      Name: name,
      Labels: { 'com.docker.stack.namespace': 'shop' },
      TaskTemplate: { ContainerSpec: { Mounts: sources.map((source, i) => ({ Type: 'volume', Source: source, Target: `/m${i}` })) } },
    },
  };
}

function engine(services: SwarmService[]): Engine {
  return fakeEngine({ services: async () => services });
}

const running = [service('shop_web'), service('shop_worker', ['shop_queue', 'shop_queue', 'shop_cache']), service('shop_cron')];

describe('--prune', () => {
  const input = (prune: boolean): PreflightInput => ({
    stack: 'shop',
    allowDrift: false,
    prune,
    secrets: [],
    services: [{ name: 'web', constraints: [], mode: 'replicated', replicas: 1 }],
    volumes: [],
  });

  test('each running service the file no longer has is a warning, with the volumes it mounts; without --prune, nothing', async () => {
    const result = await preflight(engine(running), { host: 'h', from: 'test' }, input(true));
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'service-pruned',
        severity: 'warning',
        service: 'shop_worker',
        message: '--prune removes service shop_worker: it runs in stack shop, and the stack file no longer has it; the volumes it mounts stay (shop_queue, shop_cache)',
      }),
      expect.objectContaining({ code: 'service-pruned', service: 'shop_cron', message: '--prune removes service shop_cron: it runs in stack shop, and the stack file no longer has it' }),
    ]);
    expect((await preflight(engine(running), { host: 'h', from: 'test' }, input(false))).findings).toEqual([]);
  });

  test('the dry run says it, given as deploy\'s flag or among the docker-args, where docker takes the last one', async () => {
    const rendered = renderStack({ sources: [{ name: 'stack.yml', text: 'services:\n  web:\n    image: busybox\n' }], target: 'swarm', resolve: true, projectName: 'shop', policy: 'builtin:default' });
    const dryRun = async (prune: boolean, extra: string[]) => {
      const report = await deployStack(
        { stack: 'shop', rendered, dryRun: true, allowDrift: false, wait: false, timeoutMs: 1000, prune, extra },
        { env: {}, cwd: '/', home: '/', readFile: () => undefined, stdout: () => undefined, stderr: () => undefined, connect: async () => engine(running) },
      );
      return report;
    };
    for (const [prune, extra] of [[true, []], [false, ['--prune']], [false, ['--prune=true']]] as [boolean, string[]][]) {
      const report = await dryRun(prune, extra);
      expect(report.outcome).toBe('planned');
      expect(report.exitCode).toBe(0);
      expect(report.findings.map((f) => f.service)).toEqual(['shop_worker', 'shop_cron']);
      expect(formatReport(report, plain)).toContain('warning [service-pruned] --prune removes service shop_worker');
    }
    for (const [prune, extra] of [[false, []], [true, ['--prune=false']]] as [boolean, string[]][]) {
      expect((await dryRun(prune, extra)).findings).toEqual([]);
    }
  });
});
