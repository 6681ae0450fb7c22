import { describe, expect, it } from 'vitest';
import { rebasePath } from '../../src/compose/extends.js';
import { loadProject } from '../../src/compose/project.js';
import { inputError, memoryIO } from '../helpers/memory-io.js';

const load = (files: Record<string, string>, first = Object.keys(files)[0]) => loadProject({ files: [first], io: memoryIO(files) });

describe('extends', () => {
  it('merges the local definition onto the base service, recursively', () => {
    const project = load({
      'c.yml': [
        'services:',
        '  base: {image: a, environment: {A: "1"}, volumes: ["x:/x"]}',
        '  mid: {extends: base, environment: {B: "2"}}',
        '  top: {extends: {service: mid}, image: b, volumes: ["y:/x", "z:/z"]}',
        '',
      ].join('\n'),
    });
    expect((project.model.services as Record<string, unknown>).top).toEqual({
      image: 'b',
      environment: { A: '1', B: '2' },
      volumes: ['y:/x', 'z:/z'],
    });
  });

  it('reads the base from another file, relative to the extending file, and rebases its paths', () => {
    const project = load({
      'app/compose.yml': 'services:\n  web:\n    extends: {file: ../lib/base.yml, service: base}\n',
      'lib/base.yml': [
        'services:',
        '  base:',
        '    image: a',
        '    build: ./ctx',
        '    env_file: [./base.env, {path: ./opt.env, required: false}]',
        '    volumes: [./conf:/conf, data:/data, {type: bind, source: ./logs, target: /logs}, /abs:/abs]',
        '',
      ].join('\n'),
    });
    expect((project.model.services as Record<string, unknown>).web).toEqual({
      image: 'a',
      build: '../lib/ctx',
      env_file: ['../lib/base.env', { path: '../lib/opt.env', required: false }],
      volumes: ['../lib/conf:/conf', 'data:/data', { type: 'bind', source: '../lib/logs', target: '/logs' }, '/abs:/abs'],
    });
    expect(project.sources.map((s) => s.file)).toEqual(['app/compose.yml', 'lib/base.yml']);
    expect(project.locate(['services', 'web', 'image'])).toEqual({ file: 'lib/base.yml', line: 3, col: 12 });
    expect(project.locate(['services', 'web'], 'key')).toEqual({ file: 'app/compose.yml', line: 2, col: 3 });
  });

  it('lets !reset in the extending service clear what the base set', () => {
    const project = load({ 'c.yml': 'services:\n  base: {image: a, ports: ["80:80"]}\n  web:\n    extends: base\n    ports: !reset []\n' });
    expect((project.model.services as Record<string, unknown>).web).toEqual({ image: 'a' });
  });

  it('reports a missing base service or file where extends is written', () => {
    const missing = inputError(() => load({ 'c.yml': 'services:\n  web:\n    extends: nope\n' }));
    expect(missing.message).toBe('service "web" extends "nope", but this file defines no service "nope"');
    expect(missing.location).toEqual({ file: 'c.yml', line: 3, col: 14 });
    const noFile = inputError(() => load({ 'c.yml': 'services:\n  web:\n    extends: {file: gone.yml, service: a}\n' }));
    expect(noFile.message).toMatch(/cannot read compose file gone.yml/);
    expect(noFile.location).toMatchObject({ file: 'c.yml', line: 3 });
  });

  it('reports cycles with the chain', () => {
    const error = inputError(() => load({ 'c.yml': 'services:\n  a: {extends: a}\n' }));
    expect(error.message).toBe('extends cycle: a (c.yml) -> a (c.yml)');
  });
});

describe('rebasePath', () => {
  it.each([
    ['./x', 'lib', '.', './lib/x'],
    ['x', 'lib', 'app', '../lib/x'],
    ['../x', 'a/b', 'a', './x'],
    ['.', 'lib', '.', './lib'],
    ['.', 'lib', 'lib', '.'],
    ['/abs', 'lib', '.', '/abs'],
    ['~/x', 'lib', '.', '~/x'],
    ['https://github.com/a/b.git', 'lib', '.', 'https://github.com/a/b.git'],
  ])('%s from %s to %s is %s', (path, from, to, expected) => {
    expect(rebasePath(path, from, to)).toBe(expected);
  });
});
