/** The reader seam: the fast reader's off switch, and the yaml library version it was written for. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { YAML_MAJOR } from '../../src/compose/fast-yaml.js';
import { FAST_YAML_SWITCH, parseYamlSource, toPlain } from '../../src/compose/load.js';
import { composeYamlOptions } from '../../src/compose/project.js';

const TEXT = '# a plain file\nservices:\n  web:\n    image: nginx # pinned\nvolumes:\n  data: {}\n';

describe('the fast reader switch', () => {
  const before = process.env[FAST_YAML_SWITCH];
  afterEach(() => {
    if (before === undefined) delete process.env[FAST_YAML_SWITCH];
    else process.env[FAST_YAML_SWITCH] = before;
  });

  it('reads a plain file with the fast reader unless the switch is "0"', () => {
    delete process.env[FAST_YAML_SWITCH];
    const fast = parseYamlSource(TEXT, 'c.yml', composeYamlOptions);
    expect(fast.comments).toBe(false);
    expect(fast.plain).toBeDefined();
    process.env[FAST_YAML_SWITCH] = '0';
    const library = parseYamlSource(TEXT, 'c.yml', composeYamlOptions);
    expect(library.comments).toBe(true);
    expect(library.plain).toBeUndefined();
    expect(library.doc.toString()).toBe(TEXT);
    expect(toPlain(library)).toEqual(toPlain(fast));
  });

  it('hands the fast reader\'s plain value to the first caller only; a later one gets its own', () => {
    delete process.env[FAST_YAML_SWITCH];
    const src = parseYamlSource(TEXT, 'c.yml', composeYamlOptions);
    const first = toPlain(src) as Record<string, unknown>;
    const second = toPlain(src);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });
});

describe('the yaml library', () => {
  it('is the major version the fast reader was written for, on a range that cannot take another', () => {
    const installed = JSON.parse(readFileSync('node_modules/yaml/package.json', 'utf8')) as { version: string };
    expect(Number(installed.version.split('.')[0]), `yaml ${installed.version} is installed; the fast reader reproduces yaml ${YAML_MAJOR}`).toBe(YAML_MAJOR);
    const range = (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies.yaml;
    expect(range).toMatch(new RegExp(`^[~^]${YAML_MAJOR}\\.\\d+\\.\\d+$`));
  });
});
