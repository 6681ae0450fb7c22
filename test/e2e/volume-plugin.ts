/**
 * A legacy Docker volume plugin for the end-to-end tests: the plugin protocol (HTTP POST, JSON bodies) on a unix
 * socket in /run/docker/plugins. Each volume is a real directory, so data written by a container can be read back.
 * Every call is recorded; `refuseCreate` makes Create answer with an error, as a plugin does when a backend says no.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

export interface PluginCall {
  endpoint: string;
  body: Record<string, unknown>;
}

interface PluginVolume {
  name: string;
  options: Record<string, string>;
  path: string;
  mounts: Set<string>;
}

export const PLUGIN_DIR = '/run/docker/plugins';

export class TestVolumePlugin {
  readonly calls: PluginCall[] = [];
  readonly volumes = new Map<string, PluginVolume>();
  /** When set, Create answers with this error message. */
  refuseCreate: string | undefined;
  readonly socket: string;
  private server: Server | undefined;

  constructor(
    readonly name: string,
    private readonly root: string,
  ) {
    this.socket = join(PLUGIN_DIR, `${name}.sock`);
  }

  async start(): Promise<void> {
    mkdirSync(PLUGIN_DIR, { recursive: true });
    mkdirSync(this.root, { recursive: true });
    rmSync(this.socket, { force: true });
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8').trim();
        let body: Record<string, unknown> = {};
        try {
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          body = { unparsed: text };
        }
        const endpoint = (request.url ?? '').replace(/^\//, '');
        this.calls.push({ endpoint, body });
        response.setHeader('Content-Type', 'application/vnd.docker.plugins.v1.2+json');
        response.end(JSON.stringify(this.answer(endpoint, body)));
      });
    });
    // Go's HTTP server, which real plugins use, keeps idle connections open; Node's closes them after 5 s, and a
    // request dockerd sends on a connection just being closed fails. Docker takes a failed Get for "no such
    // volume" and forgets the volume.
    this.server.keepAliveTimeout = 0;
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socket, () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    rmSync(this.socket, { force: true });
  }

  /** The calls to one endpoint, e.g. 'VolumeDriver.Create'. */
  callsTo(endpoint: string): Record<string, unknown>[] {
    return this.calls.filter((call) => call.endpoint === endpoint).map((call) => call.body);
  }

  /** Where the plugin keeps a volume's files. */
  pathOf(volume: string): string {
    return join(this.root, volume);
  }

  private answer(endpoint: string, body: Record<string, unknown>): Record<string, unknown> {
    const name = typeof body.Name === 'string' ? body.Name : '';
    const volume = this.volumes.get(name);
    switch (endpoint) {
      case 'Plugin.Activate':
        return { Implements: ['VolumeDriver'] };
      case 'VolumeDriver.Capabilities':
        return { Capabilities: { Scope: 'local' } };
      case 'VolumeDriver.Create': {
        if (this.refuseCreate !== undefined) return { Err: this.refuseCreate };
        const options = (body.Opts ?? {}) as Record<string, string>;
        const path = this.pathOf(name);
        mkdirSync(path, { recursive: true });
        this.volumes.set(name, { name, options, path, mounts: new Set() });
        return { Err: '' };
      }
      case 'VolumeDriver.Get':
        if (!volume) return { Err: `no such volume: ${name}` };
        return { Volume: { Name: name, Mountpoint: volume.path, Status: {} }, Err: '' };
      case 'VolumeDriver.List':
        return { Volumes: [...this.volumes.values()].map((v) => ({ Name: v.name, Mountpoint: v.path })), Err: '' };
      case 'VolumeDriver.Path':
        return volume ? { Mountpoint: volume.path, Err: '' } : { Err: `no such volume: ${name}` };
      case 'VolumeDriver.Mount':
        if (!volume) return { Err: `no such volume: ${name}` };
        volume.mounts.add(String(body.ID));
        return { Mountpoint: volume.path, Err: '' };
      case 'VolumeDriver.Unmount':
        volume?.mounts.delete(String(body.ID));
        return { Err: '' };
      case 'VolumeDriver.Remove':
        if (volume) {
          rmSync(volume.path, { recursive: true, force: true });
          this.volumes.delete(name);
        }
        return { Err: '' };
      default:
        return { Err: `unsupported: ${endpoint}` };
    }
  }
}
