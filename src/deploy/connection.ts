/**
 * Which engine to talk to, resolved the way the docker CLI resolves it: `--context`, then `DOCKER_HOST`, then
 * `DOCKER_CONTEXT`, then `currentContext` in `$DOCKER_CONFIG/config.json`, else the default socket. dockerode
 * reads no contexts, so their metadata (contexts/meta/<sha256 of the name>/meta.json) and TLS files
 * (contexts/tls/<sha256>/docker/) are read here. The same endpoint is handed to `docker stack deploy`.
 */
import { createHash } from 'node:crypto';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { InputError } from '../findings.js';

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  /** Whether the server's certificate is checked. */
  verify: boolean;
}

export interface Endpoint {
  /** unix:///path, tcp://host:port or ssh://user@host. */
  host: string;
  /** Where it came from, to show the user: --context, DOCKER_HOST, DOCKER_CONTEXT, config.json, default. */
  from: string;
  /** The context name when one was used (not the built-in "default"). */
  context?: string;
  tls?: TlsFiles;
}

export interface ConnectionInput {
  /** --context */
  context?: string;
  env: Record<string, string | undefined>;
  /** Reads a file; undefined when it does not exist. */
  readFile(path: string): string | undefined;
  home: string;
}

export const DEFAULT_HOST = 'unix:///var/run/docker.sock';

export function dockerConfigDir(env: Record<string, string | undefined>, home: string): string {
  return env.DOCKER_CONFIG || join(home, '.docker');
}

/**
 * The host as it may be shown: a password written in it (`tcp://user:secret@host:2376`) as `***`, as in every
 * message, the engine line and the JSON report.
 */
