/** The Node 24 the Action runs on (action.yml: node24): NODE24, else the one scripts/test-deps.sh fetched. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function node24(): string | undefined {
  if (process.env.NODE24) return process.env.NODE24;
  if (process.version.startsWith('v24.')) return process.execPath;
  const cache = '.cache';
  if (!existsSync(cache)) return undefined;
  const found = readdirSync(cache).filter((name) => name.startsWith('node-v24.')).sort().pop();
  return found && existsSync(join(cache, found, 'bin/node')) ? join(process.cwd(), cache, found, 'bin/node') : undefined;
}
