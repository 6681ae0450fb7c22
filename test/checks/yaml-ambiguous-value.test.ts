import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/compose/project.js';
import { parseYamlSource } from '../../src/compose/load.js';
import { rawScalar } from '../../src/compose/raw.js';
import { readPlain } from '../../src/checks/yaml-readings.js';
import { renderProject } from '../../src/transform/pipeline.js';
import { fixture, io, locator, messages, policyFile, run, seen } from './helpers.js';

const code = 'yaml-ambiguous-value';
const at = locator(code);

describe(code, () => {
  const result = run(code, 'trigger.yml');

  it('warns for every unquoted value that YAML readers change, and not for the managed volume', () => {
    const lines: [number, number][] = [[11, 13], [12, 13], [13, 13], [14, 14], [15, 13], [16, 14], [17, 14], [18, 14], [19, 16], [20, 15], [21, 15]];
    expect(seen(result, code)).toEqual(lines.map(([line, col]) => ({ severity: 'warning', at: at('trigger.yml', line, col), volume: 'data' })));
  });

  it('names the string the docker CLI sends', () => {
    const text = messages(result, code);
    const expected = [
      'sends the driver "8", not "010", while a YAML 1.2 reader gets "10"',
      'sends the driver "31", not "0x1F"',
      'sends the driver "15", not "0o17", while a YAML 1.1 reader (docker-compose v1, PyYAML) gets "0o17"',
      'sends the driver "1000", not "1_000", while a YAML 1.2 reader gets "1_000"',
      'sends "yes", while a YAML 1.1 reader (docker-compose v1, PyYAML) gets a boolean',
      'sends "off", while a YAML 1.1 reader (docker-compose v1, PyYAML) gets a boolean',
      'sends the driver "0.5", not ".5"',
      'sends the driver "1000", not "1e3"',
      'sends the driver "5", not "5.0"',
      'sends the driver "1.5", not "1.50"',
      'sends "n", while a YAML 1.1 reader (docker-compose v1, PyYAML) gets a boolean',
    ];
    expected.forEach((part, index) => expect(text[index]).toContain(part));
    expect(text[0]).toContain('quote the value you mean: mode: "010" (or "8")');
  });

  it('accepts quoted values, explicitly tagged ones (!!str 010), values that read the same everywhere, and interpolations', () => {
    expect(seen(run(code, 'clean.yml'), code)).toEqual([]);
  });

  it('reads the last file that sets the value, and reports an alias where it is used', () => {
    const project = loadProject({ files: [fixture(code, 'base.yml'), fixture(code, 'override.yml')], io });
    const rendered = renderProject(project, policyFile(fixture(code, 'voldriver.yml')), {});
    expect(seen(rendered, code)).toEqual([
      { severity: 'warning', at: at('base.yml', 5, 17), volume: 'data' },
      { severity: 'warning', at: at('base.yml', 6, 12), volume: 'data' },
    ]);
  });
});

describe('rawScalar', () => {
  const a = parseYamlSource('volumes:\n  v:\n    driver_opts:\n      mode: 010\n      name: "x"\n', 'a.yml');
  const b = parseYamlSource("volumes:\n  v:\n    driver_opts:\n      mode: '0755'\n", 'b.yml');

  it('returns the text as written, whether it is plain, and where', () => {
    expect(rawScalar({ sources: [a] }, ['volumes', 'v', 'driver_opts', 'mode'])).toMatchObject({ source: '010', plain: true, file: 'a.yml', line: 4, col: 13 });
    expect(rawScalar({ sources: [a] }, ['volumes', 'v', 'driver_opts', 'name'])).toMatchObject({ source: '"x"', plain: false, value: 'x' });
  });

  it('prefers the last file that has the path', () => {
    expect(rawScalar({ sources: [a, b] }, ['volumes', 'v', 'driver_opts', 'mode'])).toMatchObject({ source: "'0755'", plain: false, file: 'b.yml' });
    expect(rawScalar({ sources: [a, b] }, ['volumes', 'v', 'driver_opts', 'name'])).toMatchObject({ file: 'a.yml' });
  });

  it('is undefined for a missing path or a non-scalar', () => {
    expect(rawScalar({ sources: [a, b] }, ['volumes', 'v', 'driver_opts', 'nope'])).toBeUndefined();
    expect(rawScalar({ sources: [a] }, ['volumes', 'v'])).toBeUndefined();
  });
});

describe('readPlain', () => {
  it('follows the docker CLI for YAML 1.1 and the core schema for YAML 1.2', () => {
    const cases: [string, string, string][] = [
      ['010', '8', '10'],
      ['0x1F', '31', '31'],
      ['1_000', '1000', '1_000'],
      ['.5', '0.5', '0.5'],
      ['1:20', '1:20', '1:20'],
      ['10G', '10G', '10G'],
    ];
    for (const [source, v11, v12] of cases) {
      expect(readPlain(source, '1.1'), source).toEqual({ kind: 'string', text: v11 });
      expect(readPlain(source, '1.2'), source).toEqual({ kind: 'string', text: v12 });
    }
    expect(readPlain('on', '1.1')).toEqual({ kind: 'rejected' });
    expect(readPlain('on', '1.2')).toEqual({ kind: 'string', text: 'on' });
  });
});
