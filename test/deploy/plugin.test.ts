import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDuration } from '../../src/cli/deploy.js';
import { pluginInvocation, pluginMetadata, pluginScript } from '../../src/cli/docker-plugin.js';
import { InputError } from '../../src/findings.js';

describe('the Docker CLI plugin', () => {
  test('metadata as Docker expects it', () => {
    expect(JSON.parse(pluginMetadata('1.2.3'))).toEqual({
      SchemaVersion: '0.1.0',
      Vendor: 'compose-voldriver',
      Version: '1.2.3',
      ShortDescription: expect.stringMatching(/./),
    });
  });

  test("docker's global options become the environment; the rest are the command's arguments", () => {
    expect(pluginInvocation(['--context', 'prod', '--debug', 'voldriver', 'deploy', 'shop', '--dry-run'], { DOCKER_HOST: 'unix:///x' })).toEqual({
      argv: ['deploy', 'shop', '--dry-run'],
      env: { DOCKER_CONTEXT: 'prod' },
    });
    expect(pluginInvocation(['-H=tcp://h:2375', '--config', '/cfg', 'voldriver', 'deploy'], { DOCKER_CONTEXT: 'c' })).toEqual({
      argv: ['deploy'],
      env: { DOCKER_HOST: 'tcp://h:2375', DOCKER_CONFIG: '/cfg' },
    });
    expect(pluginInvocation(['voldriver', '--help'], {})).toEqual({ argv: ['--help'], env: {} });
  });

  test('the installed script runs this CLI with an argument list, quoted for sh', () => {
    expect(pluginScript("/opt/node's/node", '/usr/lib/cv/bin/compose-voldriver.cjs')).toContain(
      `exec '/opt/node'\\''s/node' '/usr/lib/cv/bin/compose-voldriver.cjs' docker-cli-plugin "$@"`,
    );
  });
});

describe('--timeout durations', () => {
  test('units and bare seconds', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('1h')).toBe(3_600_000);
  });

  test('anything else is an input error', () => {
    expect(() => parseDuration('5 minutes')).toThrow(InputError);
    expect(() => parseDuration('')).toThrow(InputError);
  });

  test('no time at all is an input error: the wait would time out at once after deploying', () => {
    for (const text of ['0', '0s', '0.0', '0m0s', '0ms']) expect(() => parseDuration(text), text).toThrow(/is no time: --wait would time out \(exit 3\) at once, after deploying/);
    expect(parseDuration('0.5')).toBe(500);
    expect(parseDuration('1ms')).toBe(1);
  });
});

describe('docker-plugin install', () => {
  const install = (dir: string) => spawnSync(process.execPath, ['bin/compose-voldriver.cjs', 'docker-plugin', 'install', '--dir', dir], { encoding: 'utf8' });

  test('writes an executable docker-voldriver into the folder, making the folders it lacks', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cv-plugin-')), 'a', 'cli-plugins');
    const result = install(dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`installed ${join(dir, 'docker-voldriver')}`);
    expect(statSync(join(dir, 'docker-voldriver')).mode & 0o111).not.toBe(0);
  });

  test('says in words why a folder cannot be made, with exit code 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cv-plugin-')), 'file');
    writeFileSync(file, '');
    const under = install(join(file, 'cli-plugins'));
    expect(under.status).toBe(2);
    expect(under.stderr).toBe(`error: cannot create ${join(file, 'cli-plugins')}: a part of the path is not a directory\n`);
    const proc = install('/proc/compose-voldriver-none/cli-plugins');
    expect(proc.status).toBe(2);
    expect(proc.stderr).toBe('error: cannot create /proc/compose-voldriver-none/cli-plugins: no such file or directory\n');
  });
});
