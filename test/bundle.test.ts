/** The built CLI, as a user runs it: the bundle, the launcher and its code cache. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { node24 } from './helpers/node24.js';

const bin = 'bin/compose-voldriver.cjs';
let cacheHome: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: cacheHome, XDG_CACHE_HOME: cacheHome, ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

beforeAll(() => {
  // The suite's setup builds dist/ (scripts/test-deps.sh before npm test); a stale or missing bundle is a failure.
  expect(existsSync('dist/main.cjs'), 'dist/main.cjs: run npm run build').toBe(true);
  cacheHome = mkdtempSync(join(tmpdir(), 'cv-cache-'));
});

describe('the built CLI', () => {
  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const result = cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.out.trim()).toBe(pkg.version);
  });

  it('renders the example stack with the embedded default policy (the quick start)', () => {
    const result = cli(['render', '-f', 'examples/stack.yml']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('com.compose-voldriver.class: "durable"');
    expect(result.out).toContain('# a bind mount: left alone');
    expect(result.err).toMatch(/warning node-local-storage/);
  });

  it('prints the bundled schemas', () => {
    for (const name of ['compose', 'swarm', 'policy']) {
      const result = cli(['schema', name]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.out).$schema).toMatch(/json-schema\.org/);
    }
  });

  it('reports bad input with exit code 2 and no stack trace', () => {
    const result = cli(['render', '-f', 'fixtures/bad/invalid.yml']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^fixtures\/bad\/invalid\.yml:\d+:\d+: error: invalid YAML/);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('keeps a code cache per command, and runs the same without it or with a damaged one', () => {
    const first = cli(['validate', '-f', 'fixtures/bad/ok.yml']);
    expect(first.code, first.err).toBe(0);
    const dir = join(cacheHome, 'compose-voldriver');
    const caches = readdirSync(dir).filter((f) => f.endsWith('-validate.v8'));
    expect(caches).toHaveLength(1);
    writeFileSync(join(dir, caches[0]), 'not a code cache');
    const damaged = cli(['validate', '-f', 'fixtures/bad/ok.yml']);
    expect(damaged.code, damaged.err).toBe(0);
    expect(damaged.err).toBe(first.err);
    const uncached = cli(['validate', '-f', 'fixtures/bad/ok.yml'], { COMPOSE_VOLDRIVER_NO_CACHE: '1' });
    expect(uncached.err).toBe(first.err);
  });

  it('makes the cache folder and its missing parents, and runs the same where none can be made', () => {
    const base = join(mkdtempSync(join(tmpdir(), 'cv-cache-')), 'a', 'b');
    const made = cli(['validate', '-f', 'fixtures/bad/ok.yml'], { XDG_CACHE_HOME: base });
    expect(made.code, made.err).toBe(0);
    expect(readdirSync(join(base, 'compose-voldriver')).filter((f) => f.endsWith('-validate.v8'))).toHaveLength(1);
    // Under /proc a folder cannot be made; Node's recursive mkdir retried that forever. The run ends, as usual.
    const result = spawnSync(process.execPath, [bin, 'validate', '-f', 'fixtures/bad/ok.yml'], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH ?? '', HOME: cacheHome, XDG_CACHE_HOME: '/proc/compose-voldriver-none' },
    });
    expect(result.error, 'the run did not end').toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe(made.err);
  });

  it('ignores a relative XDG_CACHE_HOME, as the XDG spec says, rather than making a folder where it runs', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cv-cwd-'));
    const home = mkdtempSync(join(tmpdir(), 'cv-home-'));
    const result = spawnSync(process.execPath, [join(process.cwd(), bin), 'validate', '-f', join(process.cwd(), 'fixtures/bad/ok.yml')], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: 'cache' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(join(home, '.cache', 'compose-voldriver')).filter((f) => f.endsWith('-validate.v8'))).toHaveLength(1);
  });
});

describe('the launcher on a large file', () => {
  // Past 128 KiB of input the launcher tunes V8 on Node 20; other versions must run the same, with nothing extra said.
  const large = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-large-'));
    const lines = ['services:', '  app:', '    image: nginx', '    volumes:'];
    for (let i = 0; i < 3000; i++) lines.push(`      - v${i}:/d${i}`);
    lines.push('volumes:');
    for (let i = 0; i < 3000; i++) lines.push(`  v${i}:`, '    x-voldriver: durable');
    writeFileSync(join(dir, 'c.yml'), lines.join('\n') + '\n');
    expect(readFileSync(join(dir, 'c.yml')).length).toBeGreaterThan(128 * 1024);
    return dir;
  };
  for (const [name, node] of [['this Node', process.execPath], ['Node 24', node24()]] as const) {
    it(`renders it on ${name} with nothing on standard error, and again from the code cache`, () => {
      expect(node, 'no Node 24: scripts/test-deps.sh fetches one (npm run pretest), or set NODE24').toBeDefined();
      const dir = large();
      const home = mkdtempSync(join(tmpdir(), 'cv-cache-'));
      for (let run = 0; run < 2; run++) {
        const result = spawnSync(node!, [join(process.cwd(), bin), 'render', '-f', 'c.yml', '-o', 'out.yml'], {
          cwd: dir,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: home },
        });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        expect(readFileSync(join(dir, 'out.yml'), 'utf8')).toContain('com.compose-voldriver.class: "durable"');
      }
      expect(readdirSync(join(home, 'compose-voldriver')).filter((f) => f.endsWith('-render.v8'))).toHaveLength(1);
    }, 60_000);
  }
});

describe('the built library', () => {
  it('renders through its API, as the CLI does', async () => {
    // A path in a variable: the bundle is build output, not a source the type checker should resolve.
    const bundle = '../dist/index.js';
    const lib = (await import(bundle)) as typeof import('../src/index.js');
    const project = lib.loadProject({ files: ['examples/stack.yml'], io: { readFile: (path) => readFileSync(path, 'utf8') } });
    const result = lib.renderProject(project, lib.loadBuiltinPolicy('builtin:default'));
    expect(result.plans.map((plan) => [plan.volume, plan.class, plan.driver])).toEqual([
      ['pgdata', 'durable', 'local'],
      ['media', 'shared', 'local'],
      ['cache', 'fast', 'local'],
    ]);
    expect(result.output).toContain('com.compose-voldriver.class: "shared"');
    expect(existsSync('dist/types/index.d.ts')).toBe(true);
  });
});
