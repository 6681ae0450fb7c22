/** An Engine API call that fails says what it asked, why in words, and what to do: never a bare errno or "socket hang up". */
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { connectEngine, engineProblem, EngineError } from '../../src/deploy/engine.js';
import { preflight } from '../../src/deploy/preflight.js';

const errno = (code: string, message = `connect ${code} /run/x.sock`) => Object.assign(new Error(message), { code });
const where = { host: 'unix:///run/x.sock', timeoutMs: 30_000, elapsedMs: 5 };

describe('engineProblem', () => {
  test('the socket errors in words, each with its own fix', () => {
    expect(engineProblem(errno('EACCES'), where)).toMatchObject({ reason: 'permission denied on /run/x.sock', hint: expect.stringContaining('usermod -aG docker') });
    expect(engineProblem(errno('ENOENT'), where)).toMatchObject({ reason: 'no socket at /run/x.sock', hint: expect.stringContaining('start the engine') });
    expect(engineProblem(errno('ECONNREFUSED'), { ...where, host: 'tcp://10.0.0.1:2376' })).toMatchObject({ reason: 'nothing answers at tcp://10.0.0.1:2376 (connection refused)' });
    expect(engineProblem(errno('ENOTFOUND', 'getaddrinfo ENOTFOUND nohost'), { ...where, host: 'tcp://nohost:2376' })).toMatchObject({ reason: 'host not found: tcp://nohost:2376' });
    expect(engineProblem(errno('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), where)).toMatchObject({ reason: 'TLS: self-signed certificate', hint: expect.stringContaining('DOCKER_CERT_PATH') });
  });

  test('a hang-up at the client timeout is a timeout; one before it is a closed connection', () => {
    const hangUp = errno('ECONNRESET', 'socket hang up');
    expect(engineProblem(hangUp, { ...where, elapsedMs: 30_004 })).toMatchObject({ reason: 'no answer from unix:///run/x.sock within 30 s', hint: expect.stringContaining('DOCKER_CLIENT_TIMEOUT') });
    expect(engineProblem(hangUp, where).reason).toBe('the connection to unix:///run/x.sock was closed before an answer');
  });

  test('an HTTP error is the engine\'s own message, with its status', () => {
    const http = Object.assign(new Error('(HTTP code 503) node is not part of a swarm - This node is not a swarm manager. '), {
      statusCode: 503,
      json: { message: 'This node is not a swarm manager.' },
    });
    expect(engineProblem(http, where)).toEqual({ reason: 'the engine answered 503: This node is not a swarm manager.' });
  });
});

describe('through dockerode, against a socket that misbehaves', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });
  const socket = () => join(mkdtempSync(join(tmpdir(), 'cv-engine-')), 'docker.sock');

  test('no answer within DOCKER_CLIENT_TIMEOUT: the preflight says so, with the timeout and how to raise it', async () => {
    const path = socket();
    const server = createServer((connection) => connection.on('data', () => undefined));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const engine = await connectEngine({ host: `unix://${path}`, from: 'DOCKER_HOST' }, { DOCKER_CLIENT_TIMEOUT: '1' });
    const result = await preflight(engine, { host: `unix://${path}`, from: 'DOCKER_HOST' }, { stack: 'st', volumes: [], services: [], allowDrift: false, secrets: [] });
    expect(result.findings).toEqual([
      {
        code: 'engine-unreachable',
        severity: 'error',
        message: `cannot reach the Docker engine at unix://${path} (from DOCKER_HOST): no answer from unix://${path} within 1 s`,
        hint: 'the engine is busy or stuck: check it (docker info), or wait longer with DOCKER_CLIENT_TIMEOUT=SECONDS',
      },
    ]);
  });

  test('an engine that answers the version and then an error: what was asked, and the engine\'s message', async () => {
    const path = socket();
    const server = createHttpServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      if (/\/version$/.test(request.url ?? '')) return response.end(JSON.stringify({ Version: '27.0.0', ApiVersion: '1.46' }));
      response.statusCode = 500;
      response.end(JSON.stringify({ message: 'rpc error: code = Unavailable' }));
    });
    servers.push(server as unknown as Server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const engine = await connectEngine({ host: `unix://${path}`, from: 'DOCKER_HOST' }, {});
    const failed = await preflight(engine, { host: `unix://${path}`, from: 'DOCKER_HOST' }, { stack: 'st', volumes: [], services: [], allowDrift: false, secrets: [] }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(EngineError);
    expect((failed as Error).message).toBe('asking the engine about its Swarm: the engine answered 500: rpc error: code = Unavailable');
  });
});
