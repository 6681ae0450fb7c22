import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/compose/project.js';
import { inputError, memoryIO } from '../helpers/memory-io.js';

describe('include', () => {
  const files = {
    'compose.yml': 'include:\n  - db/compose.yml\n  - path: [cache/a.yml, cache/b.yml]\n    env_file: cache.env\nservices:\n  app: {image: "app:${TAG}"}\n',
    '.env': 'TAG=1\nPG=from-parent\n',
    'db/compose.yml': 'services:\n  db:\n    image: "postgres:${PG}-${OWN}"\n    volumes: [./init:/init, pg:/data]\nvolumes:\n  pg: {}\n',
    'db/.env': 'PG=from-db\nOWN=db\n',
    'cache/a.yml': 'services:\n  cache: {image: "redis:${REDIS}"}\n',
    'cache/b.yml': 'services:\n  cache: {command: ["redis-server"]}\n',
    'cache.env': 'REDIS=7\n',
  };

  it('imports each project with its own directory and .env, the parent environment first', () => {
    const project = loadProject({ files: ['compose.yml'], io: memoryIO(files) });
    expect(project.mode).toBe('resolved');
    expect(project.model).toEqual({
      services: {
        app: { image: 'app:1' },
        db: { image: 'postgres:from-parent-db', volumes: ['./db/init:/init', 'pg:/data'] },
        cache: { image: 'redis:7', command: ['redis-server'] },
      },
      volumes: { pg: {} },
    });
    expect(project.locate(['services', 'db', 'image'])).toEqual({ file: 'db/compose.yml', line: 3, col: 12 });
    expect(project.locate(['services', 'cache', 'command'])).toEqual({ file: 'cache/b.yml', line: 2, col: 20 });
    expect(project.sources.map((s) => s.file)).toEqual(['compose.yml', 'db/compose.yml', 'cache/a.yml', 'cache/b.yml']);
  });

  it('accepts an identical local definition and refuses a different one', () => {
    const same = { ...files, 'compose.yml': 'include: [db/compose.yml]\nvolumes:\n  pg: {}\n' };
    expect(loadProject({ files: ['compose.yml'], io: memoryIO(same) }).model.volumes).toEqual({ pg: {} });
    const different = { ...files, 'compose.yml': 'include: [db/compose.yml]\nvolumes:\n  pg: {driver: other}\n' };
    const error = inputError(() => loadProject({ files: ['compose.yml'], io: memoryIO(different) }));
    expect(error.message).toBe('volumes.pg conflicts with imported resource: db/compose.yml defines it too, differently');
    expect(error.location).toEqual({ file: 'compose.yml', line: 3, col: 3 });
  });

  it('lets a later -f file override an included service', () => {
    const io = memoryIO({ ...files, 'override.yml': 'services:\n  db: {image: custom}\n' });
    const project = loadProject({ files: ['compose.yml', 'override.yml'], io });
    expect((project.model.services as Record<string, { image: string }>).db.image).toBe('custom');
  });

  it('honours project_directory', () => {
    const io = memoryIO({
      'compose.yml': 'include:\n  - path: defs/x.yml\n    project_directory: work\n',
      'defs/x.yml': 'services:\n  x: {image: "x:${V}", build: ./src}\n',
      'work/.env': 'V=2\n',
    });
    expect(loadProject({ files: ['compose.yml'], io }).model.services).toEqual({ x: { image: 'x:2', build: './work/src' } });
  });

  it('reports a cycle with the chain of files', () => {
    const io = memoryIO({ 'a.yml': 'include: [b.yml]\n', 'b.yml': 'include: [a.yml]\n' });
    const error = inputError(() => loadProject({ files: ['a.yml'], io }));
    expect(error.message).toBe('include cycle: a.yml -> b.yml -> a.yml');
    expect(error.location).toEqual({ file: 'b.yml', line: 1, col: 11 });
  });

  it('refuses malformed entries where they are written', () => {
    expect(inputError(() => loadProject({ files: ['a.yml'], io: memoryIO({ 'a.yml': 'include: x.yml\n' }) })).message).toMatch(/must be a list/);
    expect(inputError(() => loadProject({ files: ['a.yml'], io: memoryIO({ 'a.yml': 'include:\n  - env_file: x\n' }) })).location).toEqual({
      file: 'a.yml',
      line: 2,
      col: 5,
    });
  });
});
