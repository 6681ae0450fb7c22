import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDuration } from '../../src/cli/deploy.js';
import { pluginInvocation, pluginMetadata, pluginScript } from '../../src/cli/docker-plugin.js';
import { InputError } from '../../src/findings.js';
import { requireDocker } from '../helpers/docker.js';

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

/**
 * As the user presses TAB after `docker voldriver ...`, the docker CLI runs the plugin with cobra's `__complete`,
 * the words typed so far and the word being completed, and relays what it prints to the shell. The real docker CLI
 * is asked, with the plugin installed in a DOCKER_CONFIG of the test's own.
 */
describe('completion through the docker CLI', () => {
  function installed(): { complete: (...words: string[]) => { lines: string[]; directive: string }; dir: string } | undefined {
    const docker = requireDocker();
    if (!docker) return undefined;
    const dir = mkdtempSync(join(tmpdir(), 'cv-plugin-complete-'));
    const result = spawnSync(process.execPath, ['bin/compose-voldriver.cjs', 'docker-plugin', 'install', '--dir', join(dir, 'config', 'cli-plugins')], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const complete = (...words: string[]) => {
      const run = spawnSync(docker, ['__complete', 'voldriver', ...words], { encoding: 'utf8', cwd: dir, env: { ...process.env, DOCKER_CONFIG: join(dir, 'config') } });
      expect(run.status, run.stderr).toBe(0);
      const lines = run.stdout.split('\n').filter(Boolean);
      return { lines: lines.slice(0, -1).map((line) => line.split('\t')[0]), directive: lines[lines.length - 1] };
    };
    return { complete, dir };
  }

  test('a command line being completed is never run: no file is written, no deploy starts', (ctx) => {
    const docker = installed();
    if (!docker) return ctx.skip();
    const { complete, dir } = docker;
    const stack = 'services:\n  app:\n    image: nginx\n    volumes: [data:/d]\nvolumes:\n  data: {}\n';
    writeFileSync(join(dir, 'compose.yml'), stack);
    // Each of these, run, would write compose.yml (init -i, render -i --resolve) or create a file.
    expect(complete('init', '-f', 'compose.yml', '-i').lines).toEqual(['-i']);
    expect(complete('init', '-f', 'compose.yml', '-i', '').directive).toBe(':4');
    expect(complete('render', '-f', 'compose.yml', '--resolve', '-i', '--resolve').lines).toEqual(['--resolve']);
    expect(complete('init', '-f', 'compose.yml', '--policy', 'p.yml', '--force').lines).toEqual(['--force']);
    expect(complete('deploy', 'shop', '-f', 'compose.yml', '--detach').lines).toEqual(['--detach']);
    expect(readFileSync(join(dir, 'compose.yml'), 'utf8')).toBe(stack);
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort()).toEqual(['compose.yml', 'config']);
  });

  test('commands, options, their values and the environments of the policy', (ctx) => {
    const docker = installed();
    if (!docker) return ctx.skip();
    const { complete, dir } = docker;
    expect(complete('').lines).toEqual(expect.arrayContaining(['init', 'render', 'explain', 'validate', 'deploy', 'checks']));
    expect(complete('').lines).not.toContain('__complete');
    expect(complete('ex')).toEqual({ lines: ['explain'], directive: ':4' });
    expect(complete('render', '--format', '')).toEqual({ lines: ['text', 'json', 'github', 'sarif'], directive: ':4' });
    expect(complete('validate', '--format=s').lines).toEqual(['--format=sarif']);
    expect(complete('init', '--policy', '--platform', 'aws,n').lines).toEqual(['aws,nfs']);
    expect(complete('checks', 'zone-').lines).toEqual(['zone-unpinned']);
    // Files are the shell's to offer (directive 0); built-in policies are offered beside them.
    expect(complete('render', '-f', '')).toEqual({ lines: [], directive: ':0' });
    expect(complete('render', '--policy', 'builtin:a')).toEqual({ lines: ['builtin:aws'], directive: ':0' });
    writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\nenvironments: [dev, onprem]\nclasses: { durable: { driver: local } }\n');
    expect(complete('validate', '--env', '').lines).toEqual(['dev', 'onprem']);
    expect(complete('render', '--res').lines).toEqual(['--resolve']);
  });
});
