/**
 * A private Docker engine for the end-to-end tests: its own dockerd (data root, exec root and socket in a
 * temporary folder, no iptables, no bridge), a busybox image imported without a registry, the test volume plugin,
 * and a one-node Swarm. Everything runs asynchronously: the plugin answers dockerd from this very process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PLUGIN_DIR, TestVolumePlugin } from './volume-plugin.js';

export const IMAGE = 'local/busybox:1';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin'])) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why no engine can be started here, or undefined when one can be tried. */
export function engineUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the end-to-end tests need Linux';
  if (process.getuid?.() !== 0) return 'starting a private dockerd needs root';
  for (const tool of ['dockerd', 'docker', 'busybox', 'tar']) {
    if (!onPath(tool)) return `${tool} is not installed (scripts/test-deps.sh installs docker.io and busybox-static on Debian)`;
  }
  // The image holds busybox alone, so it must need no shared libraries: no program interpreter named in it.
  const busybox = readFileSync(onPath('busybox') as string);
  if (busybox.subarray(0, 4096).includes('/ld-linux') || busybox.subarray(0, 4096).includes('/ld-musl')) {
    return 'busybox is dynamically linked; the test image needs busybox-static';
  }
  return undefined;
}

/** Run a program with an argument list; resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeout?: number } = {}): Promise<RunResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env: options.env, cwd: options.cwd, timeout: options.timeout ?? 120_000, maxBuffer: 64 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - start });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One private engine at a time on a machine: a Swarm takes the host's docker_gwbridge and VXLAN port whatever its
 * sockets and folders, so two test runs at once (two checkouts) would trip over each other. A lock file holds the
 * pid of the run that has it; a lock whose process is gone is taken over.
 */
