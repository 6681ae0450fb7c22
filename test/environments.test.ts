/** validate and explain over several environments: each on its own, reported per environment, the worst exit. */
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/program.js';
import { testIO } from './helpers/io.js';

async function run(args: string[]) {
  const io = testIO();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const stack = ['-f', 'fixtures/render/env-three/compose.yml'];
const values = ['--set', 'zone=eu-west-1a', '--set', 'nfs_server=10.0.0.5'];

describe('validate over several environments', () => {
  it('checks every environment of the policy with --all-environments and sums up each', async () => {
    const result = await run(['validate', ...stack, ...values, '--all-environments']);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/^aws: ok: 0 error\(s\), 2 warning\(s\), 4 info\nlaptop: ok: 0 error\(s\), 2 warning\(s\), 0 info\nonprem: ok: 0 error\(s\), 0 warning\(s\), 0 info\n$/m);
    expect(result.err).toContain('warning single-attach-replicated: [aws] volume "pgdata"');
    expect(result.err).toContain('warning node-local-storage: [laptop] volume "pgdata"');
  });

  it('exits with the worst result: one environment missing a value fails the run', async () => {
    const result = await run(['validate', ...stack, '--set', 'zone=eu-west-1a', '--env', 'laptop', '--env', 'onprem']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/error missing-parameter: \[onprem\] class "durable" needs a value for \{nfs_server\}/);
    expect(result.err).toMatch(/^laptop: ok: /m);
    expect(result.err).toMatch(/^onprem: 2 error\(s\)/m);
  });

  it('tags each finding with its environment in JSON', async () => {
    const result = await run(['validate', ...stack, ...values, '--env', 'aws', '--env', 'laptop', '--format', 'json']);
    const findings = JSON.parse(result.err) as { environment: string; code: string }[];
    expect(new Set(findings.map((f) => f.environment))).toEqual(new Set(['aws', 'laptop']));
    expect(findings.find((f) => f.environment === 'aws' && f.code === 'single-attach-replicated')).toBeDefined();
  });

  it('keeps the one-environment output as it was', async () => {
    const one = await run(['validate', ...stack, ...values, '--env', 'onprem']);
    expect(one.err).toBe('ok: 0 error(s), 0 warning(s), 0 info\n');
  });

  it('refuses --env together with --all-environments, and an unknown environment', async () => {
    expect((await run(['validate', ...stack, '--env', 'aws', '--all-environments'])).code).toBe(2);
    const unknown = await run(['validate', ...stack, '--env', 'aws', '--env', 'onprem-2']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown environment "onprem-2"/);
  });

  it('runs once without an environment for a policy that has none', async () => {
    const result = await run(['validate', '-f', 'fixtures/bad/ok.yml', '--all-environments']);
    expect(result.code).toBe(0);
    expect(result.err).toBe('ok: 0 error(s), 0 warning(s), 0 info\n');
  });
});

describe('explain over several environments', () => {
  it('prints a volume x environment table, then the findings of each', async () => {
    const result = await run(['explain', ...stack, ...values, '--env', 'laptop', '--env', 'aws', '--env', 'onprem']);
    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    expect(lines[0]).toBe('policy fixtures/render/env-three/voldriver.yml, environments laptop, aws, onprem');
    expect(lines[2]).toMatch(/^volume\s+class\s+laptop\s+aws\s+onprem$/);
    expect(lines[3]).toMatch(/^pgdata\s+durable\s+local !\s+rexray\/ebs volumetype=gp2 size=50 !\s+local type=nfs o=addr=10\.0\.0\.5,rw,nfsvers=4 device=:\/exports\/pgdata$/);
    expect(lines[5]).toMatch(/^cache\s+fast\s+local\s+local\s+local$/);
    expect(result.out).toContain('\nenvironment aws\n');
    expect(result.out).not.toContain('\nenvironment onprem\n');
  });

  it('gives JSON per environment', async () => {
    const result = await run(['explain', ...stack, ...values, '--all-environments', '--format', 'json']);
    const json = JSON.parse(result.out) as { policy: string; environments: { environment: string; volumes: { volume: string; driver: string }[] }[] };
    expect(json.environments.map((e) => e.environment)).toEqual(['aws', 'laptop', 'onprem']);
    expect(json.environments[0].volumes.find((v) => v.volume === 'pgdata')?.driver).toBe('rexray/ebs');
  });

  it('exits with the worst result', async () => {
    const result = await run(['explain', ...stack, '--set', 'zone=eu-west-1a', '--all-environments']);
    expect(result.code).toBe(1);
  });
});
