/** Compose's own defaults: the default file and its override, the project name as a variable, current keys, cycles. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { testIO } from '../helpers/io.js';

/** The CLI run in `cwd`: relative paths are read from there, as in a shell started there. */
async function runIn(cwd: string, args: string[], env: Record<string, string> = {}) {
  const io = testIO({ cwd, env });
  const at = (path: string) => (isAbsolute(path) ? path : join(cwd, path));
  const { readFile, exists, isDirectory } = io;
  Object.assign(io, { readFile: (path: string) => readFile(at(path)), exists: (path: string) => exists(at(path)), isDirectory: (path: string) => isDirectory(at(path)) });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-defaults-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const base = 'services:\n  web:\n    image: nginx\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-voldriver: durable\n';

describe('without -f', () => {
  for (const [main, override] of [
    ['compose.yaml', 'compose.override.yaml'],
    ['compose.yml', 'compose.override.yml'],
    ['docker-compose.yml', 'docker-compose.override.yml'],
  ]) {
    it(`merges ${override} over ${main}, as docker compose does`, async () => {
      const dir = project({ [main]: base, [override]: 'services:\n  web:\n    environment:\n      MODE: dev\n' });
      const result = await runIn(dir, ['render']);
      expect(result.code, result.err).toBe(0);
      expect(result.out).toMatch(/environment:\n\s+MODE: dev/);
      expect(result.out).toContain('com.compose-voldriver.class: "durable"');
    });
  }

  it('reads the default file alone when there is no override', async () => {
    const result = await runIn(project({ 'compose.yaml': base }), ['render']);
    expect(result.code).toBe(0);
    expect(result.out.startsWith(base.slice(0, 20))).toBe(true);
  });
});

describe('${COMPOSE_PROJECT_NAME}', () => {
  const text = 'name: shop\nservices:\n  web:\n    image: nginx\n    labels:\n      project: ${COMPOSE_PROJECT_NAME}\n';
  it('is the project name when the variable is not set: -p, then name:', async () => {
    const dir = project({ 'compose.yaml': text });
    const fromName = await runIn(dir, ['render', '--resolve']);
    expect(fromName.err).toBe('');
    expect(fromName.out).toContain('project: shop');
    expect((await runIn(dir, ['render', '--resolve', '-p', 'other'])).out).toContain('project: other');
    expect((await runIn(dir, ['render', '--resolve'], { COMPOSE_PROJECT_NAME: 'fromenv' })).out).toContain('project: fromenv');
  });
});

describe('current Compose Specification keys', () => {
  it('accepts lifecycle hooks, provider services and models', async () => {
    const text = [
      'services:',
      '  web:',
      '    image: nginx',
      '    post_start: [{ command: ["echo", "up"] }]',
      '    pre_stop: [{ command: ["echo", "down"] }]',
      '    models: [llm]',
      '  db:',
      '    provider:',
      '      type: awesomecloud',
      '      options: { type: mysql }',
      'models:',
      '  llm:',
      '    model: ai/smollm2',
    ].join('\n');
    const result = await runIn(project({ 'compose.yaml': text + '\n' }), ['validate']);
    expect(result.err).not.toMatch(/schema/);
    expect(result.code).toBe(0);
  });
});

describe('depends_on cycles', () => {
  it('are refused as docker compose refuses them, at the first service of the cycle', async () => {
    const text = 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on:\n      a: { condition: service_started }\n';
    const result = await runIn(project({ 'compose.yaml': text }), ['validate']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^compose\.yaml:4:5: error: dependency cycle detected: a -> b -> a\n/);
  });

  it('include a service that depends on itself, and not a chain without a loop', async () => {
    expect((await runIn(project({ 'compose.yaml': 'services:\n  a:\n    image: x\n    depends_on: [a]\n' }), ['validate'])).err).toMatch(/dependency cycle detected: a -> a/);
    const chain = 'services:\n  a: { image: x, depends_on: [b] }\n  b: { image: x, depends_on: [c] }\n  c: { image: x }\n';
    expect((await runIn(project({ 'compose.yaml': chain }), ['validate'])).code).toBe(0);
  });
});
