/**
 * Keys that are not text (`007:`, `1e3:`, `0x10:`, `.5:`, `true:`): YAML reads them as numbers, booleans or null,
 * so the name would change, and docker stack deploy refuses the file. One error at the key, in any file.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/compose/project.js';
import { inputError, memoryIO } from '../helpers/memory-io.js';
import { renderStack } from '../../src/index.js';

const volumeKey = (key: string) => `services:\n  app:\n    image: x\n    volumes: ["v:/d"]\nvolumes:\n  v: {}\n  ${key}:\n    x-voldriver: fast\n`;
const refused = (files: Record<string, string>, names = ['c.yml']) => {
  const error = inputError(() => loadProject({ files: names, io: memoryIO(files) }));
  return { where: `${error.location?.file}:${error.location?.line}:${error.location?.col}`, message: error.message, hint: error.hint, code: error.code };
};

describe('a key that is not text', () => {
  it.each([
    ['007', 'the number 7'],
    ['1e3', 'the number 1000'],
    ['0x10', 'the number 16'],
    ['.5', 'the number 0.5'],
    ['0o7', 'the number 7'],
    ['-3', 'the number -3'],
    ['.inf', 'the number Infinity'],
    ['true', 'the boolean true'],
    ['~', 'null'],
    ['1_000', 'a number by Docker'],
    ['0b101', 'a number by Docker'],
    ['2001-12-14', 'a date by Docker'],
  ])('volume key %s is refused at the key, with the quoted form', (key, reading) => {
    const got = refused({ 'c.yml': volumeKey(key) });
    expect(got.where).toBe('c.yml:7:3');
    expect(got.message).toBe(
      `the key ${key} is read as ${reading}, not as the name ${JSON.stringify(key)}: docker stack deploy refuses a file with a key that is not text ("json: unsupported type"), and readers differ on the name it stands for`,
    );
    expect(got.hint).toBe(`write the key in quotes: ${JSON.stringify(key)}:`);
    expect(got.code).toBe('non-text-key');
  });

  it('in any section and at any depth: services, networks, labels, driver_opts, extensions', () => {
    expect(refused({ 'c.yml': 'services:\n  12:\n    image: x\n' }).where).toBe('c.yml:2:3');
    expect(refused({ 'c.yml': 'services:\n  a:\n    image: x\nnetworks:\n  1e3: {}\n' }).where).toBe('c.yml:5:3');
    expect(refused({ 'c.yml': 'services:\n  a:\n    image: x\n    labels:\n      12: a\n' }).where).toBe('c.yml:5:7');
    expect(refused({ 'c.yml': 'volumes:\n  v:\n    driver_opts: { 1: x }\n' }).where).toBe('c.yml:3:20');
    expect(refused({ 'c.yml': 'x-list:\n  - a: 1\n    0x1F: 2\n' }).where).toBe('c.yml:3:5');
  });

  it('in an override, an included file and an extended one, at that file', () => {
    expect(refused({ 'c.yml': volumeKey('v2'), 'o.yml': 'volumes:\n  010: {}\n' }, ['c.yml', 'o.yml']).where).toBe('o.yml:2:3');
    expect(refused({ 'c.yml': 'include: [i.yml]\nservices:\n  a: { image: x }\n', 'i.yml': 'volumes:\n  .5: {}\n' }).where).toBe('i.yml:2:3');
    expect(refused({ 'c.yml': 'services:\n  a:\n    extends: { file: b.yml, service: b }\n', 'b.yml': 'services:\n  b:\n    image: x\n    labels: { 1e3: x }\n' }).where).toBe('b.yml:4:15');
  });

  it('text keys stay as written: quoted, tagged !!str, or words and versions that are no number', () => {
    for (const key of ['"007"', "'1e3'", '!!str 12', 'yes', 'on', 'v1', '1e3x', '1.2.3', '12abc', '_1', 'null-ish']) {
      const project = loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': volumeKey(key) }) });
      expect(Object.keys(project.model.volumes as object), key).toHaveLength(2);
    }
    const quoted = loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': 'services:\n  a:\n    image: x\n    volumes: ["007:/d"]\nvolumes:\n  "007": {}\n' }) });
    expect(Object.keys(quoted.model.volumes as object)).toEqual(['007']);
  });

  it('render writes nothing and says where', () => {
    expect(() => renderStack({ sources: [{ name: 'c.yml', text: volumeKey('007') }], policy: { version: 1, classes: { fast: { driver: 'local' } } } })).toThrow(/the key 007 is read as the number 7/);
  });
});
