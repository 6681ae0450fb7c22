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
});
