import { describe, expect, it } from 'vitest';
import { engineVolumeName, normalizeProjectName, resolveProjectName } from '../../src/compose/names.js';
import { InputError } from '../../src/findings.js';

describe('project names', () => {
  it('normalises a folder name as Compose does', () => {
    expect(normalizeProjectName('My App.v2')).toBe('myappv2');
    expect(normalizeProjectName('__x-Y_z')).toBe('x-y_z');
  });

  it('takes -p, then COMPOSE_PROJECT_NAME, then name:, then the folder', () => {
    const base = { projectDirectory: '.', workingDir: '/home/me/Shop App' };
    expect(resolveProjectName({ ...base, option: 'p', env: 'e', model: 'm' })).toBe('p');
    expect(resolveProjectName({ ...base, env: 'e', model: 'm' })).toBe('e');
    expect(resolveProjectName({ ...base, env: '', model: 'm' })).toBe('m');
    expect(resolveProjectName(base)).toBe('shopapp');
    expect(resolveProjectName({ projectDirectory: 'deploy/prod', workingDir: '/src' })).toBe('prod');
    expect(resolveProjectName({ projectDirectory: '/abs/Stack_1' })).toBe('stack_1');
    expect(resolveProjectName({ projectDirectory: '.' })).toBeUndefined();
  });

  it('refuses an explicit name Compose would refuse', () => {
    expect(() => resolveProjectName({ projectDirectory: '.', option: 'My App' })).toThrow(InputError);
    expect(() => resolveProjectName({ projectDirectory: '.', model: '-x' })).toThrow(/invalid project name "-x" \(from the top-level "name"\)/);
  });
});

describe('engineVolumeName', () => {
  it('prefixes the project name unless the volume is named or external', () => {
    expect(engineVolumeName('shop', 'data', {})).toBe('shop_data');
    expect(engineVolumeName('shop', 'data', null)).toBe('shop_data');
    expect(engineVolumeName('shop', 'data', { name: 'exact' })).toBe('exact');
    expect(engineVolumeName('shop', 'data', { external: true })).toBe('data');
    expect(engineVolumeName('shop', 'data', { external: true, name: 'theirs' })).toBe('theirs');
    expect(engineVolumeName('shop', 'data', { external: { name: 'legacy' } })).toBe('legacy');
    expect(engineVolumeName('shop', 'data', { external: false })).toBe('shop_data');
  });
});
