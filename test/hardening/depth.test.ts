/** Nesting: one limit and one message with its place, for compose files, policies and interpolation, by either reader. */
import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../src/compose/limits.js';
import { INTERNAL, runIn, scratch } from './run.js';

const HEAD = 'services:\n  app:\n    image: nginx\n';
const block = (levels: number) => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n') + `\n${'  '.repeat(levels + 1)}v: 1\n`;
const flow = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

describe(`nesting deeper than ${MAX_NESTING} levels`, () => {
  // [what, text, line:col of the first level too deep]. The top-level mapping is level 1.
  const cases: [string, string, string][] = [
    ['block mappings under an x- key (fast reader)', `${HEAD}x-deep:\n${block(200)}`, `${4 + MAX_NESTING}:${2 * MAX_NESTING + 1}`],
    ['block mappings, 1,500 deep', `${HEAD}x-deep:\n${block(1500)}`, `${4 + MAX_NESTING}:${2 * MAX_NESTING + 1}`],
    ['block mappings read by the library (a tag elsewhere)', `${HEAD}x-tagged: !!str a\nx-deep:\n${block(300)}`, `${5 + MAX_NESTING}:${2 * MAX_NESTING + 1}`],
    ['flow sequences, 1,000 deep', `${HEAD}x-deep: ${flow(1000)}\n`, `4:${9 + MAX_NESTING - 1}`],
    ['flow sequences, 100,000 deep', `${HEAD}x-deep: ${flow(100_000)}\n`, `4:${9 + MAX_NESTING - 1}`],
    ['compact sequences (- - - ...)', `${HEAD}x-deep:\n  ${'- '.repeat(5000)}x\n`, `5:${3 + 2 * (MAX_NESTING - 2)}`],
  ];
  for (const [what, text, where] of cases) {
    it(`compose: ${what}`, async () => {
      const r = await runIn(scratch({ 'c.yml': text }), ['render', '-f', 'c.yml']);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`c\\.yml:${where}: error: nesting deeper than ${MAX_NESTING} levels\\n`));
    });
  }

  it('policy: the same limit and message', async () => {
    const policy = `version: 1\nclasses:\n  durable:\n    driver: local\n    description: ${flow(500)}\n`;
    const r = await runIn(scratch({ 'c.yml': `${HEAD}`, 'p.yml': policy }), ['render', '-f', 'c.yml', '--policy', 'p.yml']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`p\\.yml:5:${18 + MAX_NESTING - 3}: error: nesting deeper than ${MAX_NESTING} levels`));
  });

  it('interpolation: ${...} nested 10,000 deep, in a compose file and in a policy value', async () => {
    const deep = `${'${A:-'.repeat(10_000)}x${'}'.repeat(10_000)}`;
    const dir = scratch({ 'c.yml': `services:\n  app:\n    image: "${deep}"\n`, 'd.yml': `${HEAD}volumes:\n  v:\n    x-voldriver: durable\n`, 'p.yml': `version: 1\nclasses:\n  durable:\n    driver: "${deep}"\n` });
    for (const args of [['-f', 'c.yml', '--resolve'], ['-f', 'd.yml', '--policy', 'p.yml']]) {
      const r = await runIn(dir, ['render', ...args]);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.code).toBeGreaterThan(0);
      expect(r.err).toMatch(new RegExp(`:\\d+:\\d+: error.*nesting deeper than ${MAX_NESTING} levels of "\\$\\{\\.\\.\\.\\}" in "\\$\\{A:-`));
      expect(r.err.length).toBeLessThan(1000);
    }
  });

  it(`accepts ${MAX_NESTING} levels`, async () => {
    const r = await runIn(scratch({ 'c.yml': `${HEAD}x-deep:\n${block(MAX_NESTING - 2)}` }), ['render', '-f', 'c.yml']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
