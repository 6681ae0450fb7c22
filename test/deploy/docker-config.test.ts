/** Docker's own files are read like every other input: a FIFO among them never hangs deploy. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const BIN = resolve('bin/compose-voldriver.cjs');
const dir = mkdtempSync(join(tmpdir(), 'cv-dockercfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a FIFO as the docker config file is passed over, not waited on', () => {
  expect(spawnSync('mkfifo', [join(dir, 'config.json')]).status).toBe(0);
  writeFileSync(join(dir, 'c.yml'), 'services:\n  a:\n    image: busybox\n');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, DOCKER_CONFIG: dir };
  const run = spawnSync(process.execPath, [BIN, 'deploy', 's', '-f', 'c.yml', '--dry-run'], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  expect(run.signal, 'deploy hung on the FIFO').toBeNull();
  expect(run.stderr + run.stdout).not.toMatch(/\n\s+at \S+ \(/);
  expect(run.status).toBe(1);
});
