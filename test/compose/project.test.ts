import { describe, expect, it } from 'vitest';
import { loadProject, outputDocument, readSource, type LoadProjectOptions } from '../../src/compose/project.js';
import { inputError, memoryIO } from '../helpers/memory-io.js';

const load = (files: Record<string, string>, options: Partial<LoadProjectOptions> = {}) =>
  loadProject({ files: Object.keys(files).filter((f) => f.endsWith('.yml')).slice(0, 1), io: memoryIO(files), ...options });

describe('patch mode', () => {
  const files = {
    'app/compose.yml': 'services:\n  web:\n    image: "nginx:${TAG}"\n    volumes: [data:/data]\nvolumes:\n  data: {}\n',
  };

  it('writes out the input document, placeholders kept', () => {
    const project = load(files, { env: { TAG: '1.25' }, workingDir: '/src' });
    expect(project.mode).toBe('patch');
    expect(outputDocument(project).toJS()).toEqual(project.sources[0].doc.toJS());
    expect(outputDocument(project).toString()).toContain('"nginx:${TAG}"');
    expect(project.model).toEqual({ services: { web: { image: 'nginx:1.25', volumes: ['data:/data'] } }, volumes: { data: {} } });
    expect(project.projectName).toBe('app');
    expect(project.locate(['services', 'web', 'image'])).toEqual({ file: 'app/compose.yml', line: 3, col: 12 });
    expect(project.locate(['volumes', 'data', 'driver'])).toEqual({ file: 'app/compose.yml', line: 6, col: 9 });
    expect(project.locate(['volumes', 'data'], 'key')).toEqual({ file: 'app/compose.yml', line: 6, col: 3 });
  });

  it('writes the input document out with its comments, however the file was read', () => {
    const text = '# stack\nservices:\n  web:\n    image: nginx # pinned later\n\n# data\nvolumes:\n  data: {}\n';
    const project = load({ 'c.yml': text });
    const document = outputDocument(project);
    expect(document.toString()).toBe(text);
    // A document of its own each time: changing one changes nothing of the project.
    document.delete('volumes');
    expect(outputDocument(project).toString()).toBe(text);
    expect(project.sources[0].doc.toString()).not.toBe(document.toString());
  });

  it('switches to resolved mode when asked, or for extends and include', () => {
    expect(load(files, { resolve: true }).mode).toBe('resolved');
    expect(load({ 'c.yml': 'services:\n  a: {image: x}\n  b: {extends: a}\n' }).mode).toBe('resolved');
    expect(load({ 'c.yml': 'include: [d.yml]\nservices: {}\n', 'd.yml': 'services:\n  a: {image: x}\n' }).mode).toBe('resolved');
  });

  it('reads standard input for "-"', () => {
    const project = loadProject({ files: ['-'], io: { readFile: () => '', stdin: () => 'services:\n  a: {image: x}\n' } });
    expect(project.sources[0].file).toBe('<stdin>');
    expect(project.model).toEqual({ services: { a: { image: 'x' } } });
  });
});

