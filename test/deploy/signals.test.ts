/**
 * The built CLI as a process, stopped while docker stack deploy runs: by a hang-up (an SSH session dropped), a quit,
 * a terminate, and by its output being closed. Each takes the same path: docker is stopped, what it created is
 * removed again, the lock is given back, and the exit code is 128 + the signal's number. The engine is an Engine
 * API of the test's own on a unix socket; docker is a script that "creates" a service and then keeps printing.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const BIN = resolve('bin/compose-voldriver.cjs');
const dir = mkdtempSync(join(tmpdir(), 'cv-signals-'));
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A one-node Swarm whose manager answers here; the service "st_app" exists once docker has "created" it. */
async function engine(socket: string): Promise<{ calls: string[]; created: () => void }> {
  const calls: string[] = [];
  let service = false;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://engine');
    const path = url.pathname.replace(/^\/v[\d.]+/, '');
    calls.push(`${request.method} ${path}`);
    const send = (status: number, body?: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(body === undefined ? '' : JSON.stringify(body));
    };
    request.resume();
    request.on('end', () => {
      if (path === '/version') return send(200, { Version: '27.0.0', ApiVersion: '1.46' });
      if (path === '/info') return send(200, { Name: 'node-1', Swarm: { LocalNodeState: 'active', ControlAvailable: true, NodeID: 'n1' } });
      if (path === '/nodes') return send(200, [{ ID: 'n1', Description: { Hostname: 'node-1' }, Status: { State: 'ready' }, Spec: { Role: 'manager', Availability: 'active' } }]);
      if (path === '/services') {
        const stackOf = url.searchParams.get('filters') ?? '';
        return send(200, service && (stackOf === '' || stackOf.includes('=st')) ? [{ ID: 's1', Version: { Index: 1 }, Spec: { Name: 'st_app', Labels: { 'com.docker.stack.namespace': 'st' } } }] : []);
      }
      if (path === '/services/s1' && request.method === 'DELETE') {
        service = false;
        return send(200);
      }
      if (path === '/volumes') return send(200, { Volumes: [], Warnings: null });
      if (path.startsWith('/volumes/')) return send(404, { message: 'no such volume' });
      if (path === '/configs/create') return send(201, { ID: 'lock' });
      if (path.startsWith('/configs/') && request.method === 'DELETE') return send(204);
      if (['/plugins', '/tasks', '/networks', '/secrets', '/configs'].includes(path)) return send(200, []);
      send(404, { message: `no ${path} here` });
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(socket, done));
  return { calls, created: () => void (service = true) };
}

/** A docker that reads the stack, "creates" a service, then prints a line every 50 ms until it is stopped. */
function fakeDocker(folder: string): string {
  const script = join(folder, 'docker');
  writeFileSync(
    script,
    `#!/bin/sh\ntrap 'echo "$$" > "${folder}/docker-stopped"; exit 143' TERM INT\ncat >/dev/null\necho "Creating service st_app"\n` +
      `i=0\nwhile [ $i -lt 200 ]; do echo "Waiting $i"; i=$((i+1)); sleep 0.05; done\ntouch "${folder}/docker-finished"\n`,
  );
  chmodSync(script, 0o755);
  return script;
}

type Stop = { signal: NodeJS.Signals; twice?: boolean } | { closeStdout: true };

async function deployStopped(name: string, stop: Stop): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; folder: string; calls: string[] }> {
  const folder = join(dir, name);
  const socket = join(dir, `${name}.sock`);
  mkdirSync(folder);
  writeFileSync(join(folder, 'stack.yml'), 'services:\n  app:\n    image: busybox\n    volumes: [data:/data]\nvolumes:\n  data: {}\n');
  writeFileSync(join(folder, 'voldriver.yml'), 'version: 1\ndefault_class: fast\nclasses:\n  fast:\n    driver: local\n');
  const fake = await engine(socket);
  const env = { PATH: process.env.PATH, HOME: folder, NO_COLOR: '1', DOCKER_HOST: `unix://${socket}`, DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND: fakeDocker(folder) };
  const child = spawn(process.execPath, [BIN, 'deploy', 'st', '-f', 'stack.yml', '--wait'], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let stopped = false;
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    if (stopped || !stdout.includes('Creating service st_app')) return;
    stopped = true;
    fake.created();
    if ('signal' in stop) {
      child.kill(stop.signal);
      if (stop.twice) setTimeout(() => child.kill(stop.signal), 100);
    } else child.stdout.destroy();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code, signal] = await new Promise<[number | null, string | null]>((done) => child.on('close', (c, s) => done([c, s])));
  return { code, signal, stdout, stderr, folder, calls: fake.calls };
}

describe('deploy stopped while docker stack deploy runs', () => {
  test.each([
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
    ['SIGTERM', 143],
  ] as const)('by %s: docker stopped, what it created removed, the lock given back, exit %i', async (signal, code) => {
    const result = await deployStopped(signal.toLowerCase(), { signal });
    expect(result.signal, result.stderr).toBeNull();
    expect(result.code, result.stdout + result.stderr).toBe(code);
    expect(result.stderr).toContain(`${signal}: stopping (${signal} once more quits at once`);
    expect(result.stdout).toContain(`interrupted by ${signal} while docker stack deploy ran; removed what it had created: service st_app\n`);
    expect(existsSync(join(result.folder, 'docker-stopped'))).toBe(true);
    expect(existsSync(join(result.folder, 'docker-finished'))).toBe(false);
    expect(result.calls).toContain('DELETE /services/s1');
    expect(result.calls.at(-1)).toBe('DELETE /configs/compose-voldriver-lock_st');
    expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  });

  test('by SIGHUP twice, as a closing session sends it (the shell to its jobs, the kernel as the shell exits): the stop goes on, exit 129', async () => {
    const result = await deployStopped('hup-twice', { signal: 'SIGHUP', twice: true });
    expect(result.signal, result.stderr).toBeNull();
    expect(result.code, result.stdout + result.stderr).toBe(129);
    expect(result.stdout).toContain('interrupted by SIGHUP while docker stack deploy ran; removed what it had created: service st_app\n');
    expect(result.calls).toContain('DELETE /services/s1');
    expect(result.calls.at(-1)).toBe('DELETE /configs/compose-voldriver-lock_st');
  });

  test('by SIGINT twice: the second quits at once, as the message says', async () => {
    const result = await deployStopped('int-twice', { signal: 'SIGINT', twice: true });
    expect(result.stderr).toContain('SIGINT: stopping (SIGINT once more quits at once');
    expect(result.signal).toBe('SIGINT');
  });

  test('by its standard output closed (a pipe whose reader went away): the same, exit 141, said on stderr', async () => {
    const result = await deployStopped('pipe', { closeStdout: true });
    expect(result.signal, result.stderr).toBeNull();
    expect(result.code, result.stderr).toBe(141);
    expect(result.stderr).toContain('SIGPIPE: the output was closed; stopping');
    expect(readFileSync(join(result.folder, 'docker-stopped'), 'utf8')).toMatch(/^\d+\n$/);
    expect(existsSync(join(result.folder, 'docker-finished'))).toBe(false);
    expect(result.calls).toContain('DELETE /services/s1');
    expect(result.calls.at(-1)).toBe('DELETE /configs/compose-voldriver-lock_st');
    expect(result.stderr).not.toMatch(/EPIPE|\n\s+at |internal error/);
  });
});
