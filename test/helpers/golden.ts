/** Expected-output files: compared, or written with UPDATE_GOLDEN=1 (review the diff before committing). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

export const updateGolden = process.env.UPDATE_GOLDEN === '1';

export function golden(path: string, actual: string): void {
  // In CI a missing expected file is a failure: writing it there would let any output pass.
  if (!updateGolden && process.env.CI) expect(existsSync(path), `${path} is missing: generate it with UPDATE_GOLDEN=1 and review it`).toBe(true);
  if (updateGolden || !existsSync(path)) {
    writeFileSync(path, actual);
    return;
  }
  expect(actual, path).toBe(readFileSync(path, 'utf8'));
}

/**
 * A golden case's args.json: one format for every runner (fixtures/render for the CLI, fixtures/compose for the
 * loader, the render-history property). A runner reads the keys it needs; a key none knows is an error, so a
 * misspelled one cannot silently do nothing.
 */
export interface CaseArgs {
  /** CLI arguments after `-f <case>/compose.yml` (fixtures/render). */
  args: string[];
  /** The exit code the CLI must give (fixtures/render). */
  exit: number;
  /**
   * A directory of the case to run the CLI in, without -f (fixtures/render): the compose file is found there or in
   * a parent directory, as docker compose finds it.
   */
  cwd?: string;
  /** The variables the case runs with. */
  env?: Record<string, string>;
  /** Compose files, relative to the case (fixtures/compose; default: COMPOSE_FILE from env). */
  files?: string[];
  envFiles?: string[];
  profiles?: string[];
  resolve?: boolean;
  projectName?: string;
  target?: 'compose' | 'swarm';
  /**
   * `docker stack config` as the reference (fixtures/render): true when it reads the input, "output" when only the
   * output is for it (the input needs Compose's own rules).
   */
  stackConfig?: boolean | 'output';
  /** The same for fixtures/compose: "output" when docker cannot read the inputs, with the reason. */
  docker?: 'input' | 'output';
  dockerReason?: string;
}

const CASE_KEYS = new Set(['args', 'exit', 'cwd', 'env', 'files', 'envFiles', 'profiles', 'resolve', 'projectName', 'target', 'stackConfig', 'docker', 'dockerReason']);

export function readCaseArgs(dir: string): CaseArgs {
  const path = `${dir}/args.json`;
  const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const unknown = Object.keys(data).filter((key) => !CASE_KEYS.has(key));
  if (unknown.length > 0) throw new Error(`${path}: unknown key ${unknown.join(', ')}; args.json takes ${[...CASE_KEYS].join(', ')}`);
  return { args: [], exit: 0, ...data } as CaseArgs;
}