export function shownHost(host: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(host)?.[0] ?? '';
  const rest = host.slice(scheme.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  if (at < 0 || colon < 0 || colon > at) return host;
  return `${scheme}${authority.slice(0, colon)}:***${rest.slice(at)}`;
}

export function contextDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function tlsFromEnv(input: ConnectionInput, configDir: string): TlsFiles | undefined {
  const verify = input.env.DOCKER_TLS_VERIFY !== undefined && input.env.DOCKER_TLS_VERIFY !== '';
  const tls = verify || (input.env.DOCKER_TLS !== undefined && input.env.DOCKER_TLS !== '');
  if (!tls) return undefined;
  const dir = input.env.DOCKER_CERT_PATH || configDir;
  return {
    ca: input.readFile(join(dir, 'ca.pem')),
    cert: input.readFile(join(dir, 'cert.pem')),
    key: input.readFile(join(dir, 'key.pem')),
    verify,
  };
}

function fromEnvironment(input: ConnectionInput, configDir: string, from: string): Endpoint {
  const host = input.env.DOCKER_HOST || DEFAULT_HOST;
  return { host, from: input.env.DOCKER_HOST ? 'DOCKER_HOST' : from, tls: tlsFromEnv(input, configDir) };
}

function fromContext(name: string, input: ConnectionInput, configDir: string, from: string): Endpoint {
  if (name === 'default') return fromEnvironment(input, configDir, from);
  const digest = contextDigest(name);
  const metaFile = join(configDir, 'contexts', 'meta', digest, 'meta.json');
  const text = input.readFile(metaFile);
  if (text === undefined) {
    throw new InputError(`docker context "${name}" (from ${from}) does not exist: no ${metaFile}`, undefined, 'list contexts with `docker context ls`');
  }
  let meta: { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
  try {
    meta = JSON.parse(text) as typeof meta;
  } catch (error) {
    throw new InputError(`docker context "${name}": ${metaFile} is not valid JSON (${(error as Error).message})`);
  }
  const docker = meta.Endpoints?.docker;
  if (typeof docker?.Host !== 'string' || docker.Host === '') {
    throw new InputError(`docker context "${name}" has no docker endpoint (Endpoints.docker.Host in ${metaFile})`);
  }
  const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
  const ca = input.readFile(join(tlsDir, 'ca.pem'));
  const cert = input.readFile(join(tlsDir, 'cert.pem'));
  const key = input.readFile(join(tlsDir, 'key.pem'));
  const tls = ca !== undefined || cert !== undefined || key !== undefined ? { ca, cert, key, verify: docker.SkipTLSVerify !== true } : undefined;
  return { host: docker.Host, from, context: name, tls };
}

function currentContext(input: ConnectionInput, configDir: string): string | undefined {
  const text = input.readFile(join(configDir, 'config.json'));
  if (text === undefined) return undefined;
  try {
    const config = JSON.parse(text) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' && config.currentContext !== '' ? config.currentContext : undefined;
  } catch (error) {
    throw new InputError(`${join(configDir, 'config.json')} is not valid JSON (${(error as Error).message})`);
  }
}

export function resolveEndpoint(input: ConnectionInput): Endpoint {
  const configDir = dockerConfigDir(input.env, input.home);
  if (input.context) return fromContext(input.context, input, configDir, '--context');
  if (input.env.DOCKER_HOST) return fromEnvironment(input, configDir, 'DOCKER_HOST');
  if (input.env.DOCKER_CONTEXT) return fromContext(input.env.DOCKER_CONTEXT, input, configDir, 'DOCKER_CONTEXT');
  const current = currentContext(input, configDir);
  if (current) return fromContext(current, input, configDir, `currentContext in ${join(configDir, 'config.json')}`);
  return fromEnvironment(input, configDir, 'default');
}

/** The options dockerode's modem takes for an endpoint. */
export function dockerodeOptions(endpoint: Endpoint, env: Record<string, string | undefined>): Record<string, unknown> {
  const host = endpoint.host;
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) || '/var/run/docker.sock' };
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length) };
  // A socket's path without unix://: docker reads it as tcp://localhost:2375 followed by that path.
  if (host.startsWith('/')) {
    throw new InputError(
      `cannot use docker host "${shownHost(host)}" (from ${endpoint.from}): a path is not an address; docker would read it as tcp://localhost:2375${host}`,
      undefined,
      `write the socket as unix://${host}`,
    );
  }
  let url: URL;
  try {
    url = new URL(host.includes('://') ? host : `tcp://${host}`);
  } catch {
    throw new InputError(`cannot use docker host "${shownHost(host)}" (from ${endpoint.from}): expected unix:///path, tcp://host:port or ssh://user@host`);
  }
  if (url.protocol === 'ssh:') {
    if (url.hostname === '') {
      throw new InputError(`cannot use docker host "${shownHost(host)}" (from ${endpoint.from}): it names no host`, undefined, 'write ssh://user@host');
    }
    if (url.password !== '') {
      throw new InputError(
        `cannot use docker host "${shownHost(host)}" (from ${endpoint.from}): a password in an ssh:// address is not supported, as the docker CLI refuses it`,
        undefined,
        'log in with a key: ssh-add it to the agent (SSH_AUTH_SOCK), and write ssh://user@host',
      );
    }
    return {
      protocol: 'ssh',
      host: url.hostname,
      port: url.port || '22',
      username: decodeURIComponent(url.username) || undefined,
      sshOptions: { agent: env.SSH_AUTH_SOCK },
    };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`cannot use docker host "${shownHost(host)}" (from ${endpoint.from}): unsupported scheme ${url.protocol}`);
  }
  const tls = endpoint.tls;
  const secure = tls !== undefined || url.protocol === 'https:';
  const options: Record<string, unknown> = {
    protocol: secure ? 'https' : 'http',
    host: url.hostname,
    port: url.port || (secure ? '2376' : '2375'),
  };
  if (tls) {
    if (tls.ca !== undefined) options.ca = tls.ca;
    if (tls.cert !== undefined) options.cert = tls.cert;
    if (tls.key !== undefined) options.key = tls.key;
    // Without verification (DOCKER_TLS, SkipTLSVerify) the client certificate is still presented.
    if (!tls.verify) options.agent = new Agent({ ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: false });
  }
  return options;
}

/**
 * How the docker CLI child reaches the same engine: a named context by flag (DOCKER_HOST would not override it,
 * but removing it keeps the choice plain), otherwise the host and TLS settings in its environment.
 */
export function dockerCliTarget(endpoint: Endpoint, env: Record<string, string | undefined>): { args: string[]; env: Record<string, string | undefined> } {
  const childEnv = { ...env };
  if (endpoint.context) {
    delete childEnv.DOCKER_HOST;
    delete childEnv.DOCKER_CONTEXT;
    return { args: ['--context', endpoint.context], env: childEnv };
  }
  delete childEnv.DOCKER_CONTEXT;
  childEnv.DOCKER_HOST = endpoint.host;
  return { args: [], env: childEnv };
}