describe('several files', () => {
  const files = {
    'compose.yml': 'services:\n  web:\n    image: a\n    environment: [A=1]\nvolumes:\n  data:\n    driver: local\n',
    'compose.override.yml': 'services:\n  web:\n    image: b\n    environment:\n      B: "2"\nvolumes:\n  data:\n    labels: {x: "1"}\n',
  };
  const both = () => loadProject({ files: ['compose.yml', 'compose.override.yml'], io: memoryIO(files), workingDir: '/work/shop' });

  it('merges them into a fresh canonical document', () => {
    const project = both();
    expect(project.mode).toBe('resolved');
    expect(outputDocument(project).toString()).toBe(
      'name: shop\nservices:\n  web:\n    environment:\n      A: "1"\n      B: "2"\n    image: b\nvolumes:\n  data:\n    driver: local\n    labels:\n      x: "1"\n',
    );
  });

  it('locates each value in the last file that set it', () => {
    const project = both();
    expect(project.locate(['services', 'web', 'image'])).toEqual({ file: 'compose.override.yml', line: 3, col: 12 });
    expect(project.locate(['services', 'web', 'environment', 'A'])).toEqual({ file: 'compose.yml', line: 4, col: 19 });
    expect(project.locate(['volumes', 'data', 'driver'])).toEqual({ file: 'compose.yml', line: 7, col: 13 });
    expect(project.locate(['volumes', 'data'], 'key')).toEqual({ file: 'compose.override.yml', line: 7, col: 3 });
    // Missing below an existing value: the nearest ancestor, in the file that set it.
    expect(project.locate(['volumes', 'data', 'driver_opts', 'size'])).toEqual({ file: 'compose.override.yml', line: 8, col: 5 });
    expect(project.locate(['networks'])).toEqual({ file: 'compose.override.yml', line: 1, col: 1 });
  });

  it('takes COMPOSE_FILE when no file is given', () => {
    const project = loadProject({ files: [], io: memoryIO(files), env: { COMPOSE_FILE: 'compose.yml:compose.override.yml' } });
    expect(project.sources.map((s) => s.file)).toEqual(['compose.yml', 'compose.override.yml']);
    expect(loadProject({ files: [], io: memoryIO(files), env: { COMPOSE_FILE: 'compose.yml;compose.override.yml', COMPOSE_PATH_SEPARATOR: ';' } }).mode).toBe('resolved');
    expect(() => loadProject({ files: [], io: memoryIO(files) })).toThrow('no compose file given');
  });

  it('applies !reset and !override to what earlier files set', () => {
    const project = loadProject({
      files: ['compose.yml', 'o.yml'],
      io: memoryIO({ ...files, 'o.yml': 'services:\n  web:\n    environment: !override {C: "3"}\nvolumes:\n  data: !reset\n' }),
    });
    expect(project.model).toEqual({ services: { web: { image: 'a', environment: { C: '3' } } }, volumes: {} });
  });

  it('escapes "$" in the resolved output so it reads back as written', () => {
    const project = loadProject({ files: ['c.yml'], resolve: true, io: memoryIO({ 'c.yml': 'services:\n  a:\n    command: echo $$HOME\n' }) });
    expect(project.model).toEqual({ services: { a: { command: 'echo $HOME' } } });
    expect(outputDocument(project).toString()).toContain('command: echo $$HOME');
  });

  it('quotes strings YAML 1.1 readers would take for something else', () => {
    const project = loadProject({ files: ['c.yml'], resolve: true, io: memoryIO({ 'c.yml': 'volumes:\n  v:\n    driver_opts: {a: "yes", b: "010", c: "on"}\n' }) });
    expect(outputDocument(project).toString()).toContain('a: "yes"\n      b: "010"\n      c: "on"');
  });
});

describe('environment', () => {
  const compose = 'services:\n  a:\n    image: "x:${TAG}"\n    environment:\n      S: ${SIZE}\n';

  it('reads .env in the project directory, under the process environment', () => {
    const io = memoryIO({ 'p/c.yml': compose, 'p/.env': 'TAG=from-dotenv\nSIZE=1\n' });
    const project = loadProject({ files: ['p/c.yml'], io, env: { SIZE: '2' } });
    expect(project.model).toEqual({ services: { a: { image: 'x:from-dotenv', environment: { S: '2' } } } });
    expect(project.findings).toEqual([]);
  });

  it('finds .env without io.exists by trying to read it', () => {
    const io = memoryIO({ 'c.yml': compose, '.env': 'TAG=t\nSIZE=s\n' }, false);
    expect(loadProject({ files: ['c.yml'], io }).model).toEqual({ services: { a: { image: 'x:t', environment: { S: 's' } } } });
  });

  it('uses --env-file files instead of .env, a later one winning', () => {
    const io = memoryIO({ 'c.yml': compose, '.env': 'TAG=ignored\n', 'a.env': 'TAG=a\nSIZE=1\n', 'b.env': 'TAG=b\n' });
    expect(loadProject({ files: ['c.yml'], io, envFiles: ['a.env', 'b.env'] }).model).toEqual({ services: { a: { image: 'x:b', environment: { S: '1' } } } });
    expect(inputError(() => loadProject({ files: ['c.yml'], io, envFiles: ['missing.env'] })).message).toMatch(/cannot read env file missing.env/);
  });

  it('warns about unset variables, once per value, with their position', () => {
    const project = loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': compose }) });
    expect(project.findings.map((f) => [f.code, f.severity, f.file, f.line, f.path?.join('.')])).toEqual([
      ['unset-variable', 'warning', 'c.yml', 3, 'services.a.image'],
      ['unset-variable', 'warning', 'c.yml', 5, 'services.a.environment.S'],
    ]);
  });

  it('names the project from COMPOSE_PROJECT_NAME in .env', () => {
    const io = memoryIO({ 'c.yml': 'name: fromfile\nservices: {}\n', '.env': 'COMPOSE_PROJECT_NAME=fromenv\n' });
    expect(loadProject({ files: ['c.yml'], io }).projectName).toBe('fromenv');
    expect(loadProject({ files: ['c.yml'], io, projectName: 'given' }).projectName).toBe('given');
  });

  it('activates profiles from COMPOSE_PROFILES', () => {
    const io = memoryIO({ 'c.yml': 'services:\n  a: {image: x}\n  b: {image: x, profiles: [p]}\n', '.env': 'COMPOSE_PROFILES=p\n' });
    expect(Object.keys(loadProject({ files: ['c.yml'], io }).model.services as object)).toEqual(['a', 'b']);
    expect(Object.keys(loadProject({ files: ['c.yml'], io, profiles: ['q'] }).model.services as object)).toEqual(['a']);
  });
});

