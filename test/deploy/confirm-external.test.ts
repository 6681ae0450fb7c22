/**
 * --confirm-external: an external volume on worker nodes the engine cannot see into is deployed once confirmed, by
 * its key or its engine name; a name that is no external volume of the stack is unusable input, before the engine
 * is asked anything.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { deployStack, formatReport } from '../../src/deploy/index.js';
import type { Engine } from '../../src/deploy/engine.js';
import { renderStack } from '../../src/index.js';
import { fakeEngine } from '../helpers/fake-engine.js';

const plain = { red: (t: string) => t, yellow: (t: string) => t, green: (t: string) => t, dim: (t: string) => t, bold: (t: string) => t };

function stack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-confirm-'));
  writeFileSync(
    join(dir, 'stack.yml'),
    'services:\n  app:\n    image: busybox\n    volumes: [media:/media, cache:/cache]\n    deploy:\n      placement:\n        constraints: ["node.role == worker"]\n' +
      'volumes:\n  media:\n    external: true\n    name: media-archive\n  cache: {}\n',
  );
  return dir;
}

async function deploy(dir: string, confirmExternal: string[] | undefined, asked: string[] = []) {
  const engine: Engine = fakeEngine({
    nodes: async () => (asked.push('nodes'), [
      { ID: 'n1', Spec: { Role: 'manager' }, Description: { Hostname: 'manager-1' } },
      { ID: 'n2', Spec: { Role: 'worker' }, Description: { Hostname: 'worker-1' } },
    ]),
  });
  const rendered = renderStack({ files: [join(dir, 'stack.yml')], target: 'swarm', resolve: true, projectName: 'st', cwd: dir });
  return deployStack(
    { stack: 'st', rendered, dryRun: true, allowDrift: false, wait: false, timeoutMs: 60_000, extra: [], confirmExternal },
    { env: {}, cwd: dir, home: dir, readFile: () => undefined, stdout: () => undefined, stderr: () => undefined, connect: async () => engine },
  );
}

describe('--confirm-external', () => {
  test('not given: refused, the plan saying the volume is not on this node', async () => {
    const report = await deploy(stack(), undefined);
    expect(report.exitCode).toBe(1);
    expect(report.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['error external-volume-unconfirmed', 'info volumes-unseen-on-nodes']);
    expect(formatReport(report, plain)).toMatch(/media\s+media-archive\s+-\s+-\s+external \(not on this node\)\n/);
  });

  test('by the volume\'s key or its engine name: the dry run would go ahead, with a note', async () => {
    for (const name of ['media', 'media-archive']) {
      const report = await deploy(stack(), [name]);
      expect(report.outcome, name).toBe('planned');
      expect(report.exitCode).toBe(0);
      expect(report.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['info external-volume-elsewhere', 'info volumes-unseen-on-nodes']);
      const text = formatReport(report, plain);
      expect(text).toMatch(/media\s+media-archive\s+-\s+-\s+external \(confirmed on other nodes\)\n/);
      expect(text).toMatch(/\ninfo \[external-volume-elsewhere\] \S+stack\.yml:9:3: external volume "media-archive" \(volume "media"\) is not on this engine \(node manager-1\); deployed as confirmed/);
    }
  });

  test('a name that is no external volume of the stack (a typo, a volume of its own): unusable input, the engine never asked', async () => {
    for (const name of ['medai', 'cache', 'st_cache']) {
      const asked: string[] = [];
      await expect(deploy(stack(), [name], asked)).rejects.toMatchObject({
        name: 'InputError',
        message: `--confirm-external "${name}": the stack has no external volume of that name that a service mounts (external volumes: media (media-archive))`,
      });
      expect(asked).toEqual([]);
    }
  });
});
