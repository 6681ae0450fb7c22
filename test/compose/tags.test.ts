import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseYamlSource } from '../../src/compose/load.js';
import { composeYamlOptions } from '../../src/compose/project.js';
import { composeTags, findTaggedPaths, stripComposeTags } from '../../src/compose/tags.js';

const parse = (text: string) => parseYamlSource(text, 'f.yml', composeYamlOptions);

describe('merge tags', () => {
  it('parse without warnings and keep their values', () => {
    const src = parse('a: !reset []\nb: !override\n  x: 1\nc: !override 3\nd: !reset\n');
    expect(src.doc.warnings).toEqual([]);
    expect(src.doc.toJS()).toEqual({ a: [], b: { x: 1 }, c: 3, d: null });
  });

  it('are found by path, through aliases and << merge keys', () => {
    const src = parse(
      'x-base: &base\n  ports: !reset []\nservices:\n  web:\n    <<: *base\n    environment: !override {A: "1"}\n    volumes:\n      - !reset a:/a\n  api: *base\n',
    );
    expect(findTaggedPaths(src)).toEqual({
      reset: [['x-base', 'ports'], ['services', 'web', 'ports'], ['services', 'web', 'volumes', 0], ['services', 'api', 'ports']],
      override: [['services', 'web', 'environment']],
    });
  });

  it('are found nowhere in an untagged file', () => {
    expect(findTaggedPaths(parse('a: &x {b: 1}\nc: *x\n'))).toEqual({ reset: [], override: [] });
  });

  it('can be applied to a document for readers that ignore them', () => {
    const doc = parseDocument('a: !reset [1]\nb: !override [2]\nc:\n  - !reset x\n  - y\n', { customTags: composeTags });
    stripComposeTags(doc);
    expect(doc.toString()).toBe('b: [ 2 ]\nc:\n  - y\n');
  });
});
