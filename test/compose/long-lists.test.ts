/**
 * A message that lists an unbounded set (a cycle's services, files, parameters; classes; the services a rule
 * matched) names a few and says how many more: a cycle of thousands of services is no line of thousands of names.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/compose/project.js';
import { explainStack, renderStack } from '../../src/index.js';
import { someSteps } from '../../src/suggest.js';
import { inputError, memoryIO } from '../helpers/memory-io.js';

describe('someSteps', () => {
  it('joins a short chain whole, a long one as its first steps, how many more, and its last step', () => {
    expect(someSteps(['a', 'b', 'a'])).toBe('a -> b -> a');
    const names = Array.from({ length: 21 }, (_, i) => `s${i}`);
    expect(someSteps(names)).toBe(names.join(' -> '));
    expect(someSteps([...names, 's0'])).toBe(`${names.slice(0, 20).join(' -> ')} -> ... and 1 more -> s0`);
    expect(someSteps(['a', 'b', 'c', 'd', 'a'], 2)).toBe('a -> b -> ... and 2 more -> a');
  });
});

describe('cycles of any length are said in a line of bounded length', () => {
  it('a depends_on cycle of 5,000 services', () => {
    const lines = ['services:'];
    for (let i = 0; i < 5000; i++) lines.push(`  s${i}:`, '    image: x', `    depends_on: [s${(i + 1) % 5000}]`);
    const error = inputError(() => loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': lines.join('\n') + '\n' }) }));
    expect(error.message).toBe(`dependency cycle detected: ${Array.from({ length: 20 }, (_, i) => `s${i}`).join(' -> ')} -> ... and 4980 more -> s0`);
    expect(error.location).toMatchObject({ file: 'c.yml', line: 4, col: 5 });
  });

  it('a cycle through volumes_from, links and network_mode is capped the same way', () => {
    const lines = ['services:'];
    const kinds = ['volumes_from: [NEXT]', 'links: [NEXT]', 'network_mode: service:NEXT'];
    for (let i = 0; i < 300; i++) lines.push(`  s${i}:`, '    image: x', `    ${kinds[i % 3].replace('NEXT', `s${(i + 1) % 300}`)}`);
    const error = inputError(() => loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': lines.join('\n') + '\n' }) }));
    expect(error.message).toMatch(/^dependency cycle detected: s0 -> s1 -> .* -> s19 -> \.\.\. and 280 more -> s0$/);
  });

  it('an extends cycle of 60 services', () => {
    const lines = ['services:'];
    for (let i = 0; i < 60; i++) lines.push(`  s${i}:`, '    image: x', `    extends: s${(i + 1) % 60}`);
    const error = inputError(() => loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': lines.join('\n') + '\n' }) }));
    expect(error.message).toMatch(/^extends cycle: s0 \(c\.yml\) -> s1 \(c\.yml\) -> .* -> \.\.\. and \d+ more -> s0 \(c\.yml\)$/);
    expect(error.message.split(' -> ')).toHaveLength(22);
  });

  it('an include cycle of 60 files', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`i${i}.yml`] = `include: [i${(i + 1) % 60}.yml]\n`;
    const error = inputError(() => loadProject({ files: ['i0.yml'], io: memoryIO(files) }));
    expect(error.message).toMatch(/^include cycle: i0\.yml -> i1\.yml -> .* -> \.\.\. and \d+ more -> i0\.yml$/);
    expect(error.message.split(' -> ')).toHaveLength(22);
  });

  it('a parameter cycle of 60 placeholders', () => {
    const parameters: Record<string, string> = {};
    for (let i = 0; i < 60; i++) parameters[`p${i}`] = `{p${(i + 1) % 60}}`;
    const result = renderStack({
      sources: [{ name: 'c.yml', text: 'services:\n  a:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    x-voldriver: c\n' }],
      policy: { version: 1, parameters, classes: { c: { driver: 'local', labels: { x: '{p0}' } } } },
    });
    const cycle = result.findings.find((f) => f.code === 'parameter-cycle');
    expect(cycle?.message).toMatch(/^parameter \{p0\} refers to itself: \{p0\} -> \{p1\} -> .* -> \.\.\. and 40 more -> \{p0\} \(volume "v"\)$/);
  });
});

describe('lists of names', () => {
  it('a dependency on a disabled service lists at most 10 of its profiles and of the active ones', () => {
    const profiles = Array.from({ length: 50 }, (_, i) => `p${i}`);
    const active = Array.from({ length: 40 }, (_, i) => `a${i}`);
    const text = `services:\n  app:\n    image: x\n    depends_on: [db]\n  db:\n    image: y\n    profiles: [${profiles.join(', ')}]\n`;
    const error = inputError(() => loadProject({ files: ['c.yml'], io: memoryIO({ 'c.yml': text }), profiles: active }));
    expect(error.message).toBe(
      `service "app" depends on service "db", which is disabled: none of its profiles (${profiles.slice(0, 10).join(', ')} and 40 more) is active (active: ${active.slice(0, 10).join(', ')} and 30 more)`,
    );
  });

  it('an unknown class lists at most 30 of the policy classes', () => {
    const classes: Record<string, { driver: string }> = {};
    for (let i = 0; i < 500; i++) classes[`class${i}`] = { driver: 'local' };
    const error = inputError(() => renderStack({ sources: [{ name: 'c.yml', text: 'services: {}\n' }], policy: { version: 1, default_class: 'nosuch', classes } }));
    expect(error.message).toMatch(/; classes: class0, class1, .*, class29 and 470 more$/);
  });

  it('a min_services rule says which services matched, at most 10', () => {
    const lines = ['services:'];
    for (let i = 0; i < 40; i++) lines.push(`  s${i}:`, '    image: x', '    volumes: [shared:/s]');
    lines.push('volumes:', '  shared: {}');
    const result = explainStack({
      sources: [{ name: 'c.yml', text: lines.join('\n') + '\n' }],
      policy: { version: 1, rules: [{ match: { min_services: 2 }, class: 'multi' }], classes: { multi: { driver: 'local' } } },
    });
    const plan = result.plans.find((p) => p.volume === 'shared')!;
    expect(plan.because).toBe(`mounted by ${Array.from({ length: 10 }, (_, i) => `s${i}`).join(', ')} and 30 more`);
  });
});
