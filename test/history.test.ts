/**
 * Render is a function of the source, not of its history: rendering a rendered file for another environment gives
 * what rendering the source for that environment gives, for every golden render case and every pair of its
 * policy's environments (no environment counts as one).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/program.js';
import { loadBuiltinPolicy, loadPolicyText } from '../src/policies/load.js';
import { testIO } from './helpers/io.js';
import { readCaseArgs } from './helpers/golden.js';

const root = 'fixtures/render';
const cases = readdirSync(root).filter((name) => existsSync(join(root, name, 'args.json'))).sort();

async function run(args: string[], env: Record<string, string> = {}, stdin?: string) {
  const io = testIO({ env, stdin });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/** The arguments without -f FILE pairs and without --env NAME. */
function withoutFilesAndEnv(args: string[]): string[] {
  return args.filter((arg, i) => arg !== '-f' && args[i - 1] !== '-f' && arg !== '--env' && args[i - 1] !== '--env');
}

function environmentsOf(dir: string, args: string[]): (string | undefined)[] {
  const named = args[args.indexOf('--policy') + 1];
  const policy = args.includes('--policy')
    ? named.startsWith('builtin:')
      ? loadBuiltinPolicy(named)
      : loadPolicyText(readFileSync(named, 'utf8'), named)
    : existsSync(join(dir, 'voldriver.yml'))
      ? loadPolicyText(readFileSync(join(dir, 'voldriver.yml'), 'utf8'), join(dir, 'voldriver.yml'))
      : loadBuiltinPolicy('builtin:default');
  return [undefined, ...policy.environments];
}

describe('render(B, render(A, file)) == render(B, file)', () => {
  it('has cases with several environments', () => {
    const several = cases.filter((name) => {
      const { args } = readCaseArgs(join(root, name));
      return environmentsOf(join(root, name), args).length >= 3;
    });
    expect(several.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of cases) {
    const dir = join(root, name);
    const spec = readCaseArgs(dir);
    if (spec.exit !== 0) continue;
    const files = ['-f', join(dir, 'compose.yml'), ...spec.args.flatMap((arg, i) => (spec.args[i - 1] === '-f' ? ['-f', arg] : []))];
    const rest = withoutFilesAndEnv(spec.args);
    const envArgs = (env: string | undefined) => (env === undefined ? [] : ['--env', env]);
    // Standard input has no directory to find voldriver.yml and .env in: name them.
    const beside = existsSync(join(dir, 'voldriver.yml')) && !rest.includes('--policy') ? ['--policy', join(dir, 'voldriver.yml')] : [];
    if (existsSync(join(dir, '.env')) && !rest.includes('--env-file')) beside.push('--env-file', join(dir, '.env'));
    const environments = environmentsOf(dir, spec.args);
    for (const a of environments) {
      for (const b of environments) {
        it(`${name}: ${a ?? '(none)'} then ${b ?? '(none)'}`, async () => {
          const direct = await run(['render', ...files, ...rest, ...envArgs(b)], spec.env);
          const first = await run(['render', ...files, ...rest, ...envArgs(a)], spec.env);
          // An environment the case gives no values for fails alike either way; only successful renders compare.
          if (first.code !== 0 || direct.code !== 0) return;
          const again = await run(['render', '-f', '-', ...rest, ...beside, ...envArgs(b)], spec.env, first.out);
          expect(again.code, again.err).toBe(0);
          expect(again.out).toBe(direct.out);
        });
      }
    }
  }
});

describe('what the user wrote survives a render of a rendered file', () => {
  // The class gives a templated constraint and name in prod only; the user's own match those templates.
  const policy = [
    'version: 1',
    'environments: [dev, prod]',
    'classes:',
    '  durable:',
    '    driver: local',
    '    environments:',
    '      prod: { name: "{dbname}", placement: ["node.labels.zone == {zone}"] }',
    '',
  ].join('\n');
  const compose = [
    'services:',
    '  db:',
    '    image: postgres',
    '    volumes: [data:/data]',
    '    deploy:',
    '      placement:',
    '        constraints:',
    '          - node.labels.zone == eu1',
    '          - node.role == worker',
    'volumes:',
    '  data:',
    '    x-voldriver: durable',
    '',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'cv-history-'));
  writeFileSync(join(dir, 'voldriver.yml'), policy);
  writeFileSync(join(dir, 'compose.yml'), compose);
  const policyArgs = ['--policy', join(dir, 'voldriver.yml'), '--set', 'zone=eu2', '--set', 'dbname=data-prod'];

  for (const [a, b] of [['dev', 'dev'], ['prod', 'dev'], ['dev', 'prod']]) {
    it(`${a} then ${b}: the user's constraint stays where the source keeps it`, async () => {
      const direct = await run(['render', '-f', join(dir, 'compose.yml'), ...policyArgs, '--env', b]);
      const first = await run(['render', '-f', join(dir, 'compose.yml'), ...policyArgs, '--env', a]);
      expect(first.code, first.err).toBe(0);
      const again = await run(['render', '-f', '-', ...policyArgs, '--env', b], {}, first.out);
      expect(again.out).toBe(direct.out);
      expect(again.out).toContain('- node.labels.zone == eu1');
    });
  }

  it("dev then dev: the user's name, which the class's name template matches, stays", async () => {
    writeFileSync(join(dir, 'named.yml'), compose.replace('x-voldriver: durable\n', 'x-voldriver: durable\n    name: legacy_data\n'));
    const first = await run(['render', '-f', join(dir, 'named.yml'), ...policyArgs, '--env', 'dev']);
    expect(first.out).toContain('name: legacy_data');
    const again = await run(['render', '-f', '-', ...policyArgs, '--env', 'dev'], {}, first.out);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toBe(first.out);
  });
});
