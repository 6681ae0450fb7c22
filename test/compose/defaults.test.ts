/** Compose's own defaults: the default file and its override, the project name as a variable, current keys, cycles. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { testIO } from '../helpers/io.js';
import { renderStack } from '../../src/index.js';
import { dependencyCycle } from '../../src/compose/depends.js';
import fc from 'fast-check';

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
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
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

describe('without -f, below the project directory', () => {
  const policy = 'version: 1\nclasses:\n  durable:\n    driver: local\n    driver_opts: { type: nfs, o: "addr=${NFS_SERVER}", device: ":/x/{volume}" }\n';
  const withOverride = {
    'compose.yaml': base,
    'compose.override.yaml': 'services:\n  web:\n    env_file: [web.env]\n',
    'web.env': 'A=1\n',
    'voldriver.yml': policy,
    '.env': 'NFS_SERVER=10.0.0.9\n',
    'src/app/.keep': '',
  };

  it('finds the compose file in a parent directory, with its override, policy, .env and project name', async () => {
    const dir = project(withOverride);
    const result = await runIn(join(dir, 'src', 'app'), ['explain', '--format', 'json']);
    expect(result.code, result.err).toBe(0);
    const explained = JSON.parse(result.out) as { volumes: { engine_name: string; driver_opts: Record<string, string> }[] };
    expect(explained.volumes[0].engine_name).toBe(`${basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '')}_data`);
    expect(explained.volumes[0].driver_opts.o).toBe('addr=10.0.0.9');
    const rendered = await runIn(join(dir, 'src', 'app'), ['render']);
    expect(rendered.code, rendered.err).toBe(0);
    // Two files were merged: the override's env_file, read from the project directory, is in the output.
    expect(rendered.out).toMatch(/env_file:/);
  });

  it('takes the nearest directory that holds one, and its override file only', async () => {
    const dir = project({ ...withOverride, 'src/compose.yml': 'services:\n  api:\n    image: api\n', 'src/app/compose.override.yml': 'services:\n  other:\n    image: x\n' });
    const result = await runIn(join(dir, 'src', 'app'), ['render', '--resolve']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('api:');
    expect(result.out).not.toContain('other:');
    expect(result.out).not.toContain('web:');
  });

  it('says every directory it looked in when there is none', async () => {
    const dir = project({ 'a/b/.keep': '' });
    const result = await runIn(join(dir, 'a', 'b'), ['render']);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`no compose file given and none found in ${join(dir, 'a', 'b')} or any parent directory up to /`);
    expect(result.err).toContain('compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml');
  });

  it('prefers compose.yaml and warns about the others in the same directory, as docker compose does', async () => {
    const dir = project({ 'compose.yaml': base, 'docker-compose.yml': 'services:\n  old:\n    image: old\n', 'sub/.keep': '' });
    const result = await runIn(join(dir, 'sub'), ['render']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('web:');
    expect(result.err).toContain('../compose.yaml: warning multiple-compose-files: found several compose files with default names: ../compose.yaml, ../docker-compose.yml; using ../compose.yaml');
    expect((await runIn(join(dir, 'sub'), ['render', '--strict'])).code).toBe(1);
  });

  it('warns likewise about several override files, and merges the first', async () => {
    const dir = project({ 'compose.yaml': base, 'compose.override.yml': 'services:\n  web:\n    environment: { FIRST: "1" }\n', 'compose.override.yaml': 'services:\n  web:\n    environment: { SECOND: "1" }\n' });
    const result = await runIn(dir, ['render']);
    expect(result.out).toContain('FIRST');
    expect(result.out).not.toContain('SECOND');
    expect(result.err).toContain('compose.override.yml: warning multiple-compose-files: found several override files with default names: compose.override.yml, compose.override.yaml; using compose.override.yml');
  });

  it('prefers docker-compose.yml to docker-compose.yaml', async () => {
    const dir = project({ 'docker-compose.yaml': 'services:\n  yaml:\n    image: x\n', 'docker-compose.yml': 'services:\n  yml:\n    image: x\n' });
    const result = await runIn(dir, ['render']);
    expect(result.out).toContain('yml:');
    expect(result.out).not.toContain('yaml:');
  });

  it('is what the library does with cwd, and COMPOSE_FILE still wins', () => {
    const dir = project({ ...withOverride, 'other.yml': 'services:\n  o:\n    image: x\n' });
    const result = renderStack({ cwd: join(dir, 'src', 'app'), variables: {} });
    expect(result.inputName).toBe('../../compose.yaml');
    expect(result.plans.map((plan) => plan.driver_opts)).toEqual([{ type: 'nfs', o: 'addr=10.0.0.9', device: ':/x/data' }]);
    expect(() => renderStack({ cwd: join(dir, 'src', 'app'), variables: { COMPOSE_FILE: 'other.yml' } })).toThrow(/cannot read other.yml/);
    expect(renderStack({ cwd: dir, variables: { COMPOSE_FILE: 'other.yml' } }).output).toContain('o:');
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

describe('depends_on walked without recursion', () => {
  it('accepts a chain of 20,000 services, each depending on the next', async () => {
    const lines = ['services:'];
    for (let i = 0; i < 20_000; i++) lines.push(`  s${i}:`, '    image: x', ...(i < 19_999 ? [`    depends_on: [s${i + 1}]`] : []));
    const result = await runIn(project({ 'compose.yaml': lines.join('\n') + '\n' }), ['validate']);
    expect(result.err).toBe('ok: 0 error(s), 0 warning(s), 0 info\n');
    expect(result.code).toBe(0);
  });

  it('finds the cycle a depth-first walk in file order finds, on any small graph', () => {
    // The walk as first written, recursive, for comparison.
    const reference = (services: Record<string, { depends_on: string[] }>) => {
      const state = new Map<string, string>();
      const stack: string[] = [];
      const walk = (name: string): string[] | undefined => {
        if (state.get(name) === 'done' || !Object.hasOwn(services, name)) return undefined;
        if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
        state.set(name, 'open');
        stack.push(name);
        for (const next of services[name].depends_on) {
          const found = walk(next);
          if (found) return found;
        }
        stack.pop();
        state.set(name, 'done');
        return undefined;
      };
      for (const name of Object.keys(services)) {
        const chain = walk(name);
        if (chain) return chain;
      }
      return undefined;
    };
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const graph = fc.dictionary(fc.constantFrom(...names), fc.record({ depends_on: fc.array(fc.constantFrom(...names, 'missing'), { maxLength: 4 }) }));
    fc.assert(
      fc.property(graph, (services) => {
        expect(dependencyCycle(services)?.chain).toEqual(reference(services));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('depends_on a service that does not exist', () => {
  it('is refused as docker compose refuses it, at the entry, with the near name', async () => {
    const list = await runIn(project({ 'compose.yaml': 'services:\n  web:\n    image: x\n    depends_on: [cache, dbb]\n  cache: { image: y }\n  db: { image: z }\n' }), ['validate']);
    expect(list.code).toBe(2);
    expect(list.err).toMatch(/^compose\.yaml:4:25: error: service "web" depends on undefined service "dbb" \(did you mean "db"\?\)\n/);
    // In the long form, and with required: false too: only a service switched off by a profile may be left out.
    const long = await runIn(project({ 'compose.yaml': 'services:\n  web:\n    image: x\n    depends_on:\n      queue: { condition: service_started, required: false }\n' }), ['render']);
    expect(long.code).toBe(2);
    expect(long.err).toMatch(/^compose\.yaml:5:7: error: service "web" depends on undefined service "queue"\n/);
    const off = 'services:\n  web:\n    image: x\n    depends_on:\n      debug: { condition: service_started, required: false }\n  debug: { image: y, profiles: [debug] }\n';
    expect((await runIn(project({ 'compose.yaml': off }), ['validate'])).code).toBe(0);
  });

  it('is checked in the file as merged: an override may define what the base depends on', async () => {
    const files = { 'compose.yaml': 'services:\n  web:\n    image: x\n    depends_on: [db]\n', 'compose.override.yaml': 'services:\n  db:\n    image: y\n' };
    expect((await runIn(project(files), ['validate'])).code).toBe(0);
  });
});

describe('render -o into another folder than the project directory', () => {
  const stack = 'services:\n  web:\n    image: nginx\n    env_file: app.env\n    volumes:\n      - ./conf:/conf\n      - /abs:/abs\n      - data:/data\n    build: { context: ./src }\nsecrets:\n  key: { file: ./key.txt }\nvolumes:\n  data:\n    x-voldriver: durable\n';
  it('warns when the output has relative paths its reader would look for beside it; --strict then writes nothing', async () => {
    const dir = project({ 'app/compose.yaml': stack, 'app/app.env': 'A=1\n' });
    const result = await runIn(dir, ['render', '-f', 'app/compose.yaml', '-o', 'out/compose.yaml', '--strict']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`warning relative-paths-moved: out/compose.yaml is written in ${join(dir, 'out')}, not in the project directory ${join(dir, 'app')}`);
    expect(result.err).toContain('./conf (services.web.volumes.0), app.env (services.web.env_file), ./src (services.web.build.context) and 1 more');
    expect(result.err).not.toContain('/abs');
    expect(result.err).toMatch(/--strict: nothing written\n$/);
  });

  it('says nothing beside the compose file, or for a file without relative paths', async () => {
    const dir = project({ 'app/compose.yaml': stack, 'app/app.env': 'A=1\n', 'plain/compose.yaml': base });
    expect((await runIn(dir, ['render', '-f', 'app/compose.yaml', '-o', 'app/out.yaml', '--strict'])).err).not.toContain('relative-paths-moved');
    expect((await runIn(dir, ['render', '-f', 'plain/compose.yaml', '-o', 'out.yaml', '--strict'])).err).not.toContain('relative-paths-moved');
  });
});
