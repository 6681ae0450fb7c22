import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { contextDigest, dockerCliTarget, dockerodeOptions, resolveEndpoint } from '../../src/deploy/connection.js';
import { InputError } from '../../src/findings.js';

function configDir(contexts: Record<string, { host: string; skipTls?: boolean; tls?: boolean }>, current?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-ctx-'));
  for (const [name, context] of Object.entries(contexts)) {
    const meta = join(dir, 'contexts', 'meta', contextDigest(name));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: context.host, SkipTLSVerify: context.skipTls ?? false } } }));
    if (context.tls) {
      const tls = join(dir, 'contexts', 'tls', contextDigest(name), 'docker');
      mkdirSync(tls, { recursive: true });
      for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tls, file), `${name}-${file}`);
    }
  }
  if (current) writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: current }));
  return dir;
}

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

describe('resolveEndpoint: the docker CLI order', () => {
  const dir = configDir({ prod: { host: 'tcp://prod.example:2376', tls: true }, lab: { host: 'ssh://ops@lab.example' }, cur: { host: 'unix:///run/cur.sock' } }, 'cur');
  const resolve = (env: Record<string, string>, context?: string) => resolveEndpoint({ context, env: { DOCKER_CONFIG: dir, ...env }, readFile: read, home: '/nonexistent' });

  test('--context wins over DOCKER_HOST, DOCKER_CONTEXT and the current context', () => {
    const endpoint = resolve({ DOCKER_HOST: 'unix:///other.sock', DOCKER_CONTEXT: 'lab' }, 'prod');
    expect(endpoint).toMatchObject({ host: 'tcp://prod.example:2376', from: '--context', context: 'prod' });
    expect(endpoint.tls).toEqual({ ca: 'prod-ca.pem', cert: 'prod-cert.pem', key: 'prod-key.pem', verify: true });
  });

  test('DOCKER_HOST wins over DOCKER_CONTEXT and the current context', () => {
    const endpoint = resolve({ DOCKER_HOST: 'unix:///other.sock', DOCKER_CONTEXT: 'lab' });
    expect(endpoint).toMatchObject({ host: 'unix:///other.sock', from: 'DOCKER_HOST' });
    expect(endpoint.context).toBeUndefined();
  });

  test('DOCKER_CONTEXT wins over the current context', () => {
    expect(resolve({ DOCKER_CONTEXT: 'lab' })).toMatchObject({ host: 'ssh://ops@lab.example', from: 'DOCKER_CONTEXT', context: 'lab', tls: undefined });
  });

  test('the current context in config.json, else the default socket', () => {
    expect(resolve({})).toMatchObject({ host: 'unix:///run/cur.sock', context: 'cur' });
    expect(resolveEndpoint({ env: {}, readFile: () => undefined, home: '/nowhere' })).toEqual({ host: 'unix:///var/run/docker.sock', from: 'default', tls: undefined });
  });

  test('the context named "default" is DOCKER_HOST or the default socket', () => {
    const endpoint = resolve({}, 'default');
    expect(endpoint.host).toBe('unix:///var/run/docker.sock');
    expect(endpoint.context).toBeUndefined();
    expect(resolve({ DOCKER_HOST: 'tcp://h:2375' }, 'default').host).toBe('tcp://h:2375');
  });

  test('DOCKER_CONFIG unset: ~/.docker', () => {
    const home = mkdtempSync(join(tmpdir(), 'cv-home-'));
    mkdirSync(join(home, '.docker'));
    writeFileSync(join(home, '.docker', 'config.json'), '{"currentContext":"gone"}');
    expect(() => resolveEndpoint({ env: {}, readFile: read, home })).toThrow(/docker context "gone" \(from currentContext in .*config.json\) does not exist/);
  });

  test('an unknown context is an input error naming it', () => {
    const error = (() => {
      try {
        resolve({}, 'nope');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/docker context "nope" \(from --context\) does not exist/);
  });

  test('DOCKER_TLS_VERIFY reads the certificates from DOCKER_CERT_PATH', () => {
    const certs = mkdtempSync(join(tmpdir(), 'cv-certs-'));
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, file), file);
    const endpoint = resolve({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(endpoint.tls).toEqual({ ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem', verify: true });
    expect(dockerodeOptions(endpoint, {})).toMatchObject({ protocol: 'https', host: 'h', port: '2376', ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem' });
  });
});

describe('dockerodeOptions', () => {
  test('unix, tcp and ssh hosts', () => {
    expect(dockerodeOptions({ host: 'unix:///tmp/d.sock', from: 'x' }, {})).toEqual({ socketPath: '/tmp/d.sock' });
    expect(dockerodeOptions({ host: 'tcp://10.0.0.1:2375', from: 'x' }, {})).toEqual({ protocol: 'http', host: '10.0.0.1', port: '2375' });
    expect(dockerodeOptions({ host: 'ssh://ops@lab:2222', from: 'x' }, { SSH_AUTH_SOCK: '/agent' })).toEqual({
      protocol: 'ssh',
      host: 'lab',
      port: '2222',
      username: 'ops',
      sshOptions: { agent: '/agent' },
    });
  });

  test('an unsupported scheme is an input error', () => {
    expect(() => dockerodeOptions({ host: 'ftp://x', from: 'DOCKER_HOST' }, {})).toThrow(InputError);
  });

  test('a socket path without unix://, and ssh:// without a host, are input errors with the form to write', () => {
    const refusal = (host: string) => {
      try {
        dockerodeOptions({ host, from: 'DOCKER_HOST' }, {});
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return `${(error as InputError).message} | ${(error as InputError).hint}`;
      }
      throw new Error(`${host}: not refused`);
    };
    expect(refusal('/var/run/docker.sock')).toBe(
      'cannot use docker host "/var/run/docker.sock" (from DOCKER_HOST): a path is not an address; docker would read it as tcp://localhost:2375/var/run/docker.sock | write the socket as unix:///var/run/docker.sock',
    );
    expect(refusal('ssh://')).toBe('cannot use docker host "ssh://" (from DOCKER_HOST): it names no host | write ssh://user@host');
    expect(refusal('ssh://ops@')).toContain('expected unix:///path, tcp://host:port or ssh://user@host');
    // A host and port without a scheme is tcp, as docker reads it.
    expect(dockerodeOptions({ host: 'lab:2375', from: 'x' }, {})).toEqual({ protocol: 'http', host: 'lab', port: '2375' });
  });
});

describe('dockerCliTarget: the docker child reaches the same engine', () => {
  test('a context is passed by flag, DOCKER_HOST removed', () => {
    expect(dockerCliTarget({ host: 'tcp://p:2376', from: '--context', context: 'prod' }, { DOCKER_HOST: 'unix:///x', PATH: '/bin' })).toEqual({
      args: ['--context', 'prod'],
      env: { PATH: '/bin' },
    });
  });

  test('a host is passed in DOCKER_HOST', () => {
    expect(dockerCliTarget({ host: 'unix:///var/run/docker.sock', from: 'default' }, { DOCKER_CONTEXT: 'default' })).toEqual({
      args: [],
      env: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
    });
  });
});

describe('an ssh:// engine', () => {
  test('that cannot be reached is one finding, with no Node warning about the address the client library makes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-ssh-'));
    writeFileSync(join(dir, 'compose.yml'), 'services:\n  app:\n    image: nginx\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-voldriver: durable\n');
    const run = spawnSync(process.execPath, [join(process.cwd(), 'bin/compose-voldriver.cjs'), 'deploy', 'shop', '--dry-run'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, DOCKER_HOST: 'ssh://nobody@127.0.0.1:1' },
      timeout: 30_000,
    });
    expect(run.stdout + run.stderr).toContain('error [engine-unreachable] cannot reach the Docker engine at ssh://nobody@127.0.0.1:1 (from DOCKER_HOST)');
    expect(run.stdout + run.stderr).not.toMatch(/Warning|DEP0/);
    expect(run.status).toBe(1);
  });
});

describe('a password written in the docker host', () => {
  test('is shown as ***, whatever the scheme and whatever the password holds', async () => {
    const { shownHost } = await import('../../src/deploy/connection.js');
    expect(shownHost('tcp://deploy:s3cret@10.0.0.5:2376')).toBe('tcp://deploy:***@10.0.0.5:2376');
    expect(shownHost('https://u:p@ss:wd@engine.example:2376/')).toBe('https://u:***@engine.example:2376/');
    expect(shownHost('tcp://:tok@10.0.0.5')).toBe('tcp://:***@10.0.0.5');
    for (const host of ['tcp://10.0.0.5:2376', 'ssh://deploy@10.0.0.5', 'unix:///var/run/docker.sock', '10.0.0.5:2375']) expect(shownHost(host)).toBe(host);
  });

  test('ssh:// with a password is refused as the docker CLI refuses it, without showing it', () => {
    const refused = (() => {
      try {
        dockerodeOptions({ host: 'ssh://deploy:hunter2@10.0.0.5', from: 'DOCKER_HOST' }, {});
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toBe('cannot use docker host "ssh://deploy:***@10.0.0.5" (from DOCKER_HOST): a password in an ssh:// address is not supported, as the docker CLI refuses it');
    expect(() => dockerodeOptions({ host: 'gopher://u:hunter2@h', from: 'DOCKER_HOST' }, {})).toThrow('cannot use docker host "gopher://u:***@h"');
  });
});
