/** The library API: plain data in and out, nothing printed, no process state read. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainStack, InputError, renderStack, type FileReader } from '../src/index.js';
import { main } from '../src/cli/program.js';
import { testIO } from './helpers/io.js';

const EXAMPLE = {
  files: ['examples/stack.yml'],
  policy: 'examples/voldriver.example.yml',
  environment: 'onprem',
  parameters: { nfs_server: '10.0.0.5' },
  variables: {},
  target: 'swarm' as const,
  projectName: 'web',
};

describe('renderStack in plain Node, from the built package', () => {
  it('renders a stack and returns output, plans and findings, printing nothing', () => {
    expect(existsSync('dist/index.js'), 'dist/index.js: run npm run build').toBe(true);
    expect(existsSync('dist/types/index.d.ts'), 'the type declarations ship in dist/types').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'cv-library-'));
    const script = join(dir, 'render.mjs');
    const out = join(dir, 'result.json');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
import { renderStack } from ${JSON.stringify(resolve('dist/index.js'))};
const result = renderStack(${JSON.stringify(EXAMPLE)});
// A mapping key that is itself a collection: the yaml library would log a warning about it by default; it is
// refused with an InputError instead.
let complexKey;
try {
  renderStack({ sources: [{ name: 'keys.yml', text: 'services:\\n  a:\\n    image: x\\n    labels:\\n      ? [a, b]\\n      : 1\\n' }] });
} catch (error) {
  complexKey = [error.name, error.message, error.location];
}
writeFileSync(process.argv[2], JSON.stringify({ complexKey, output: result.output, changed: result.changed, plans: result.plans.map((p) => [p.volume, p.class, p.driver, p.driver_opts]), findings: result.findings.map((f) => [f.code, f.file, f.line]), exitCode: process.exitCode ?? null }));
`,
    );
    const run = spawnSync(process.execPath, [script, out], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.exitCode).toBeNull();
    expect(result.complexKey).toEqual(['InputError', 'unsupported YAML: a mapping key must be a plain value, not a list', { file: 'keys.yml', line: 5, col: 9 }]);
    expect(result.changed).toBe(true);
    expect(result.output).toContain('o: "addr=10.0.0.5,rw,nfsvers=4.1"');
    expect(result.output).toContain('# a bind mount: left alone');
    expect(result.plans).toContainEqual(['pgdata', 'durable', 'pxd', { size: '20G', repl: '3' }]);
    expect(result.plans).toContainEqual(['media', 'shared', 'local', { type: 'nfs', o: 'addr=10.0.0.5,rw,nfsvers=4.1', device: ':/exports/media' }]);
    expect(result.findings).toContainEqual(['node-local-storage', 'examples/stack.yml', 9]);
    expect(result.findings).toContainEqual(['driver-changed', 'examples/stack.yml', 29]);
  });

  it('runs the README example as printed there', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Library API'));
    const [, code, shown] = /```js\n([\s\S]*?)```\n\n```\n\$ node examples\/library\.mjs\n([\s\S]*?)```/.exec(section) ?? [];
    expect(code, 'the README shows examples/library.mjs').toBe(readFileSync('examples/library.mjs', 'utf8'));
    const run = spawnSync(process.execPath, ['examples/library.mjs'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(shown);
  });

  it('bundles no CLI code', () => {
    const bundle = readFileSync('dist/index.js', 'utf8');
    expect(bundle).not.toMatch(/commander/i);
    expect(bundle).not.toContain('process.exit');
  });
});

describe('renderStack', () => {
  it('gives the output the CLI prints for the same input', async () => {
    const io = testIO();
    const code = await main(
      ['render', '-f', 'examples/stack.yml', '--policy', 'examples/voldriver.example.yml', '--env', 'onprem', '--set', 'nfs_server=10.0.0.5', '--target', 'swarm', '-p', 'web'],
      io,
    );
    expect(code).toBe(0);
    expect(renderStack(EXAMPLE).output).toBe(io.out);
  });

  it('reads in-memory sources and a policy given as data, through no reader', () => {
    const reader: FileReader = {
      readFile: (path) => {
        throw new Error(`read ${path}`);
      },
      exists: () => false,
    };
    const policy = { version: 1 as const, classes: { fast: { driver: 'local', driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size={size}' } } } };
    const before = JSON.stringify(policy);
    const result = renderStack({
      sources: [{ name: 'app/compose.yml', text: 'services:\n  a:\n    image: x\n    volumes: [scratch:/tmp/s]\nvolumes:\n  scratch:\n    x-voldriver: fast # note\n' }],
      policy,
      parameters: { size: '1g' },
      reader,
    });
    expect(result.output).toContain('    x-voldriver: fast # note\n    driver: "local"');
    expect(result.output).toContain('o: "size=1g"');
    expect(result.plans.map((plan) => [plan.volume, plan.class, plan.engineName])).toEqual([['scratch', 'fast', 'app_scratch']]);
    expect(result.policy).toBe('<policy object>');
    expect(JSON.stringify(policy)).toBe(before);
  });

  it('interpolates from the variables given, never from the process environment', () => {
    process.env.CV_LIBRARY_TAG = 'from-process';
    try {
      const sources = [{ name: 'compose.yml', text: 'services:\n  a:\n    image: "x:${CV_LIBRARY_TAG:-unset}"\n' }];
      expect(renderStack({ sources, resolve: true }).output).toContain('x:unset');
      expect(renderStack({ sources, resolve: true, variables: { CV_LIBRARY_TAG: 'given' } }).output).toContain('x:given');
    } finally {
      delete process.env.CV_LIBRARY_TAG;
    }
  });

  it('reads relative paths from cwd with the default reader', () => {
    const result = renderStack({ files: ['stack.yml'], cwd: resolve('examples'), policy: 'builtin:default' });
    expect(result.inputName).toBe('stack.yml');
    expect(result.plans.map((plan) => plan.engineName)).toContain('examples_pgdata');
  });

  it('throws an InputError with file:line:col for bad input, and prints nothing', () => {
    let error: unknown;
    try {
      renderStack({ sources: [{ name: 'bad.yml', text: 'services:\n  a: [\n' }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).location).toMatchObject({ file: 'bad.yml', line: 3 });
  });

  it('refuses a policy object that breaks the schema, naming it', () => {
    let error: unknown;
    try {
      renderStack({ sources: [{ name: 'c.yml', text: 'services: {}\n' }], policy: { version: 1 } as never });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('invalid policy: the top level: missing required key "classes"');
    expect((error as InputError).location?.file).toBe('<policy object>');
  });

  it('gives explain\'s JSON, with credentials hidden', () => {
    const result = explainStack({ ...EXAMPLE, target: 'compose' });
    expect(result.explain.environment).toBe('onprem');
    expect(result.explain.volumes.map((volume: { volume: string }) => volume.volume).sort()).toEqual(['cache', 'media', 'pgdata']);
  });
});
