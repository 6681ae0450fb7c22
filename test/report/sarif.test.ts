/** SARIF 2.1.0 output: valid against the standard's schema, locations relative to the repository, one run per environment. */
import { mkdtempSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingRules, renderStack } from '../../src/index.js';
import { main } from '../../src/cli/program.js';
import { sarifLog, sarifUri } from '../../src/report/sarif.js';
import { testIO } from '../helpers/io.js';
import { sarifProblems } from '../helpers/sarif.js';

const stack = (env: string) =>
  renderStack({ files: ['examples/stack.yml'], policy: 'examples/voldriver.example.yml', environment: env, parameters: { zone: 'eu-west-1a', nfs_server: '10.0.0.2' } });

const options = { version: '1.2.3', rules: findingRules, root: process.cwd(), cwd: process.cwd() };

describe('sarifLog', () => {
  it('is valid SARIF 2.1.0 with one run per environment and a rule for every code', () => {
    const aws = stack('aws');
    const onprem = stack('onprem');
    const log = sarifLog(
      [
        { environment: 'aws', findings: aws.findings, file: 'examples/stack.yml' },
        { environment: 'onprem', findings: onprem.findings, file: 'examples/stack.yml' },
      ],
      options,
    );
    expect(sarifProblems(log)).toBe('');
    expect(log.runs.map((run) => run.automationDetails.id)).toEqual(['compose-voldriver/aws/', 'compose-voldriver/onprem/']);
    expect(log.runs[0].results).toHaveLength(aws.findings.length);
    expect(log.runs[1].results).toHaveLength(onprem.findings.length);
    const ids = log.runs[0].tool.driver.rules.map((rule) => rule.id);
    for (const code of ['single-attach-replicated', 'node-local-storage', 'driver-changed', 'unknown-class', 'schema']) expect(ids).toContain(code);
    const rule = log.runs[0].tool.driver.rules.find((r) => r.id === 'single-attach-replicated')!;
    expect(rule.defaultConfiguration.level).toBe('error');
    expect(rule.help.text).toContain('docs/checks.md#single-attach-replicated');
  });

  it('points each result at the finding\'s file, line and column, relative to the root, with the right rule and level', () => {
    const aws = stack('aws');
    const log = sarifLog([{ environment: 'aws', stack: 'web', findings: aws.findings }], options);
    const rules = log.runs[0].tool.driver.rules;
    const error = aws.findings.find((f) => f.code === 'single-attach-replicated')!;
    const result = log.runs[0].results.find((r) => r.ruleId === 'single-attach-replicated')!;
    expect(result.level).toBe('error');
    expect(rules[result.ruleIndex].id).toBe('single-attach-replicated');
    expect(result.locations![0].physicalLocation).toEqual({
      artifactLocation: { uri: 'examples/stack.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: error.line, startColumn: error.col },
    });
    expect(result.message.text).toMatch(/^\[environment aws, stack web\] service "web" has 2 replicas/);
    expect(result.message.text).toContain('\nHint: ');
    expect(result.properties).toEqual({ environment: 'aws', stack: 'web', volume: 'cache' });
    const info = log.runs[0].results.find((r) => r.ruleId === 'driver-changed')!;
    expect(info.level).toBe('note');
    const policyFinding = log.runs[0].results.find((r) => r.ruleId === 'legacy-driver')!;
    expect(policyFinding.locations![0].physicalLocation.artifactLocation.uri).toBe('examples/voldriver.example.yml');
  });

  it('writes paths relative to the root from any working directory, and outside the root as file: URIs', () => {
    const root = resolve('/repo');
    expect(sarifUri('compose.yml', { root, cwd: join(root, 'stacks/web') })).toEqual({ uri: 'stacks/web/compose.yml', uriBaseId: '%SRCROOT%' });
    expect(sarifUri('/elsewhere/a b.yml', { root, cwd: root })).toEqual({ uri: 'file:///elsewhere/a%20b.yml' });
    expect(sarifUri('dir with space/#1.yml', { root, cwd: root }).uri).toBe('dir%20with%20space/%231.yml');
  });

  it('locates a finding in a file outside the root at the stack file, saying where it is; outside too, at the file itself', () => {
    const root = resolve('/repo');
    const finding = { code: 'legacy-driver', severity: 'info' as const, message: 'm', file: '/etc/policies/p.yml', line: 3, col: 5 };
    const log = sarifLog([{ findings: [finding], file: 'stacks/web/compose.yml' }], { ...options, root, cwd: root });
    expect(sarifProblems(log)).toBe('');
    expect(log.runs[0].results[0].locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'stacks/web/compose.yml', uriBaseId: '%SRCROOT%' } } }]);
    expect(log.runs[0].results[0].message.text).toBe('m (at /etc/policies/p.yml:3:5)');
    const lone = sarifLog([{ findings: [finding], file: '/etc/compose.yml' }], { ...options, root, cwd: root });
    expect(lone.runs[0].results[0].locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'file:///etc/policies/p.yml' }, region: { startLine: 3, startColumn: 5 } } }]);
  });

  it('counts columns as the kind it declares: after an emoji on the line, the column is still at the value', () => {
    const line = '  pgdata: {labels: {x: "\u{1F680}\u{1F680}"}, driver_opts: {o: "addr=1"}}';
    const result = renderStack({ sources: [{ name: 'compose.yml', text: `services:\n  db:\n    image: x\n    volumes: [pgdata:/data]\nvolumes:\n${line}\n` }], variables: {} });
    const log = sarifLog([{ findings: result.findings, file: 'compose.yml' }], options);
    expect(sarifProblems(log)).toBe('');
    const result0 = log.runs[0].results.find((r) => r.ruleId === 'missing-option')!;
    const column = result0.locations![0].physicalLocation.region!.startColumn;
    expect(log.runs[0].columnKind).toBe('utf16CodeUnits');
    // The value "addr=1", counted in UTF-16 code units (each emoji is two) from 1.
    expect(line.slice(column - 1)).toMatch(/^"addr=1"/);
  });

  it('gives a finding without a position its stack file, and an unknown code a rule of its own', () => {
    const log = sarifLog([{ findings: [{ code: 'made-up', severity: 'warning', message: 'm' }], file: 'compose.yml' }], options);
    expect(sarifProblems(log)).toBe('');
    expect(log.runs[0].automationDetails.id).toBe('compose-voldriver/');
    const result = log.runs[0].results[0];
    expect(result.locations![0].physicalLocation).toEqual({ artifactLocation: { uri: 'compose.yml', uriBaseId: '%SRCROOT%' } });
    expect(log.runs[0].tool.driver.rules[result.ruleIndex].id).toBe('made-up');
  });

  it('points a finding inside a built-in policy at the stack file and names the place in the message', () => {
    const log = sarifLog(
      [{ findings: [{ code: 'legacy-driver', severity: 'info', message: 'old driver', file: 'builtin:aws', line: 12, col: 17 }], file: 'stacks/web/compose.yml' }],
      options,
    );
    expect(sarifProblems(log)).toBe('');
    const result = log.runs[0].results[0];
    expect(result.locations![0].physicalLocation).toEqual({ artifactLocation: { uri: 'stacks/web/compose.yml', uriBaseId: '%SRCROOT%' } });
    expect(result.message.text).toBe('old driver (at builtin:aws:12:17)');
  });

  it('is rejected by the schema validator when broken (the validator is not a rubber stamp)', () => {
    const log = sarifLog([{ findings: stack('aws').findings }], options) as unknown as { runs: { results: { level: string }[] }[] };
    log.runs[0].results[0].level = 'fatal';
    expect(sarifProblems(log)).toMatch(/level/);
  });
});

