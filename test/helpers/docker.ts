/**
 * The real docker CLI as a reference: `docker stack config -c FILE...` validates and prints a stack file
 * client-side, with no daemon. Without docker, CI fails; a local run skips (the helpers return undefined).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

let cached: string | null | undefined;

/** The docker binary on PATH, or undefined. */
export function findDocker(): string | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'docker');
    try {
      accessSync(candidate, constants.X_OK);
      cached = candidate;
      break;
    } catch {
      // not in this directory
    }
  }
  return cached ?? undefined;
}

/** The docker binary; in CI its absence is a failure, locally the caller skips. */
export function requireDocker(): string | undefined {
  const docker = findDocker();
  if (!docker && process.env.CI) throw new Error('docker CLI not found on PATH: CI must have it (the stack-config checks need it)');
  return docker;
}

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

let home: string | undefined;

/**
 * `docker stack config -c F1 -c F2 ...` with exactly `env` as the variables it interpolates from (plus PATH
 * and a scratch HOME, so no user configuration leaks in). Undefined when docker is missing outside CI.
 */
export function dockerStackConfig(files: string[], env: Record<string, string | undefined> = {}, cwd?: string): DockerResult | undefined {
  const docker = requireDocker();
  if (!docker) return undefined;
  home ??= mkdtempSync(join(tmpdir(), 'cv-docker-home-'));
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, DOCKER_CONFIG: join(home, '.docker') };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = value;
  const args = ['stack', 'config', ...files.flatMap((file) => ['-c', file])];
  const result = spawnSync(docker, args, { env: childEnv, cwd, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
