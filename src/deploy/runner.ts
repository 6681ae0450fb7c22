/**
 * `docker stack deploy -c - STACK`: spawned with an argument list (no shell), the rendered file on its standard
 * input, its output passed on as it comes.
 */
import { spawn } from 'node:child_process';

export interface StackDeployOptions {
  docker: string;
  stack: string;
  /** Arguments before `stack` (e.g. --context NAME). */
  globalArgs: string[];
  withRegistryAuth?: boolean;
  prune?: boolean;
  resolveImage?: string;
  /** Further `docker stack deploy` arguments, as given after `--`. */
  extra: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted when the user interrupts: docker is stopped with SIGINT when that is the abort reason, else SIGTERM. */
  signal?: AbortSignal;
  /** How long docker has to stop once asked before it is killed (SIGKILL): 10 s unless given. */
  killAfterMs?: number;
}

export function stackDeployArgs(options: StackDeployOptions): string[] {
  const args = [...options.globalArgs, 'stack', 'deploy', '--compose-file', '-'];
  if (options.withRegistryAuth) args.push('--with-registry-auth');
  if (options.prune) args.push('--prune');
  if (options.resolveImage) args.push('--resolve-image', options.resolveImage);
  // Docker 26+ would wait itself, one service after another and without a timeout; the wait here follows all.
  return [...args, ...options.extra, options.stack];
}

export interface RunOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs it; resolves with its exit code. A docker binary that cannot be started is an exit code of 127. */
export function runStackDeploy(options: StackDeployOptions, stackFile: string, output: RunOutput): Promise<{ code: number; error?: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
    const child = spawn(options.docker, stackDeployArgs(options), { env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    let settled = false;
    const finish = (result: { code: number; error?: string }) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    child.stdout.setEncoding('utf8').on('data', (text: string) => output.stdout(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => output.stderr(text));
    child.on('error', (error) => finish({ code: 127, error: `cannot run ${options.docker}: ${error.message}` }));
    child.on('close', (code, signal) => finish({ code: code ?? 1, error: signal ? `docker stack deploy was stopped by ${signal}` : undefined }));
    // Interrupted: docker stops where it is (a terminal's Ctrl-C reaches it too), and what it created is judged after.
    // A hang-up, a quit or a closed output stops it with SIGTERM: SIGQUIT would have Go print its stacks.
    // A docker that does not stop (a hung connection) is killed after a while: the undo runs, and the run ends,
    // where no one is left to send a second signal (a dropped SSH session, a CI runner).
    const abort = options.signal;
    let killer: NodeJS.Timeout | undefined;
    const stop = () => {
      child.kill(abort?.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 10_000);
    };
    if (abort?.aborted) stop();
    else abort?.addEventListener('abort', stop, { once: true });
    child.on('close', () => {
      abort?.removeEventListener('abort', stop);
      clearTimeout(killer);
    });
    // A child that exits before reading its input closes the pipe: that shows as its exit code, not as an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stackFile);
  });
}
