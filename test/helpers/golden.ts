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
