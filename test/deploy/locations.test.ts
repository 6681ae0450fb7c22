/**
 * Every preflight refusal points at its place in the stack files (file:line:col), through -f overrides, include and
 * extends: the volume's key, the placement constraint. A fake engine; nothing is deployed (--dry-run).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { deployStack, formatFindings } from '../../src/deploy/index.js';
import type { Engine } from '../../src/deploy/engine.js';
import { fakeEngine } from '../helpers/fake-engine.js';
import { renderStack } from '../../src/index.js';

const plain = { red: (t: string) => t, yellow: (t: string) => t, green: (t: string) => t, dim: (t: string) => t, bold: (t: string) => t };

const engine: Engine = fakeEngine({
  nodes: async () => [{ ID: 'n1', Spec: { Role: 'manager' }, Description: { Hostname: 'node-1', Engine: { Plugins: [{ Type: 'Volume', Name: 'blockstore' }] } } }],
  // The stack ran before with other options: its volume is on this engine.
  volume: async (name) => (name === 'st_data' ? { Name: 'st_data', Driver: 'blockstore', Options: { size: '1G' } } : undefined),
});

test('preflight findings carry file:line:col of the override, the included file and the volume key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-locations-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(
    join(dir, 'base.yml'),
    'services:\n  app:\n    image: busybox\n    volumes:\n      - data:/data\nvolumes:\n  data: {}\n',
  );
  writeFileSync(
    join(dir, 'main.yml'),
    'include:\n  - sub/inc.yml\nservices:\n  app:\n    extends: { file: base.yml, service: app }\nvolumes:\n  data: {}\n',
  );
  writeFileSync(join(dir, 'over.yml'), 'services:\n  app:\n    deploy:\n      placement:\n        constraints: ["node.labels.zone == nowhere"]\n');
  writeFileSync(
    join(dir, 'sub', 'inc.yml'),
    'services:\n  side:\n    image: busybox\n    volumes: ["logs:/logs"]\n    deploy:\n      placement:\n        constraints: ["node.role == manager", "node.label.zone == x"]\nvolumes:\n  logs:\n    external: true\n',
  );
  writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\ndefault_class: fast\nclasses:\n  fast:\n    driver: blockstore\n    driver_opts: { size: "5G" }\n');
  const rendered = renderStack({ files: ['main.yml', 'over.yml'], cwd: dir, policy: join(dir, 'voldriver.yml'), target: 'swarm', resolve: true, projectName: 'st' });
  const report = await deployStack(
    { stack: 'st', rendered, dryRun: true, allowDrift: false, wait: false, timeoutMs: 1000, extra: [] },
    { env: {}, cwd: dir, home: dir, readFile: () => undefined, stdout: () => undefined, stderr: () => undefined, connect: async () => engine },
  );
  expect(report.findings.map((f) => `${f.code} ${f.file}:${f.line}:${f.col}`).sort()).toEqual([
    'external-volume-missing sub/inc.yml:9:3',
    'invalid-constraint sub/inc.yml:7:47',
    'no-eligible-node over.yml:5:22',
    'volume-drift main.yml:7:3',
  ]);
  const text = formatFindings(report, plain);
  expect(text).toContain('error [no-eligible-node] over.yml:5:22: no node can run service "app"');
  expect(text).toContain('error [volume-drift] main.yml:7:3: volume "data" (st_data) would change its options');
  // Every error line has its place.
  expect(text.split('\n').filter((line) => line.startsWith('error ')).every((line) => /^error \[[a-z-]+\] [\w/.]+:\d+:\d+: /.test(line))).toBe(true);
});
