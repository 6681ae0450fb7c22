/**
 * Adoption over every compose file of the project (fixtures/, examples/, and the real-world-style stacks of
 * fixtures/adoption/): init gives every volume without a class one, keeps every input line in order, changes
 * nothing the second time, keeps database volumes durable; builtin:aws gives every unannotated volume an AWS driver.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, initStack, renderStack } from '../src/index.js';
import { asObject, serviceMounts } from '../src/compose/mounts.js';
import { imageName } from '../src/policies/resolve-class.js';
import { loadStack } from '../src/stack.js';

function composeFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return composeFiles(path);
      return /\.ya?ml$/.test(name) && !/^(expected|voldriver)/.test(name) ? [path] : [];
    });
}

const files = [...composeFiles('fixtures'), ...composeFiles('examples')];
const DATABASES = new Set(['postgres', 'mysql', 'mariadb', 'mongo', 'redis', 'elasticsearch', 'opensearch', 'minio', 'clickhouse-server', 'cp-kafka', 'cp-zookeeper']);
const options = (file: string, policy = 'builtin:default') => ({ files: [file], policy, variables: {}, parameters: { zone: 'eu-west-1a' } });

/** Input lines must come back in order; the only other lines are the x-voldriver lines init adds. */
function keptInOrder(input: string, output: string): { inserted: number; problem?: string } {
  const before = input.split(/\r?\n/);
  const after = output.split(/\r?\n/);
  let at = 0;
  let inserted = 0;
  for (const line of after) {
    const original = before[at];
    // `key: {}`, `key: ~` or `key: null` loses its empty value to the block written under it.
    const emptied = original?.replace(/^(\s*[^\s#][^#]*?:)\s*(\{\s*\}|~|null)(\s*(#.*)?)$/, '$1$3');
    if (original !== undefined && (line === original || line === emptied)) at++;
    else if (/^\s+x-voldriver: [\w".-]+ {2}# \S/.test(line)) inserted++;
    else return { inserted, problem: `unexpected line ${JSON.stringify(line)} before input line ${at + 1} ${JSON.stringify(original)}` };
  }
  return at === before.length ? { inserted } : { inserted, problem: `input lines from ${at + 1} are missing` };
}

interface Outcome {
  file: string;
  classed: number;
}

describe('adoption over the corpus', () => {
  const outcomes: Outcome[] = [];
  const unreadable: string[] = [];

  for (const file of files) {
    it(file, () => {
      let result;
      try {
        result = initStack(options(file));
      } catch (error) {
        // The corpus holds files meant to be refused (fixtures/bad, error cases); init refuses them as render does.
        expect(error).toBeInstanceOf(InputError);
        unreadable.push(file);
        return;
      }
      const order = keptInOrder(result.input, result.output);
      expect(order.problem, order.problem).toBeUndefined();
      expect(order.inserted).toBe(result.choices.filter((choice) => choice.written).length);
      for (const choice of result.choices.filter((c) => !c.written)) {
        expect(result.findings.some((f) => f.code === 'init-skipped' && f.volume === choice.volume), `${choice.volume} skipped without a word`).toBe(true);
      }
      if (file.startsWith(join('fixtures', 'adoption'))) expect(result.findings).toEqual([]);

      // Every volume without a class, of this file, that render would leave alone, gets one.
      const aws = renderStack({ ...options(file, 'builtin:aws'), profiles: ['*'] });
      const model = loadStack({ ...options(file), profiles: ['*'] }).project.model;
      const written = (volume: string) => asObject(asObject(model.volumes)[volume])['x-voldriver'] !== undefined;
      for (const plan of aws.plans.filter((p) => (p.reason === 'rule' || p.reason === 'default') && !written(p.volume))) {
        const declaredHere = result.choices.some((choice) => choice.volume === plan.volume);
        const elsewhere = result.findings.some((f) => f.volume === plan.volume);
        expect(declaredHere || elsewhere, `${plan.volume} got no class from init`).toBe(true);
        expect(plan.driver, `${plan.volume} on builtin:aws`).toMatch(/^rexray\/(ebs|efs)$/);
      }

      // Database volumes are durable.
      const services = asObject(model.services);
      for (const mount of serviceMounts(model)) {
        const image = asObject(services[mount.service]).image;
        if (typeof image !== 'string' || !DATABASES.has(imageName(image))) continue;
        const choice = result.choices.find((c) => c.volume === mount.volume);
        if (choice) expect(choice.class, `${mount.volume} of ${image}`).toBe('durable');
      }

      // A second run changes nothing.
      if (result.changed) {
        const again = initStack({ ...options(file), sources: [{ name: file, text: result.output }] });
        expect(again.output).toBe(result.output);
        expect(again.choices.filter((c) => c.written)).toEqual([]);
      }
      outcomes.push({ file, classed: result.choices.filter((c) => c.written).length });
    });
  }

  it('covered a corpus worth the name', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(outcomes.length).toBeGreaterThan(100);
    expect(outcomes.reduce((sum, o) => sum + o.classed, 0)).toBeGreaterThan(45);
    const realWorld = outcomes.filter((o) => o.file.startsWith(join('fixtures', 'adoption')));
    expect(realWorld.length).toBe(10);
    expect(realWorld.reduce((sum, o) => sum + o.classed, 0)).toBeGreaterThan(20);
  });
});