describe('errors', () => {
  it('places an invalid top-level project name at file:line:col of the file that sets it', () => {
    const io = memoryIO({ 'a.yml': 'services: {}\n', 'b.yml': '# b\nname: ${P:-My App}\n' });
    const error = inputError(() => loadProject({ files: ['a.yml', 'b.yml'], io }));
    expect(error.message).toMatch(/invalid project name "My App" \(from the top-level "name"\)/);
    expect(error.location).toMatchObject({ file: 'b.yml', line: 2, col: 7 });
  });

  it('names a file that cannot be read', () => {
    expect(inputError(() => loadProject({ files: ['nope.yml'], io: memoryIO({}) })).message).toMatch(/cannot read compose file nope.yml/);
  });

  it('places a missing required variable at file:line:col of the file that has it', () => {
    const error = inputError(() =>
      loadProject({ files: ['a.yml', 'b.yml'], io: memoryIO({ 'a.yml': 'services: {}\n', 'b.yml': 'services:\n  x:\n    image: ${IMG:?which image}\n' }) }),
    );
    expect(error.message).toBe('required variable IMG is missing a value: which image');
    expect(error.location).toEqual({ file: 'b.yml', line: 3, col: 12 });
  });
});

describe('readSource', () => {
  it('parses with the compose tags', () => {
    const src = readSource('c.yml', memoryIO({ 'c.yml': 'a: !reset []\n' }));
    expect(src.doc.warnings).toEqual([]);
  });
});

describe('aliases', () => {
  it('lets a large stack share an anchor on every service', () => {
    const services = Array.from({ length: 3000 }, (_, i) => `  s${i}:\n    <<: *defaults\n    image: app:${i}\n`).join('');
    const project = load({ 'c.yml': `x-defaults: &defaults\n  restart: always\n  logging: {driver: local}\nservices:\n${services}` });
    const model = project.model.services as Record<string, Record<string, unknown>>;
    expect(Object.keys(model)).toHaveLength(3000);
    expect(model.s2999).toEqual({ restart: 'always', logging: { driver: 'local' }, image: 'app:2999' });
  });

  it('refuses a file whose aliases expand past the limit, wherever it was read', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const bomb = levels.join('\n') + '\n';
    expect(() => load({ 'c.yml': bomb })).toThrow(/refusing to expand aliases: they would add more than 2000000 values to this file, from the alias \*l5 here on/);
    // The same through the library's reader (a block scalar keeps the fast reader out), at the same place.
    for (const text of [bomb, `${bomb}z: |\n  text\n`]) {
      const error = inputError(() => load({ 'c.yml': text }));
      expect(error.message).toMatch(/refusing to expand aliases/);
      expect(error.location).toMatchObject({ file: 'c.yml', line: 7, col: 10 });
    }
  });
});