describe('--format sarif in the CLI', () => {
  it('validate prints SARIF on stdout with paths relative to the repository, from a subfolder', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'cv-sarif-'));
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'deploy/web'), { recursive: true });
    copyFileSync('examples/stack.yml', join(repo, 'deploy/web/stack.yml'));
    copyFileSync('examples/voldriver.example.yml', join(repo, 'deploy/web/voldriver.yml'));
    const io = testIO({ cwd: join(repo, 'deploy') });
    const code = await main(['validate', '-f', join(repo, 'deploy/web/stack.yml'), '--env', 'aws', '--set', 'zone=a', '--format', 'sarif'], io);
    expect(code, io.err).toBe(1);
    const log = JSON.parse(io.out);
    expect(sarifProblems(log)).toBe('');
    const uris = new Set(log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris].sort()).toEqual(['deploy/web/stack.yml', 'deploy/web/voldriver.yml']);
    expect(io.err).toBe('');
  });

  it('reports an error that stops the command (invalid YAML) as SARIF too, at its position', async () => {
    const io = testIO();
    const code = await main(['validate', '-f', 'fixtures/bad/invalid.yml', '--format', 'sarif'], io);
    expect(code).toBe(2);
    const log = JSON.parse(io.out);
    expect(sarifProblems(log)).toBe('');
    const [result] = log.runs[0].results;
    expect(result.ruleId).toBe('invalid-yaml');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('fixtures/bad/invalid.yml');
    expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
  });

  it('validate --all-environments writes one run per environment', async () => {
    const io = testIO();
    const code = await main(['validate', '-f', 'examples/stack.yml', '--policy', 'examples/voldriver.example.yml', '--all-environments', '--set', 'zone=a', '--set', 'nfs_server=n', '--format', 'sarif'], io);
    expect(code).toBe(1);
    const log = JSON.parse(io.out);
    expect(sarifProblems(log)).toBe('');
    expect(log.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual(['compose-voldriver/aws/', 'compose-voldriver/onprem/']);
  });

  it('render writes the file and SARIF on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-sarif-'));
    const io = testIO();
    const code = await main(['render', '-f', 'examples/stack.yml', '--policy', 'examples/voldriver.example.yml', '--env', 'onprem', '--set', 'nfs_server=n', '--format', 'sarif', '-o', join(dir, 'out.yml')], io);
    expect(code).toBe(0);
    const log = JSON.parse(io.err);
    expect(sarifProblems(log)).toBe('');
    // The output goes to another folder than the example's bind mount is relative to: that is said too.
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(['driver-changed', 'node-local-storage', 'relative-paths-moved']);
  });
});