const LOCK = join(tmpdir(), 'compose-voldriver-e2e-engine.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function acquireLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(LOCK, 'utf8').trim());
    if (!(holder > 0) || !alive(holder)) {
      rmSync(LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another test run (pid ${holder}) has held the private engine for too long (${LOCK})`);
    await sleep(500);
  }
}

function releaseLock(): void {
  try {
    if (Number(readFileSync(LOCK, 'utf8').trim()) === process.pid) rmSync(LOCK, { force: true });
  } catch {
    // Not held.
  }
}

/**
 * A UDP port in the range Swarm accepts for its VXLAN data path. The kernel tears an engine's overlay network down
 * in the background after it stops: the next engine on the default port 4789 may find it still there ("error
 * creating vxlan interface: file exists").
 */
function freeUdpPort(): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(freeUdpPort());
    });
    socket.bind(port, () => socket.close(() => resolve(port)));
  });
}

/**
 * Sockets of test plugins whose test run is gone (killed before it cleaned up): dockerd would try each in turn,
 * and retry, on every plugin lookup.
 */
function removeDeadPlugins(): void {
  let names: string[];
  try {
    names = readdirSync(PLUGIN_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^cvtest(\d+)\.sock$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid))) rmSync(join(PLUGIN_DIR, name), { force: true });
  }
}

/** A TCP port nothing listens on now, for the Swarm's listen address (2377 may be taken by a real Swarm). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class PrivateEngine {
  readonly dir: string;
  readonly socket: string;
  readonly host: string;
  readonly plugin: TestVolumePlugin;
  readonly docker: string;
  private daemon: ChildProcess | undefined;
  private bridgeExisted = false;

  constructor(pluginName = `cvtest${process.pid}`) {
    // Short: a unix socket path is limited to about 100 bytes.
    this.dir = mkdtempSync(join(tmpdir(), 'cve2e-'));
    this.socket = join(this.dir, 'docker.sock');
    this.host = `unix://${this.socket}`;
    this.docker = onPath('docker') ?? 'docker';
    this.plugin = new TestVolumePlugin(pluginName, join(this.dir, 'plugin-volumes'));
  }

  /** Environment for docker CLI and compose-voldriver children: this engine, no user configuration. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: join(this.dir, 'home'),
      DOCKER_CONFIG: join(this.dir, 'home', '.docker'),
      DOCKER_HOST: this.host,
      ...extra,
    };
  }

  dockerCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return run(this.docker, args, { env: options.env ?? this.env(), input: options.input });
  }

  /** Like dockerCli, but a non-zero exit is an error. */
  async must(args: string[], input?: string): Promise<string> {
    const result = await this.dockerCli(args, { input });
    if (result.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  async start(): Promise<void> {
    await acquireLock(240_000);
    removeDeadPlugins();
    this.bridgeExisted = (await run('ip', ['link', 'show', 'docker_gwbridge'])).code === 0;
    mkdirSync(join(this.dir, 'home', '.docker'), { recursive: true });
    const log = openSync(join(this.dir, 'dockerd.log'), 'a');
    this.daemon = spawn(
      onPath('dockerd') ?? 'dockerd',
      [
        '-H', this.host,
        '--data-root', join(this.dir, 'data'),
        '--exec-root', join(this.dir, 'exec'),
        '--pidfile', join(this.dir, 'dockerd.pid'),
        '--iptables=false', '--ip6tables=false', '--ip-forward=false', '--bridge=none',
      ],
      { stdio: ['ignore', log, log], detached: true },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (this.daemon.exitCode !== null) throw new Error(`dockerd exited ${this.daemon.exitCode}: ${this.log().slice(-2000)}`);
      if ((await this.dockerCli(['version', '--format', '{{.Server.Version}}'])).code === 0) break;
      if (Date.now() > deadline) throw new Error(`dockerd did not answer within 30 s: ${this.log().slice(-2000)}`);
      await sleep(200);
    }
    await this.importBusybox();
    await this.plugin.start();
    // A legacy plugin is activated on first use, and a node reports only activated plugins to the Swarm: list
    // volumes (which asks every plugin) before the Swarm starts, so the node's first report carries it.
    await this.must(['volume', 'ls']);
    const port = await freePort();
    // A long heartbeat: on a loaded machine a missed one marks the only node down and its tasks are restarted.
    await this.must([
      'swarm', 'init',
      '--advertise-addr', `127.0.0.1:${port}`,
      '--listen-addr', `127.0.0.1:${port}`,
      '--data-path-port', String(await freeUdpPort()),
      '--dispatcher-heartbeat', '20s',
    ]);
    await this.waitForNodePlugin();
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'dockerd.log'), 'utf8');
    } catch {
      return '';
    }
  }

  private async waitForNodePlugin(): Promise<void> {
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const out = await this.must(['node', 'inspect', 'self', '--format', '{{json .Description.Engine.Plugins}}']);
      if (out.includes(this.plugin.name)) return;
      await sleep(300);
    }
    throw new Error(`the node never reported the volume plugin ${this.plugin.name}`);
  }

  private async importBusybox(): Promise<void> {
    const rootfs = join(this.dir, 'rootfs');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    for (const folder of ['tmp', 'data', 'etc', 'proc', 'sys', 'dev']) mkdirSync(join(rootfs, folder), { recursive: true });
    const busybox = onPath('busybox') ?? '/bin/busybox';
    copyFileSync(busybox, join(rootfs, 'bin', 'busybox'));
    const list = await run(busybox, ['--list']);
    for (const applet of list.stdout.split('\n').filter(Boolean)) {
      if (applet !== 'busybox' && !existsSync(join(rootfs, 'bin', applet))) symlinkSync('busybox', join(rootfs, 'bin', applet));
    }
    const tarball = join(this.dir, 'rootfs.tar');
    const tar = await run('tar', ['-C', rootfs, '-cf', tarball, '.']);
    if (tar.code !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    await this.must(['import', '-c', 'ENV PATH=/bin', '-c', 'CMD ["/bin/sh"]', tarball, IMAGE]);
  }

  /** Remove a stack and wait until its services, containers and networks are gone. */
  async removeStack(stack: string): Promise<void> {
    await this.dockerCli(['stack', 'rm', stack]);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const containers = await this.dockerCli(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${stack}`]);
      const networks = await this.dockerCli(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`]);
      if (containers.stdout.trim() === '' && networks.stdout.trim() === '') return;
      await sleep(300);
    }
  }

  async stop(): Promise<void> {
    try {
      const stacks = await this.dockerCli(['stack', 'ls', '--format', '{{.Name}}']);
      for (const stack of stacks.stdout.split('\n').filter(Boolean)) await this.removeStack(stack);
      await this.dockerCli(['swarm', 'leave', '--force']);
    } finally {
      await this.stopDaemon();
      await this.plugin.stop();
      const mounts = readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((line) => line.split(' ')[1])
        .filter((point): point is string => point !== undefined && point.startsWith(this.dir))
        .reverse();
      for (const point of mounts) await run('umount', ['-l', point]);
      if (!this.bridgeExisted) await run('ip', ['link', 'delete', 'docker_gwbridge']);
      rmSync(this.dir, { recursive: true, force: true });
      releaseLock();
    }
  }

  private async stopDaemon(): Promise<void> {
    const daemon = this.daemon;
    if (!daemon || daemon.exitCode !== null || daemon.pid === undefined) return;
    const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
    daemon.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
    if (!killed) {
      daemon.kill('SIGKILL');
      await exited;
    }
  }
}
