/**
 * The GitHub Action as a workflow runs it: the committed bundle (dist-action/index.cjs) started by Node 24 in a
 * workspace with no node_modules, inputs as INPUT_* variables, outputs, summary and SARIF read back from files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionYml, inputVariable, runBundle, runtime, workspace, type ActionRun } from '../helpers/action.js';
import { mermaidParse } from '../helpers/mermaid.js';
import { codeScanningProblems, sarifProblems } from '../helpers/sarif.js';

const { node, reason } = runtime();
// Outside CI a missing Node 24 skips these tests, saying why; under CI=true it fails them.
const suite = node || process.env.CI ? describe : describe.skip;
if (!node) console.warn(`Action tests: ${reason}`);

const example = readFileSync('examples/stack.yml', 'utf8');
const examplePolicy = readFileSync('examples/voldriver.example.yml', 'utf8');
const plainStack = 'services:\n  db:\n    image: postgres:16\n    volumes: [pg:/var/lib/postgresql/data]\nvolumes:\n  pg: {}\n';

/** A repository of two stacks, each with its policy beside it. */
function repository(prefix = ''): string {
  return workspace({
    [`${prefix}stacks/web/compose.yml`]: example,
    [`${prefix}stacks/web/voldriver.yml`]: examplePolicy,
    [`${prefix}stacks/db/compose.yml`]: plainStack,
  });
}

const line = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

suite('the committed Action bundle, run as the runner runs it', () => {
  beforeAll(() => {
    if (!node) throw new Error(`${reason} (CI=true: the Action must be tested)`);
  });

  it('action.yml: node24, main is the committed bundle, every input kebab-case, described, with a default', () => {
    expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist-action/index.cjs' });
    expect(Object.keys(actionYml.inputs).sort()).toEqual(
      ['environment', 'fail-on', 'files', 'mode', 'output', 'policy', 'sarif', 'set', 'stacks', 'target', 'working-directory'].sort(),
    );
    for (const [name, spec] of Object.entries(actionYml.inputs as Record<string, { description?: string; default?: string }>)) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(spec.description, name).toBeTruthy();
      expect(spec.default, name).toBeTypeOf('string');
    }
    expect(inputVariable('fail-on')).toBe('INPUT_FAIL-ON');
  });

  describe('a pull request check of every stack in every environment', () => {
    let run: ActionRun;
    beforeAll(() => {
      run = runBundle(repository(), { stacks: 'stacks/*/compose.yml', environment: 'all', set: 'zone=eu-west-1a\nnfs_server=10.0.0.9', sarif: 'results.sarif' });
    });

    it('fails the step on an error finding', () => {
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toContain('Failing: 1 error, 2 warnings, 7 info (fail-on: error).');
    });

    it('annotates the file, line and column of each finding, relative to the workspace, most severe first', () => {
      const compose = example;
      const [first, ...rest] = run.annotations;
      expect(first).toEqual({
        kind: 'error',
        props: { title: 'single-attach-replicated', file: 'stacks/web/compose.yml', line: String(line(compose, 'replicas: 2')), col: '17' },
        message: expect.stringMatching(/^\[aws \/ stacks\/web\] service "web" has 2 replicas and mounts volume "cache" \(rexray\/ebs\).*\nuse a multi-attach class/s),
      });
      expect(rest.map((a) => a.kind)).toEqual([...Array(2).fill('warning'), ...Array(7).fill('notice')]);
      const unpinned = run.annotations.find((a) => a.props.title === 'zone-unpinned')!;
      expect(unpinned.props).toMatchObject({ file: 'stacks/web/compose.yml', line: String(line(compose, '- cache:/var/cache/nginx')), col: '9' });
      const legacy = run.annotations.filter((a) => a.props.title === 'legacy-driver');
      expect(legacy.map((a) => a.props.file)).toEqual(['stacks/web/voldriver.yml', 'stacks/web/voldriver.yml', 'stacks/web/voldriver.yml']);
      expect(legacy.map((a) => Number(a.props.line)).sort((a, b) => a - b)).toEqual([12, 20, 35]);
    });

    it('sets the outputs: counts, changed, and what every volume becomes per environment and stack', () => {
      expect(JSON.parse(run.outputs.findings)).toEqual({ error: 1, warning: 2, info: 7 });
      expect(run.outputs.changed).toBe('true');
      expect(run.outputs['rendered-file']).toBe('');
      const volumes = JSON.parse(run.outputs.volumes);
      expect(Object.keys(volumes).sort()).toEqual(['aws', 'default', 'onprem']);
      expect(volumes.aws['stacks/web'].pgdata).toEqual({ class: 'durable', driver: 'rexray/ebs', options: { volumetype: 'gp2', size: '20' }, services: ['db'] });
      expect(volumes.onprem['stacks/web'].media).toEqual({
        class: 'shared',
        driver: 'local',
        options: { type: 'nfs', o: 'addr=10.0.0.9,rw,nfsvers=4.1', device: ':/exports/media' },
        services: ['web', 'app'],
      });
      expect(volumes.default['stacks/db']).toEqual({ pg: { class: null, driver: 'local', options: {}, services: ['db'] } });
    });

    it('writes a job summary: totals, a table per stack and environment, a diagram Mermaid parses, findings and the diff folded', async () => {
      const summary = run.summary;
      expect(summary).toContain('**1 error, 2 warnings, 7 info** in 2 stacks (environments aws, onprem). The step fails (fail-on: error).');
      expect(summary).toContain('| stacks/web | aws | 3 | 1 | 1 | 6 | changes (not written) |');
      expect(summary).toMatch(/^### stacks\/web\n\n```mermaid\n[\s\S]*?^#### environment aws\n[\s\S]*?^#### environment onprem\n/m);
      expect(summary).toMatch(/^### stacks\/db\n\n```mermaid\n[\s\S]*?^#### no environment\n/m);
      expect(summary).toContain('| volume | class | driver | options | services | findings |');
      expect(summary).toContain('| cache | fast | rexray/ebs | `volumetype=gp2` `size=5` | web | ⚠️ zone-unpinned, ❌ single-attach-replicated, ℹ️ driver-changed, ℹ️ legacy-driver |');
      expect(summary).toContain('| pgdata | durable | pxd | `size=20G` `repl=3` | db | ℹ️ driver-changed |');
      const diagrams = [...summary.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
      // One diagram per stack, its environments side by side.
      expect(diagrams).toHaveLength(2);
      for (const diagram of diagrams) expect(await mermaidParse(diagram)).toEqual({ type: 'flowchart-v2' });
      expect(diagrams[1]).toContain('subgraph g0["environment aws"]');
      expect(diagrams[1]).toContain('subgraph g1["environment onprem"]');
      expect(diagrams[1]).toMatch(/g1k\d+\{\{"durable"\}\}/);
      expect(diagrams[1]).toMatch(/g1d\d+\[\/"pxd"\/\]/);
      expect(summary).toMatch(/<details><summary>Diff of stacks\/web\/compose.yml<\/summary>\n\n```diff\n--- a\/stacks\/web\/compose.yml\n\+\+\+ b\/stacks\/web\/compose.yml/);
      expect(summary).toContain('+      com.compose-voldriver.class: "durable"');
      expect(summary).toContain('- ❌ **single-attach-replicated** `stacks/web/compose.yml:11:17`: service "web" has 2 replicas');
      expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
    });

    it('writes SARIF 2.1.0 that the schema accepts: one run per environment, every finding, repository paths', () => {
      const log = JSON.parse(readFileSync(join(run.workspace, 'results.sarif'), 'utf8'));
      expect(sarifProblems(log)).toBe('');
      expect(codeScanningProblems(log)).toBe('');
      expect(log.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual([
        'compose-voldriver/',
        'compose-voldriver/aws/',
        'compose-voldriver/onprem/',
      ]);
      const results = log.runs.flatMap((r: { results: unknown[] }) => r.results);
      expect(results).toHaveLength(10);
      const error = log.runs[1].results.find((r: { ruleId: string }) => r.ruleId === 'single-attach-replicated');
      expect(error.locations[0].physicalLocation).toEqual({
        artifactLocation: { uri: 'stacks/web/compose.yml', uriBaseId: '%SRCROOT%' },
        region: { startLine: 11, startColumn: 17 },
      });
      expect(error.properties).toEqual({ environment: 'aws', stack: 'stacks/web', volume: 'cache' });
    });
  });

  it('stacks: each real compose file once, symbolic links followed by * and ** alike, a broken one reported, other files skipped', () => {
    const ws = repository();
    writeFileSync(join(ws, 'stacks/README.md'), '# Stacks\n\nOne folder each.\n');
    mkdirSync(join(ws, 'shared/cache'), { recursive: true });
    writeFileSync(join(ws, 'shared/cache/compose.yml'), plainStack);
    symlinkSync('../shared/cache', join(ws, 'stacks/cache'));
    symlinkSync('web', join(ws, 'stacks/alias'));
    symlinkSync('..', join(ws, 'stacks/loop'));
    mkdirSync(join(ws, 'stacks/broken'));
    symlinkSync('/nonexistent/compose.yml', join(ws, 'stacks/broken/compose.yml'));
    const expected = ['stacks/broken', 'stacks/cache', 'stacks/db', 'stacks/web'];
    for (const stacks of ['stacks/*', 'stacks/**/compose.yml', 'stacks/**/**/compose.yml', 'stacks/*\nstacks/**/compose.yml\nstacks/alias']) {
      const run = runBundle(ws, { stacks, environment: 'aws', set: 'zone=a', 'fail-on': 'never' });
      expect(run.code, run.stdout).toBe(0);
      expect(run.summary.match(/^\| stacks\/\S+ \| aws \|/gm)?.map((row) => row.split(' ')[1]).sort(), stacks).toEqual(expected);
      expect(run.annotations.find((a) => a.props.file === 'stacks/broken/compose.yml')?.message, stacks).toBe('[aws / stacks/broken] cannot read stacks/broken/compose.yml: it is a symbolic link to /nonexistent/compose.yml, which does not exist');
    }
  });

  it('a stack reached through a symbolic link is annotated, summarised and in SARIF at its files\' own paths in the repository', () => {
    const ws = workspace({ 'shared/web/compose.yml': example, 'shared/web/voldriver.yml': examplePolicy });
    mkdirSync(join(ws, 'stacks'));
    symlinkSync('../shared/web', join(ws, 'stacks/web'));
    const run = runBundle(ws, { stacks: 'stacks/*', environment: 'aws', set: 'zone=a', 'fail-on': 'never', sarif: 'r.sarif' });
    expect(run.code, run.stdout).toBe(0);
    expect(Object.keys(JSON.parse(run.outputs.volumes).aws)).toEqual(['stacks/web']);
    const files = new Set(run.annotations.map((a) => a.props.file));
    expect([...files].sort()).toEqual(['shared/web/compose.yml', 'shared/web/voldriver.yml']);
    expect(run.summary).toContain('- ❌ **single-attach-replicated** `shared/web/compose.yml:11:17`');
    expect(run.summary).toContain('<summary>Diff of shared/web/compose.yml</summary>');
    const log = JSON.parse(readFileSync(join(ws, 'r.sarif'), 'utf8'));
    const uris = new Set(log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris].sort()).toEqual(['shared/web/compose.yml', 'shared/web/voldriver.yml']);
  });

  it('fail-on: never reports the same findings and passes the step', () => {
    const run = runBundle(repository(), { stacks: 'stacks/*/compose.yml', environment: 'aws', set: 'zone=a', 'fail-on': 'never' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.annotations.filter((a) => a.kind === 'error')).toHaveLength(1);
    expect(run.summary).toContain('The step passes (fail-on: never).');
  });

  it('set is shared: a key one stack or environment uses is not reported in the others; one nobody uses is', () => {
    const run = runBundle(repository(), { stacks: 'stacks/*/compose.yml', environment: 'all', set: 'zone=a\nnfs_server=n\ncolour=red', 'fail-on': 'never' });
    expect(run.code, run.stderr).toBe(0);
    const about = (key: string) => run.annotations.filter((a) => /parameter/.test(a.props.title) && a.message.includes(`set input, ${key}:`));
    expect(about('zone')).toEqual([]);
    expect(about('nfs_server')).toEqual([]);
    expect(about('colour').map((a) => a.kind)).toEqual(['warning', 'warning']);
  });

  it('hints name the set and policy inputs, not command-line flags', () => {
    const run = runBundle(repository(), { files: 'stacks/web/compose.yml', environment: 'aws', set: 'colour=red', 'fail-on': 'never' });
    expect(run.code, run.stderr).toBe(0);
    const missing = run.annotations.find((a) => a.props.title === 'missing-parameter')!;
    expect(missing.message).toMatch(/\nadd zone=VALUE to the set input, set VOLDRIVER_ZONE, or add "zone" to the class parameters/);
    const unknown = run.annotations.find((a) => a.props.title === 'unknown-parameter')!;
    expect(unknown.message).toMatch(/^\[aws\] set input, colour: no placeholder of policy stacks\/web\/voldriver.yml uses "colour"/);
    expect(run.stdout + run.summary).not.toMatch(/--set|--env-file|--policy/);
  });

  it('no hint names a command-line flag the Action has no input for: --env, an empty --set, --profile, --resolve', () => {
    const policy = 'version: 1\nclasses:\n  fast: { driver: local, labels: { env: "{env}", size: "{size}" } }\n';
    const stack = 'services:\n  db:\n    image: postgres:16\n    volumes: [pg:/d]\n    profiles: [batch]\n  web:\n    image: nginx\n    depends_on: [db]\nvolumes: {pg: {x-voldriver: fast}}\n';
    const ws = workspace({ 'compose.yml': stack, 'voldriver.yml': policy });
    const profile = runBundle(ws, { 'fail-on': 'never' });
    expect(profile.annotations).toEqual([
      expect.objectContaining({ message: 'service "web" depends on service "db", which is disabled: none of its profiles (batch) is active\nactivate one of them with COMPOSE_PROFILES in the step\'s env, or mark the dependency "required: false"' }),
    ]);
    const run = runBundle(ws, { set: 'size=', 'fail-on': 'never' }, { COMPOSE_PROFILES: 'batch' });
    const messages = Object.fromEntries(run.annotations.map((a) => [`${a.props.title} ${a.props.col}`, a.message]));
    expect(messages).toEqual({
      'missing-parameter 41': 'class "fast" needs a value for {env} (volume "pg")\n{env} is the name of the environment the run renders for, and it has none: give the environment input',
      'missing-parameter 56': 'class "fast" needs a value for {size} (volume "pg"): size= in the set input is empty, which gives no value\nadd size=VALUE to the set input, set VOLDRIVER_SIZE, or add "size" to the class parameters or the volume\'s x-voldriver',
    });
    writeFileSync(join(ws, 'plain.yml'), 'version: 1\nclasses:\n  fast: { driver: local, labels: { a: b } }\n');
    const flow = runBundle(ws, { policy: 'plain.yml', 'fail-on': 'never' }, { COMPOSE_PROFILES: 'batch' });
    expect(flow.annotations).toEqual([
      expect.objectContaining({ message: 'the top-level volumes mapping is written in flow style ({ ... }) and render edits it in place only in block style\nwrite it in block style (one key per line)' }),
    ]);
    for (const text of [profile.stdout, profile.summary, run.stdout, run.summary, flow.stdout, flow.summary]) expect(text).not.toMatch(/\s--?(env|set|profile|resolve|p)\b/);
  });

  it('fail-on: warning fails on a warning alone; fail-on: error does not', () => {
    const onprem = { files: 'stacks/web/compose.yml', environment: 'onprem', set: 'nfs_server=n' };
    expect(runBundle(repository(), { ...onprem, 'fail-on': 'warning' }).code).toBe(1);
    expect(runBundle(repository(), onprem).code).toBe(0);
  });

  it('takes fail-on, mode and target in any case', () => {
    const ws = repository();
    const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set: 'nfs_server=n', 'fail-on': 'Warning', mode: 'RENDER', target: 'Swarm', output: 'out.yml' });
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain('(fail-on: warning)');
    expect(run.summary).toContain('## compose-voldriver: render');
    expect(run.stdout).not.toContain('is not one of');
  });

  it('shows at most 10 errors, 10 warnings and 10 notices, the most severe first; the rest are in the summary and SARIF', () => {
    const services = Array.from({ length: 14 }, (_, i) =>
      [`  app${i}:`, '    image: app', '    volumes:', `      - data${i}:/data`, '    deploy:', '      replicas: 3'].join('\n'),
    ).join('\n');
    // Class fast in aws: a single-attach EBS volume (an error with 3 replicas) without a zone constraint (a warning).
    const volumes = Array.from({ length: 14 }, (_, i) => `  data${i}:\n    x-voldriver: fast`).join('\n');
    const ws = workspace({ 'compose.yml': `services:\n${services}\nvolumes:\n${volumes}\n`, 'voldriver.yml': examplePolicy });
    const run = runBundle(ws, { environment: 'aws', set: 'zone=a', sarif: 'out/results.sarif' });
    expect(run.code).toBe(1);
    const kinds = run.annotations.map((a) => a.kind);
    expect(kinds.filter((k) => k === 'error')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'warning')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'notice')).toHaveLength(10);
    expect(kinds.indexOf('warning')).toBeGreaterThan(kinds.lastIndexOf('error'));
    const counts = JSON.parse(run.outputs.findings);
    expect(counts.error).toBe(14);
    expect(counts.warning).toBe(14);
    expect(run.stdout).toContain(`${counts.error + counts.warning + counts.info - 30} more finding(s) (4 error(s), 4 warning(s), ${counts.info - 10} info) have no annotation`);
    expect(run.summary.match(/^- ❌ \*\*single-attach-replicated\*\*/gm)).toHaveLength(14);
    expect(run.summary).toContain("past the runner's 10 annotations per severity are listed here, in the log and in the SARIF file.");
    expect(run.stdout).toContain('the runner shows 10 per severity. All are in the log above, the job summary and the SARIF file.');
    // Without a SARIF file, none is named.
    const bare = runBundle(ws, { environment: 'aws', set: 'zone=a' });
    expect(bare.summary).toContain("past the runner's 10 annotations per severity are listed here and in the log.");
    expect(bare.stdout).toContain('the runner shows 10 per severity. All are in the log above and the job summary.');
    const log = JSON.parse(readFileSync(join(ws, 'out/results.sarif'), 'utf8'));
    expect(sarifProblems(log)).toBe('');
    expect(log.runs[0].results).toHaveLength(counts.error + counts.warning + counts.info);
  });

  it('a stack whose render changes more than 1,000 lines has its diff left out, saying so, instead of taking minutes to make it', () => {
    const n = 1200;
    const services = Array.from({ length: n }, (_, i) => `  s${i}:\n    image: x\n    volumes: [cache${i}:/c]`).join('\n');
    const volumes = Array.from({ length: n }, (_, i) => `  cache${i}: {}`).join('\n');
    const ws = workspace({ 'compose.yml': `services:\n${services}\nvolumes:\n${volumes}\n`, 'voldriver.yml': examplePolicy });
    const run = runBundle(ws, { environment: 'aws', 'fail-on': 'never' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.changed).toBe('true');
    expect(run.summary).toContain('_Diff of compose.yml left out: more than 1,000 lines change._');
    expect(run.summary).not.toContain('```diff');
  }, 60_000);

  it('an output larger than GitHub keeps for a job is left out whole with a warning, never cut into invalid JSON; the others are set', () => {
    const n = 5000;
    const device = `/srv/${'x'.repeat(150)}`;
    const mounts = Array.from({ length: n }, (_, i) => `      - v${i}:/d${i}`).join('\n');
    const volumes = Array.from({ length: n }, (_, i) => `  v${i}:\n    driver_opts: { type: none, o: bind, device: ${device}/${i} }`).join('\n');
    const ws = workspace({ 'compose.yml': `services:\n  app:\n    image: x\n    volumes:\n${mounts}\nvolumes:\n${volumes}\n` });
    const run = runBundle(ws, {});
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toEqual({ findings: '{"error":0,"warning":0,"info":0}', changed: 'false', 'rendered-file': '' });
    const [warning] = run.annotations;
    expect(warning).toEqual({ kind: 'warning', props: { title: 'output-too-large' }, message: expect.stringMatching(/^output volumes is not set: it is 1,3\d\d,\d{3} bytes, and GitHub keeps at most 1,048,576 bytes of a job's outputs/) });
    const total = Object.entries(run.outputs).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
    expect(total).toBeLessThanOrEqual(1024 * 1024);
    // Under the limit, the same stack's volumes output is set whole.
    const small = workspace({ 'compose.yml': `services:\n  app:\n    image: x\n    volumes:\n${mounts.split('\n').slice(0, 100).join('\n')}\nvolumes:\n${volumes.split('\n').slice(0, 200).join('\n')}\n` });
    const fits = runBundle(small, {});
    expect(Object.keys(JSON.parse(fits.outputs.volumes).default[small.split('/').pop()!])).toHaveLength(100);
    expect(fits.annotations).toEqual([]);
  }, 60_000);

  it('SARIF keeps the 25,000 most severe results of a run, as code scanning takes no more, and says how many it left out', () => {
    const n = 2600;
    const options = Array.from({ length: 10 }, (_, k) => `      opt${k}: x`).join('\n');
    const volumes = Array.from({ length: n }, (_, i) => `  v${i}:\n    driver: rexray/ebs\n    driver_opts:\n${options}`).join('\n');
    const mounts = Array.from({ length: n }, (_, i) => `      - v${i}:/d${i}`).join('\n');
    const ws = workspace({ 'compose.yml': `services:\n  app:\n    image: x\n    volumes:\n${mounts}\nvolumes:\n${volumes}\n` });
    const run = runBundle(ws, { 'fail-on': 'never', sarif: 'r.sarif' });
    expect(run.code, run.stderr).toBe(0);
    const counts = JSON.parse(run.outputs.findings);
    expect(counts).toEqual({ error: 0, warning: 10 * n, info: n });
    const log = JSON.parse(readFileSync(join(ws, 'r.sarif'), 'utf8'));
    expect(sarifProblems(log)).toBe('');
    expect(log.runs[0].results).toHaveLength(25_000);
    expect(log.runs[0].results.every((r: { level: string }) => r.level === 'warning')).toBe(true);
    expect(log.runs[0].properties).toEqual({ resultsLeftOut: 11 * n - 25_000 });
    expect(run.stdout).toContain(`SARIF: ${11 * n - 25_000} least severe result(s) of compose-voldriver/ left out: code scanning refuses a run of more than 25000.`);
  }, 60_000);

  it('render mode writes each environment where output says, the same text as the CLI renders, and names the files', () => {
    const ws = repository();
    const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem\nbase', mode: 'render', output: 'rendered/{env}.yml', set: 'nfs_server=10.0.0.9' });
    // "base" is not an environment of the policy: that stack is refused, the other still written.
    expect(run.code).toBe(1);
    expect(run.annotations[0]).toMatchObject({ kind: 'error', props: { title: 'invalid-input' } });
    expect(run.annotations[0].message).toMatch(/base/);
    expect(run.outputs['rendered-file']).toBe(join(ws, 'rendered/onprem.yml'));
    expect(existsSync(join(ws, 'rendered/base.yml'))).toBe(false);
    const cli = spawnSync(process.execPath, ['bin/compose-voldriver.cjs', 'render', '-f', join(ws, 'stacks/web/compose.yml'), '--env', 'onprem', '--set', 'nfs_server=10.0.0.9'], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(readFileSync(join(ws, 'rendered/onprem.yml'), 'utf8')).toBe(cli.stdout);
  });

  it('render mode with several stacks and environments puts each at its {stack} and {env}, by default under RUNNER_TEMP', () => {
    const ws = repository();
    const run = runBundle(ws, { stacks: 'stacks/*', environment: 'aws\nonprem', mode: 'render', set: 'zone=a\nnfs_server=n', 'fail-on': 'never' });
    expect(run.code, run.stderr).toBe(0);
    const files = run.outputs['rendered-file'].split('\n');
    // stacks/web in aws has an error: nothing is written for it.
    expect(files).toEqual([
      join(run.runnerTemp, 'compose-voldriver/stacks/db/aws.yml'),
      join(run.runnerTemp, 'compose-voldriver/stacks/db/onprem.yml'),
      join(run.runnerTemp, 'compose-voldriver/stacks/web/onprem.yml'),
    ]);
    for (const file of files) expect(existsSync(file)).toBe(true);
    expect(existsSync(join(run.runnerTemp, 'compose-voldriver/stacks/web/aws.yml'))).toBe(false);
  });

  it('render mode by default keeps each step of a job apart: a second step renders beside the first, not over the file it named', () => {
    const policy = 'version: 1\nclasses:\n  durable: { driver: local, labels: { site: "{site}" } }\n';
    const ws = workspace({ 'stacks/db/compose.yml': plainStack.replace('pg: {}', 'pg:\n    x-voldriver: durable'), 'stacks/db/voldriver.yml': policy });
    const shared = mkdtempSync(join(tmpdir(), 'cv-runner-temp-'));
    const first = runBundle(ws, { files: 'stacks/db/compose.yml', mode: 'render', set: 'site=berlin' }, { RUNNER_TEMP: shared, GITHUB_ACTION: '__compose-voldriver' });
    const second = runBundle(ws, { files: 'stacks/db/compose.yml', mode: 'render', set: 'site=paris' }, { RUNNER_TEMP: shared, GITHUB_ACTION: '__compose-voldriver_2' });
    expect(first.outputs['rendered-file']).toBe(join(shared, 'compose-voldriver/__compose-voldriver/stacks/db/default.yml'));
    expect(second.outputs['rendered-file']).toBe(join(shared, 'compose-voldriver/__compose-voldriver_2/stacks/db/default.yml'));
    // The first step's file is still what it rendered.
    expect(readFileSync(first.outputs['rendered-file'], 'utf8')).toContain('site: "berlin"');
    expect(readFileSync(second.outputs['rendered-file'], 'utf8')).toContain('site: "paris"');
    // A step name that is no plain folder name stays one folder below compose-voldriver.
    const odd = runBundle(ws, { files: 'stacks/db/compose.yml', mode: 'render', set: 'site=rome' }, { RUNNER_TEMP: shared, GITHUB_ACTION: '../x' });
    expect(odd.outputs['rendered-file']).toBe(join(shared, 'compose-voldriver/.._x/stacks/db/default.yml'));
  });

  it('render mode warns when a file with relative paths is written away from its project directory, as render -o does', () => {
    const stack = 'services:\n  web:\n    image: nginx\n    volumes:\n      - ./conf:/etc/nginx/conf.d\n      - data:/data\nvolumes:\n  data:\n    x-voldriver: durable\n';
    const ws = workspace({ 'app/compose.yml': stack });
    const away = runBundle(ws, { files: 'app/compose.yml', mode: 'render', output: 'rendered/{env}.yml' });
    expect(away.code, away.stderr).toBe(0);
    const warning = away.annotations.find((a) => a.props.title === 'relative-paths-moved');
    expect(warning?.kind).toBe('warning');
    expect(warning?.message).toContain(`rendered/default.yml is written in ${join(ws, 'rendered')}, not in the project directory ${join(ws, 'app')} that its relative paths are relative to: ./conf (services.web.volumes.0)`);
    // Beside its project directory, and with fail-on: warning, the same render is clean.
    const beside = runBundle(ws, { files: 'app/compose.yml', mode: 'render', output: 'app/compose.{env}.yml', 'fail-on': 'warning' });
    expect(beside.code, beside.stdout).toBe(0);
    expect(beside.annotations.filter((a) => a.props.title === 'relative-paths-moved')).toEqual([]);
    const strict = runBundle(ws, { files: 'app/compose.yml', mode: 'render', output: 'strict/{env}.yml', 'fail-on': 'warning' });
    expect(strict.code).toBe(1);
    // The warning fails the step: the file it is about is not written, as render --strict writes nothing.
    expect(strict.annotations.map((a) => a.props.title)).toEqual(['relative-paths-moved']);
    expect(existsSync(join(ws, 'strict'))).toBe(false);
    expect(strict.outputs['rendered-file']).toBe('');
  });

  it('render mode writes no stack whose findings fail the step: an error always, a warning under fail-on: warning', () => {
    const ws = repository();
    const inputs = { stacks: 'stacks/*', environment: 'onprem', set: 'nfs_server=n', mode: 'render', output: 'out/{stack}.yml' };
    // stacks/web has a warning (node-local-storage) in onprem; stacks/db has none.
    const lenient = runBundle(ws, inputs);
    expect(lenient.code, lenient.stdout).toBe(0);
    expect(lenient.outputs['rendered-file'].split('\n')).toEqual([join(ws, 'out/stacks/db.yml'), join(ws, 'out/stacks/web.yml')]);
    const ws2 = repository();
    const strict = runBundle(ws2, { ...inputs, 'fail-on': 'warning' });
    expect(strict.code).toBe(1);
    expect(strict.outputs['rendered-file']).toBe(join(ws2, 'out/stacks/db.yml'));
    expect(existsSync(join(ws2, 'out/stacks/web.yml'))).toBe(false);
    expect(strict.summary).toMatch(/^\| stacks\/web \| onprem \| 3 \| 0 \| 1 \| \d+ \| changes \(not written\) \|$/m);
  });

  it('refuses an output without {env} when several environments are rendered, writing nothing', () => {
    const ws = repository();
    const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'aws\nonprem', mode: 'render', output: 'out.yml', set: 'zone=a\nnfs_server=n' });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([{ kind: 'error', props: {}, message: 'input output: "out.yml" needs {env} in it: several environments are rendered' }]);
    expect(existsSync(join(ws, 'out.yml'))).toBe(false);
  });

  it('render mode refuses an output outside the workspace and RUNNER_TEMP, or over a file it reads, writing nothing', () => {
    const ws = repository();
    const outside = runBundle(ws, { stacks: 'stacks/*', mode: 'render', output: '../{stack}-{env}.yml', 'fail-on': 'never' });
    expect(outside.code).toBe(1);
    expect(outside.annotations).toEqual([
      { kind: 'error', props: {}, message: expect.stringMatching(/^input output: "\.\.\/\{stack\}-\{env\}\.yml" would write \S+, outside the workspace \(/) },
    ]);
    expect(existsSync(join(ws, '../stacks'))).toBe(false);
    const before = readFileSync(join(ws, 'stacks/db/compose.yml'), 'utf8');
    const over = runBundle(ws, { stacks: 'stacks/*', mode: 'render', output: '{stack}/compose.yml', environment: 'aws', set: 'zone=a' });
    expect(over.code).toBe(1);
    expect(over.annotations[0].message).toBe(`input output: "{stack}/compose.yml" would write over ${join(ws, 'stacks/db/compose.yml')}, a file this run reads`);
    expect(readFileSync(join(ws, 'stacks/db/compose.yml'), 'utf8')).toBe(before);
    // An absolute path in RUNNER_TEMP, as ${{ runner.temp }} gives it, is fine.
    const runnerTemp = mkdtempSync(join(tmpdir(), 'cv-runner-temp-'));
    const temp = runBundle(ws, { files: 'stacks/db/compose.yml', mode: 'render', output: `${runnerTemp}/r/{env}.yml` }, { RUNNER_TEMP: runnerTemp });
    expect(temp.code, temp.stdout).toBe(0);
    expect(temp.outputs['rendered-file']).toBe(join(runnerTemp, 'r/default.yml'));
  });

  it('a SARIF or output path that cannot be written fails the step with one message, not a stack trace', () => {
    const ws = workspace({ 'compose.yml': plainStack, 'reports/keep': '', 'rendered': 'a file, not a folder\n' });
    const sarif = runBundle(ws, { sarif: 'reports' });
    expect(sarif.code).toBe(1);
    expect(sarif.annotations).toEqual([{ kind: 'error', props: {}, message: `input sarif: "reports" names a folder (${join(ws, 'reports')}), not a file: give a file name, e.g. reports/results.sarif` }]);
    const output = runBundle(ws, { mode: 'render', output: 'rendered/{env}.yml' });
    expect(output.code).toBe(1);
    expect(output.annotations).toEqual([
      { kind: 'error', props: {}, message: `input output: cannot write ${join(ws, 'rendered/default.yml')}: a part of the path is a file, not a folder` },
    ]);
    expect(sarif.stdout + output.stdout).not.toMatch(/internal error|\n\s+at /);
    // With more errors than the runner shows, the one about the SARIF path is still among those it shows: the only one.
    const services = Array.from({ length: 12 }, (_, i) => `  app${i}:\n    image: x\n    volumes: [data${i}:/d]\n    deploy: { replicas: 3 }`).join('\n');
    const volumes = Array.from({ length: 12 }, (_, i) => `  data${i}:\n    x-voldriver: fast`).join('\n');
    const many = workspace({ 'compose.yml': `services:\n${services}\nvolumes:\n${volumes}\n`, 'voldriver.yml': examplePolicy, 'reports/keep': '' });
    const late = runBundle(many, { environment: 'aws', set: 'zone=a', sarif: 'reports' });
    expect(late.code).toBe(1);
    expect(late.annotations).toEqual([{ kind: 'error', props: {}, message: `input sarif: "reports" names a folder (${join(many, 'reports')}), not a file: give a file name, e.g. reports/results.sarif` }]);
  });

  it('a path the system cannot look at (a loop of symbolic links, a name too long) fails the step with one message naming the input, not a stack trace', () => {
    const ws = workspace({ 'compose.yml': plainStack });
    symlinkSync('loop-b', join(ws, 'loop-a'));
    symlinkSync('loop-a', join(ws, 'loop-b'));
    symlinkSync('self.yml', join(ws, 'self.yml'));
    const long = 'x'.repeat(300);
    const loop = 'too many levels of symbolic links';
    const tooLong = 'the file name is too long';
    for (const [inputs, message] of [
      [{ files: 'self.yml' }, `input files: cannot read self.yml: ${loop}`],
      [{ files: `${long}/compose.yml` }, `input files: cannot read ${long}/compose.yml: ${tooLong}`],
      [{ 'working-directory': 'loop-a' }, `input working-directory: "loop-a" is not a folder of the workspace (${join(ws, 'loop-a')}): ${loop}`],
      [{ 'working-directory': long }, `input working-directory: "${long}" is not a folder of the workspace (${join(ws, long)}): ${tooLong}`],
      [{ sarif: 'loop-a/results.sarif' }, `input sarif: cannot write ${join(ws, 'loop-a/results.sarif')}: ${loop}`],
      [{ sarif: `${long}.sarif` }, `input sarif: cannot write ${join(ws, `${long}.sarif`)}: ${tooLong}`],
      [{ mode: 'render', output: 'loop-a' }, `input output: cannot write ${join(ws, 'loop-a')}: ${loop}`],
      [{ mode: 'render', output: `rendered/${long}-{env}.yml` }, `input output: cannot write ${join(ws, `rendered/${long}-default.yml`)}: ${tooLong}`],
    ] as const) {
      const run = runBundle(ws, inputs);
      const what = JSON.stringify(inputs).slice(0, 80);
      expect(run.code, what).toBe(1);
      expect(run.annotations, what).toEqual([{ kind: 'error', props: {}, message }]);
      expect(run.stdout, what).not.toMatch(/internal error|\n\s+at /);
      expect(existsSync(join(ws, 'rendered')), what).toBe(false);
    }
    // The files are otherwise fine: the same run with usable paths passes.
    expect(runBundle(ws, { files: 'compose.yml', sarif: 'results.sarif' }).code).toBe(0);
  });

  it('a job summary or outputs file the runner gave that cannot be written is one line, not an internal error with a stack trace', () => {
    const ws = workspace({ 'compose.yml': plainStack });
    const summary = runBundle(ws, {}, { GITHUB_STEP_SUMMARY: join(ws, 'no/such/folder/summary.md') });
    // GitHub leaves a step's status alone when its summary cannot be kept: a warning, and the outputs are set.
    expect(summary.code, summary.stdout).toBe(0);
    expect(summary.annotations).toEqual([{ kind: 'warning', props: { title: 'summary-not-written' }, message: expect.stringMatching(/^job summary not written: Unable to access summary file: '.*summary\.md'/) }]);
    expect(summary.outputs.findings).toBe('{"error":0,"warning":0,"info":0}');
    const outputs = runBundle(ws, {}, { GITHUB_OUTPUT: join(ws, 'no/such/folder/output.txt') });
    expect(outputs.code).toBe(1);
    expect(outputs.annotations).toEqual([{ kind: 'error', props: {}, message: `cannot set the step's outputs in GITHUB_OUTPUT (${join(ws, 'no/such/folder/output.txt')}): Missing file at path: ${join(ws, 'no/such/folder/output.txt')}` }]);
    expect(summary.stdout + outputs.stdout).not.toMatch(/internal error|\n\s+at /);
  });

  it('an output or sarif path that names a folder (a trailing /, ., an existing folder) fails the step before anything is written', () => {
    const ws = repository();
    mkdirSync(join(ws, 'out/stacks/db.yml'), { recursive: true });
    for (const [input, value, path] of [
      ['output', 'rendered/{stack}/', 'rendered/stacks/db'],
      ['output', '{stack}/..', 'stacks'],
      ['output', 'out/{stack}.yml', 'out/stacks/db.yml'],
      ['sarif', 'reports/', 'reports'],
      ['sarif', 'stacks/..', ''],
    ]) {
      const run = runBundle(ws, { stacks: 'stacks/*', environment: 'onprem', set: 'nfs_server=n', mode: 'render', output: 'rendered/{stack}.yml', [input]: value, 'fail-on': 'never' });
      expect(run.code, value).toBe(1);
      const example = input === 'sarif' ? 'reports/results.sarif' : 'rendered/{stack}/{env}.yml';
      expect(run.annotations, value).toEqual([{ kind: 'error', props: {}, message: `input ${input}: "${value}" names a folder (${path ? join(ws, path) : ws}), not a file: give a file name, e.g. ${example}` }]);
      // Not a file named after the folder, and not the stacks written before the one that meets the folder.
      expect(existsSync(join(ws, 'rendered')), value).toBe(false);
      expect(existsSync(join(ws, 'reports')), value).toBe(false);
      expect(existsSync(join(ws, 'out/stacks/web.yml')), value).toBe(false);
    }
  });

  it('two renders that output would write to one file fail the step, writing nothing, instead of the last replacing the first', () => {
    const policy = 'version: 1\nenvironments: [prod, prod-eu]\nclasses:\n  durable: { driver: local }\n';
    const ws = workspace({ 'stacks/web/compose.yml': plainStack, 'stacks/eu-web/compose.yml': plainStack, 'policy.yml': policy });
    const run = runBundle(ws, { 'working-directory': 'stacks', stacks: '*', policy: '../policy.yml', environment: 'all', mode: 'render', output: '../out/{env}-{stack}.yml' });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([
      {
        kind: 'error',
        props: {},
        message: `input output: "../out/{env}-{stack}.yml" writes ${join(ws, 'out/prod-eu-web.yml')} for both eu-web [prod] and web [prod-eu]: nothing was written\nhint: keep {stack} and {env} apart, e.g. rendered/{stack}/{env}.yml`,
      },
    ]);
    expect(existsSync(join(ws, 'out'))).toBe(false);
    const apart = runBundle(ws, { 'working-directory': 'stacks', stacks: '*', policy: '../policy.yml', environment: 'all', mode: 'render', output: '../out/{stack}/{env}.yml' });
    expect(apart.code, apart.stdout).toBe(0);
    expect(apart.outputs['rendered-file'].split('\n')).toHaveLength(4);
  });

  it('paths stay relative to the workspace with a working-directory', () => {
    const ws = repository('deploy/');
    const run = runBundle(ws, { 'working-directory': 'deploy', files: 'stacks/web/compose.yml', environment: 'aws', set: 'zone=a', sarif: 'results.sarif' });
    expect(run.annotations[0].props.file).toBe('deploy/stacks/web/compose.yml');
    expect(run.summary).toContain('- ❌ **single-attach-replicated** `deploy/stacks/web/compose.yml:11:17`');
    const log = JSON.parse(readFileSync(join(ws, 'deploy/results.sarif'), 'utf8'));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^deploy\/stacks\/web\//);
  });

  it('a working-directory that is not a folder fails the step, instead of checking the compose file of a parent', () => {
    const ws = workspace({ 'compose.yml': plainStack });
    const run = runBundle(ws, { 'working-directory': 'deploy/typo' });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([{ kind: 'error', props: {}, message: `input working-directory: "deploy/typo" is not a folder of the workspace (${join(ws, 'deploy/typo')})` }]);
    expect(run.outputs).toEqual({});
  });

  it('paths written for Windows, or absolute inside the workspace, name the same files and stacks as relative ones', () => {
    const ws = repository('deploy/');
    const run = runBundle(ws, {
      'working-directory': 'deploy\\',
      files: `${ws}/deploy/stacks/db/compose.yml`,
      mode: 'render',
      output: 'rendered\\{stack}\\{env}.yml',
      sarif: 'out\\results.sarif',
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['rendered-file']).toBe(join(ws, 'deploy/rendered/stacks/db/default.yml'));
    expect(Object.keys(JSON.parse(run.outputs.volumes).default)).toEqual(['stacks/db']);
    expect(existsSync(join(ws, 'deploy/out/results.sarif'))).toBe(true);
    const stacks = runBundle(ws, { stacks: 'deploy\\stacks\\*', 'fail-on': 'never' });
    expect(stacks.code, stacks.stdout).toBe(0);
    expect(Object.keys(JSON.parse(stacks.outputs.volumes).default).sort()).toEqual(['deploy/stacks/db', 'deploy/stacks/web']);
    // With . and x/.. parts, the same stack, named and written alike.
    for (const files of ['./stacks/db/compose.yml', 'stacks/./db//compose.yml', 'stacks/web/../db/compose.yml', '.\\stacks\\db\\compose.yml']) {
      const spelt = runBundle(ws, { 'working-directory': 'deploy', files, mode: 'render', output: 'rendered/{stack}/{env}.yml', sarif: 'results.sarif' });
      expect(spelt.code, spelt.stdout).toBe(0);
      expect(Object.keys(JSON.parse(spelt.outputs.volumes).default), files).toEqual(['stacks/db']);
      expect(spelt.outputs['rendered-file'], files).toBe(join(ws, 'deploy/rendered/stacks/db/default.yml'));
      expect(spelt.summary, files).toContain('| stacks/db | — |');
    }
  });

  it('a stacks pattern written as an absolute path outside working-directory is walked where it points, not below working-directory', () => {
    const ws = repository();
    // A decoy at the path the pattern would name if read relative to working-directory.
    mkdirSync(join(ws, 'deploy', ws, 'stacks/db'), { recursive: true });
    writeFileSync(join(ws, 'deploy', ws, 'stacks/db/compose.yml'), plainStack.replace('pg:', 'decoy:').replace('pg: {}', 'decoy: {}'));
    const run = runBundle(ws, { 'working-directory': 'deploy', stacks: `${ws}/stacks/d*`, 'fail-on': 'never' });
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs.volumes)).toEqual({ default: { '../stacks/db': { pg: { class: null, driver: 'local', options: {}, services: ['db'] } } } });
  });

  it('render mode keeps a stack outside working-directory under the folder output names: {stack} never leads out of it with ..', () => {
    const ws = repository();
    // A file of the repository this run does not read, where out/{stack} would lead with ../stacks/db as it is.
    const bystander = 'services:\n  other:\n    image: x\n';
    mkdirSync(join(ws, 'deploy/stacks/db'), { recursive: true });
    writeFileSync(join(ws, 'deploy/stacks/db/compose.yml'), bystander);
    const run = runBundle(ws, { 'working-directory': 'deploy', stacks: '../stacks/d*', mode: 'render', output: 'out/{stack}/compose.yml' });
    expect(run.code, run.stdout).toBe(0);
    expect(readFileSync(join(ws, 'deploy/stacks/db/compose.yml'), 'utf8')).toBe(bystander);
    expect(run.outputs['rendered-file']).toBe(join(ws, 'deploy/out/stacks/db/compose.yml'));
    expect(readFileSync(join(ws, 'deploy/out/stacks/db/compose.yml'), 'utf8')).toContain('postgres:16');
    // Named as it is everywhere else.
    expect(Object.keys(JSON.parse(run.outputs.volumes).default)).toEqual(['../stacks/db']);
    // The stack of the parent folder itself ({stack} would be ..) is written under its folder's name; the default
    // output keeps it under RUNNER_TEMP/compose-voldriver.
    const parent = runBundle(ws, { 'working-directory': 'deploy', files: '../stacks/db/compose.yml', mode: 'render', output: 'out/{stack}.yml' });
    expect(parent.outputs['rendered-file']).toBe(join(ws, 'deploy/out/stacks/db.yml'));
    mkdirSync(join(ws, 'stacks/db/sub'));
    const above = runBundle(ws, { 'working-directory': 'stacks/db/sub', files: '../compose.yml', mode: 'render' });
    expect(above.outputs['rendered-file']).toBe(join(above.runnerTemp, 'compose-voldriver/db/default.yml'));
    // Two stacks that {stack} would then give one file are refused, writing nothing.
    writeFileSync(join(ws, 'deploy/stacks/db/compose.yml'), plainStack);
    rmSync(join(ws, 'deploy/out'), { recursive: true });
    const both = runBundle(ws, { 'working-directory': 'deploy', stacks: '../stacks/d*\nstacks/d*', mode: 'render', output: 'out/{stack}/compose.yml' });
    expect(both.code).toBe(1);
    expect(both.annotations).toEqual([expect.objectContaining({ kind: 'error', message: expect.stringContaining(`writes ${join(ws, 'deploy/out/stacks/db/compose.yml')} for both ../stacks/db and stacks/db: nothing was written`) })]);
    expect(existsSync(join(ws, 'deploy/out'))).toBe(false);
  });

  it('without files, a working-directory below the stack finds its compose file in a parent directory, as docker compose does', () => {
    const ws = workspace({ 'compose.yml': example, 'voldriver.yml': examplePolicy, 'deploy/app/README.md': 'no compose file here\n' });
    const run = runBundle(ws, { 'working-directory': 'deploy/app', environment: 'aws', set: 'zone=a', 'fail-on': 'never' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.annotations.find((a) => a.props.title === 'single-attach-replicated')?.props.file).toBe('compose.yml');
  });

  it('a finding inside a built-in policy is annotated on the stack file, naming the place in the policy', () => {
    const ws = workspace({ 'compose.yml': example });
    const run = runBundle(ws, { policy: 'builtin:aws', set: 'zone=a', 'fail-on': 'never', sarif: 'r.sarif' });
    expect(run.code, run.stderr).toBe(0);
    const legacy = run.annotations.find((a) => a.props.title === 'legacy-driver')!;
    expect(legacy.props).toEqual({ title: 'legacy-driver', file: 'compose.yml' });
    expect(legacy.message).toMatch(/no longer maintained.* \(at builtin:aws:\d+:\d+\)\n/s);
    expect(run.summary).toMatch(/- ℹ️ \*\*legacy-driver\*\* `builtin:aws:\d+:\d+`/);
    const log = JSON.parse(readFileSync(join(ws, 'r.sarif'), 'utf8'));
    expect(sarifProblems(log)).toBe('');
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'legacy-driver');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('compose.yml');
  });

  it('a finding in a file outside the workspace is annotated and located in SARIF at the stack\'s file, naming its own place', () => {
    const ws = workspace({ 'app/compose.yml': example });
    const policies = mkdtempSync(join(tmpdir(), 'cv-policies-'));
    writeFileSync(join(policies, 'policy.yml'), examplePolicy);
    const outside = join(policies, 'policy.yml');
    const run = runBundle(ws, { files: 'app/compose.yml', policy: outside, environment: 'aws', set: 'zone=a', 'fail-on': 'never', sarif: 'r.sarif' });
    expect(run.code, run.stdout).toBe(0);
    const legacy = run.annotations.filter((a) => a.props.title === 'legacy-driver');
    expect(legacy).toHaveLength(3);
    for (const annotation of legacy) {
      // No line of a file the pull request does not hold: the stack's file, and the policy's place in words.
      expect(annotation.props).toEqual({ title: 'legacy-driver', file: 'app/compose.yml' });
      expect(annotation.message).toMatch(new RegExp(` \\(at ${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+\\)\n`));
    }
    const log = JSON.parse(readFileSync(join(ws, 'r.sarif'), 'utf8'));
    expect(sarifProblems(log)).toBe('');
    expect(codeScanningProblems(log)).toBe('');
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'legacy-driver');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'app/compose.yml', uriBaseId: '%SRCROOT%' } });
    expect(result.message.text).toContain(`(at ${outside}:`);
    // A compose file outside the workspace: no file or line of the workspace is made up for it.
    const elsewhere = join(policies, 'compose.yml');
    writeFileSync(elsewhere, plainStack.replace('postgres:16', '[unclosed'));
    const away = runBundle(ws, { files: elsewhere, 'fail-on': 'never' });
    expect(away.annotations).toEqual([{ kind: 'error', props: { title: 'invalid-yaml' }, message: expect.stringMatching(new RegExp(`\\(at ${elsewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:5\\)$`)) }]);
  });

  it('SARIF locates every result in the repository, also an error that names no file in a stack found without files', () => {
    const ws = workspace({ 'deploy/compose.yml': example, 'deploy/voldriver.yml': examplePolicy, 'deploy/app/README.md': 'here\n' });
    const run = runBundle(ws, { 'working-directory': 'deploy/app', environment: 'nope', sarif: 'r.sarif', 'fail-on': 'never' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.annotations).toEqual([{ kind: 'error', props: { title: 'invalid-input', file: 'deploy/compose.yml' }, message: expect.stringMatching(/^\[nope\] unknown environment "nope"/) }]);
    const log = JSON.parse(readFileSync(join(ws, 'deploy/app/r.sarif'), 'utf8'));
    expect(sarifProblems(log)).toBe('');
    expect(codeScanningProblems(log)).toBe('');
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'deploy/compose.yml', uriBaseId: '%SRCROOT%' });
  });

  it('a policy sharing a class body through an anchor and << is read as merged; a << of no mapping is one error at its place', () => {
    const policy = 'version: 1\nx-nfs: &nfs\n  driver: local\n  driver_opts: { type: nfs, o: "addr=10.0.0.1,rw", device: ":/pg" }\nclasses:\n  durable:\n    <<: *nfs\n';
    const ws = workspace({ 'compose.yml': plainStack.replace('pg: {}', 'pg:\n    x-voldriver: durable'), 'voldriver.yml': policy });
    const run = runBundle(ws, {});
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs.volumes).default[ws.split('/').pop()!].pg).toMatchObject({ class: 'durable', driver: 'local', options: { type: 'nfs', device: ':/pg' } });
    writeFileSync(join(ws, 'voldriver.yml'), policy.replace('<<: *nfs', '<<: nfs'));
    const bad = runBundle(ws, { policy: 'voldriver.yml' });
    expect(bad.code).toBe(1);
    expect(bad.annotations).toEqual([{ kind: 'error', props: {}, message: 'voldriver.yml:7:9: input policy: invalid policy: a << merge key takes a mapping (an alias such as *base) or a list of mappings' }]);
  });

  it('a policy number written otherwise than it reads (4.0, 0700) reaches the rendered file and the volumes output as written', () => {
    const policy = 'version: 1\nclasses:\n  durable:\n    driver: myplug\n    driver_opts: { ver: 4.0, mode: 0700, size: 20 }\n    labels: { release: 2.10 }\n';
    const ws = workspace({ 'compose.yml': plainStack.replace('pg: {}', 'pg:\n    x-voldriver: durable'), 'voldriver.yml': policy });
    const run = runBundle(ws, { mode: 'render', output: 'out.yml', 'fail-on': 'never' });
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs.volumes).default[ws.split('/').pop()!].pg.options).toEqual({ ver: '4.0', mode: '0700', size: '20' });
    const rendered = readFileSync(join(ws, 'out.yml'), 'utf8');
    expect(rendered).toContain('ver: "4.0"');
    expect(rendered).toContain('mode: "0700"');
    expect(rendered).toContain('release: "2.10"');
  });

  it("a policy tag with no meaning there (Compose's !reset), or a brace group that is no placeholder, is an error at its line and column", () => {
    const policy = 'version: 1\nenvironments: [prod]\nclasses:\n  durable:\n    driver: local\n    driver_opts: { type: nfs, o: "addr=10.0.0.1", device: ":/pg" }\n    environments:\n      prod:\n        driver_opts: !reset {}\n';
    const ws = workspace({ 'stacks/db/compose.yml': plainStack.replace('pg: {}', 'pg:\n    x-voldriver: durable'), 'stacks/db/voldriver.yml': policy });
    const run = runBundle(ws, { stacks: 'stacks/*', environment: 'prod', mode: 'render', output: 'out/{stack}.yml', 'fail-on': 'never' });
    expect(run.annotations).toEqual([
      {
        kind: 'error',
        props: { title: 'invalid-policy', file: 'stacks/db/voldriver.yml', line: '9', col: '22' },
        message: "[prod] invalid policy: the YAML tag !reset is not read in a policy (it is one of Compose's merge tags)\nwrite the value without it; an environment takes one of its class's keys away with null (driver_opts: { o: null })",
      },
    ]);
    expect(existsSync(join(ws, 'out'))).toBe(false);
    // A placeholder written with a name no placeholder can have: refused at its place, not written as text.
    writeFileSync(join(ws, 'stacks/db/voldriver.yml'), policy.replace('driver_opts: !reset {}', 'driver_opts: { o: "addr={nfs-server}" }'));
    const brace = runBundle(ws, { stacks: 'stacks/*', environment: 'prod', mode: 'render', output: 'out/{stack}.yml', 'fail-on': 'never' });
    expect(brace.annotations).toEqual([
      expect.objectContaining({ props: { title: 'invalid-policy', file: 'stacks/db/voldriver.yml', line: '9', col: '27' }, message: expect.stringMatching(/^\[prod\] invalid policy: \{nfs-server\} is no placeholder: .*\nwrite \{nfs_server\}, and give the parameter that name$/) }),
    ]);
    expect(existsSync(join(ws, 'out'))).toBe(false);
  });

  it('annotations and SARIF count no column for a byte-order mark, nor two for an emoji in SARIF\'s declared kind', () => {
    const first = 'volumes: {data: {labels: {x: "\u{1F680}"}, driver_opts: {o: "addr=1"}}}';
    const ws = workspace({ 'compose.yml': `\ufeff${first}\nservices: {app: {image: x, volumes: [data:/d]}}\n` });
    const run = runBundle(ws, { sarif: 'r.sarif', 'fail-on': 'never' });
    const col = first.indexOf('"addr=1"') + 1;
    expect(run.annotations.find((a) => a.props.title === 'missing-option')?.props).toEqual({ title: 'missing-option', file: 'compose.yml', line: '1', col: String(col) });
    const log = JSON.parse(readFileSync(join(ws, 'r.sarif'), 'utf8'));
    expect(log.runs[0].columnKind).toBe('utf16CodeUnits');
    expect(log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'missing-option').locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: col });
  });

  it('invalid YAML fails the step with an annotation at its line and column', () => {
    const ws = workspace({ 'compose.yml': 'services:\n  web:\n    image: [unclosed\n' });
    const run = runBundle(ws, {});
    expect(run.code).toBe(1);
    expect(run.annotations[0]).toMatchObject({ kind: 'error', props: { title: 'invalid-yaml', file: 'compose.yml', line: expect.stringMatching(/^\d+$/) } });
  });

  it('without files or stacks, and no compose file here or above, the message names the inputs, not a command-line flag', () => {
    const ws = workspace({ 'README.md': 'nothing to deploy\n' });
    const run = runBundle(ws, {});
    expect(run.code).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0].message).toMatch(/^inputs files and stacks are empty, and none of compose\.yaml, .* or a folder above it: name the stack's compose files in files, or give stacks patterns$/);
    expect(run.annotations[0].message).not.toContain('-f FILE');
  });

  it('an input value it does not know fails the step with one message naming the choices', () => {
    const run = runBundle(repository(), { target: 'kubernetes' });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([{ kind: 'error', props: {}, message: 'input target: "kubernetes" is not one of compose, swarm' }]);
    for (const value of ['false', 'True', 'yes', 'off']) {
      const switched = runBundle(repository(), { 'fail-on': value });
      expect(switched.code, value).toBe(1);
      expect(switched.annotations, value).toEqual([
        { kind: 'error', props: {}, message: `input fail-on: "${value}" is not one of error, warning, never\nhint: fail-on takes one of these words, not a boolean (never: report only, without failing the step)` },
      ]);
    }
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });

  it('environment: all in any case, with spaces around it or a Windows line end, is every environment, as all is', () => {
    const ws = repository();
    const inputs = { stacks: 'stacks/*/compose.yml', set: 'zone=a\nnfs_server=n', 'fail-on': 'never' };
    const all = runBundle(ws, { ...inputs, environment: 'all' });
    expect(Object.keys(JSON.parse(all.outputs.volumes)).sort()).toEqual(['aws', 'default', 'onprem']);
    for (const environment of ['ALL', 'All', '  aLl  ', 'all\r\n', '\nALL\n\n']) {
      const run = runBundle(ws, { ...inputs, environment });
      expect(run.code, JSON.stringify(environment)).toBe(0);
      expect(run.outputs.volumes, JSON.stringify(environment)).toBe(all.outputs.volumes);
      expect(run.annotations, JSON.stringify(environment)).toEqual(all.annotations);
    }
    const mixed = runBundle(ws, { ...inputs, environment: 'ALL\naws' });
    expect(mixed.annotations).toEqual([{ kind: 'error', props: {}, message: 'input environment: "all" stands alone (it means every environment the policy names)' }]);
  });

  it('a switch (true, False, yes) where a path or name belongs fails the step with one message, writing nothing', () => {
    const ws = repository();
    const base = { files: 'stacks/db/compose.yml', 'fail-on': 'never' };
    for (const [inputs, message] of [
      [{ sarif: 'true' }, 'input sarif: "true" reads as a switch, which sarif is not\nhint: sarif takes a path such as results.sarif (empty: no SARIF file)'],
      [{ sarif: 'False' }, 'input sarif: "False" reads as a switch, which sarif is not\nhint: sarif takes a path such as results.sarif (empty: no SARIF file)'],
      [{ sarif: 'yes' }, 'input sarif: "yes" reads as a switch, which sarif is not\nhint: sarif takes a path such as results.sarif (empty: no SARIF file)'],
      [{ mode: 'render', output: 'On' }, 'input output: "On" reads as a switch, which output is not\nhint: output takes a path, with mode: render (empty: under RUNNER_TEMP)'],
      [{ environment: 'false' }, 'input environment: "false" (line 1) reads as a switch, which environment is not\nhint: environment takes environment names, one per line, or all (empty: no environment)'],
      [{ policy: 'TRUE' }, 'input policy: "TRUE" reads as a switch, which policy is not\nhint: policy takes a policy file or builtin:NAME (empty: voldriver.yml beside each stack, else builtin:default)'],
      [{ 'working-directory': 'true' }, 'input working-directory: "true" reads as a switch, which working-directory is not\nhint: working-directory takes a folder of the workspace (empty: the workspace)'],
      [{ files: 'stacks/db/compose.yml\ntrue' }, 'input files: "true" (line 2) reads as a switch, which files is not\nhint: files takes compose file paths, one per line (empty: the default compose file)'],
    ] as const) {
      const run = runBundle(ws, { ...base, ...inputs });
      expect(run.code, JSON.stringify(inputs)).toBe(1);
      expect(run.annotations, JSON.stringify(inputs)).toEqual([{ kind: 'error', props: {}, message }]);
      expect(run.outputs).toEqual({});
    }
    expect(readdirSync(ws).filter((name) => /^(true|false|yes|on)$/i.test(name))).toEqual([]);
  });

  it('a line of a list input in quotes, as a block scalar keeps it, fails the step naming the line', () => {
    const ws = repository();
    for (const [name, value, line, bare] of [
      ['files', 'stacks/db/compose.yml\n"stacks/web/compose.yml"', 2, 'stacks/web/compose.yml'],
      ['stacks', "'stacks/*'", 1, 'stacks/*'],
      ['environment', '"aws"', 1, 'aws'],
    ] as const) {
      const run = runBundle(ws, { [name]: value });
      expect(run.code, name).toBe(1);
      expect(run.annotations, name).toEqual([{ kind: 'error', props: {}, message: `input ${name}: line ${line} is in quotes, which a line of a list input keeps: write ${bare} without them` }]);
    }
  });

  it('an output given with mode left at check fails the step, instead of writing nothing for a later step to deploy', () => {
    const ws = repository();
    const run = runBundle(ws, { files: 'stacks/db/compose.yml', output: 'out/{env}.yml' });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([{ kind: 'error', props: {}, message: 'input output: "out/{env}.yml" is given, but mode is check, which writes nothing\nhint: add mode: render to write the rendered files there, or leave output out' }]);
    expect(run.outputs).toEqual({});
    const render = runBundle(ws, { files: 'stacks/db/compose.yml', output: 'out/{env}.yml', mode: 'Render' });
    expect(render.code, render.stdout).toBe(0);
    expect(render.outputs['rendered-file']).toBe(join(ws, 'out/default.yml'));
  });

  it('an input that takes one path given on several lines fails the step, writing nothing, instead of naming a file with a line break', () => {
    const ws = repository();
    for (const [input, value, message] of [
      ['sarif', 'a.sarif\nb.sarif', 'input sarif: takes one path, not 2 lines'],
      ['output', 'out/{env}.yml\r\nmore/{env}.yml', 'input output: takes one path, not 2 lines'],
      ['policy', 'stacks/web/voldriver.yml\nbuiltin:aws', 'input policy: takes one policy file or builtin:NAME, not 2 lines'],
      ['working-directory', 'stacks\nweb', 'input working-directory: takes one folder, not 2 lines'],
      ['sarif', 'a.sarif\n\n  b.sarif', 'input sarif: takes one path, not 2 lines'],
    ] as const) {
      // The runner trims an input's ends; a line break inside stays.
      const run = runBundle(ws, { files: 'stacks/db/compose.yml', mode: 'render', output: 'out/{env}.yml', 'fail-on': 'never', [input]: value });
      expect(run.code, value).toBe(1);
      expect(run.annotations, value).toEqual([{ kind: 'error', props: {}, message }]);
      expect(readdirSync(ws).sort(), value).toEqual(['stacks']);
    }
    // One path, whatever spaces it holds, is taken as it is.
    const one = runBundle(ws, { files: 'stacks/db/compose.yml', sarif: 'code scanning/a b.sarif' });
    expect(one.code, one.stdout).toBe(0);
    expect(existsSync(join(ws, 'code scanning/a b.sarif'))).toBe(true);
  });

  it('a name holding a line break and a workflow command adds no annotation or output of its own', async () => {
    const folder = 'stacks/a\n::error file=evil.yml::injected';
    const ws = workspace({ [`${folder}/compose.yml`]: plainStack.replace('pg: {}', 'pg:\n    driver: "x\\n::warning::from a driver"') });
    const run = runBundle(ws, { stacks: 'stacks/*', mode: 'render', output: 'out/{env}.yml', 'fail-on': 'never' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.annotations.map((a) => a.message).join('\n')).not.toMatch(/^injected|^from a driver/m);
    expect(run.annotations.every((a) => a.props.title)).toBe(true);
    expect(Object.keys(JSON.parse(run.outputs.volumes).default)).toEqual([folder]);
    for (const [, diagram] of run.summary.matchAll(/```mermaid\n([\s\S]*?)```/g)) expect(await mermaidParse(diagram)).toEqual({ type: 'flowchart-v2' });
    // rendered-file holds one path a line: a path with a line break is refused, not listed as two.
    const named = runBundle(ws, { stacks: 'stacks/*', mode: 'render', output: 'out/{stack}.yml', 'fail-on': 'never' });
    expect(named.code).toBe(1);
    expect(named.annotations).toEqual([{ kind: 'error', props: {}, message: expect.stringMatching(/^input output: "out\/\{stack\}\.yml" would write ".*\\n::error file=evil.yml::injected\.yml", whose line break/) }]);
    expect(named.outputs).toEqual({});
  });

  it('escape sequences, bells and bidirectional overrides from names reach no log line, annotation, summary or SARIF as they are', () => {
    const folder = 'stacks/red\u001b[31mX\u001b]8;;https:\u0007\u202eevil\u009b2J';
    const ws = workspace({ [`${folder}/compose.yml`]: plainStack.replace('pg: {}', 'pg:\n    driver: "x\\e[2Jy\\u202ez"') });
    const run = runBundle(ws, { stacks: 'stacks/*', mode: 'render', output: 'out/{env}.yml', sarif: 'r.sarif', 'fail-on': 'never' });
    expect(run.code, run.stdout).toBe(0);
    const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const sarif = readFileSync(join(ws, 'r.sarif'), 'utf8');
    for (const [name, text] of [['log', run.stdout], ['summary', run.summary], ['SARIF', sarif]]) expect(text, name).not.toMatch(raw);
    expect(run.stdout).toContain('stacks/red\\x1b[31mX\\x1b]8;;https:\\x07\\u202eevil\\x9b2J: 1 volume(s)');
    expect(run.annotations.find((a) => a.props.title === 'unknown-driver')?.message).toContain('driver "x\\x1b[2Jy\\u202ez"');
    expect(run.summary).toContain('| stacks/red\\\\x1b\\[31mX');
    // SARIF escapes read back as the same text; outputs are data and keep the names as they are.
    expect(JSON.parse(sarif).runs[0].results[0].message.text).toContain('driver "x\u001b[2Jy\u202ez"');
    expect(Object.keys(JSON.parse(run.outputs.volumes).default)).toEqual([folder]);
  });

  it('a stack whose voldriver.yml is a symbolic link to nothing is an error, not checked against the built-in policy; the others are checked', () => {
    const ws = repository();
    symlinkSync('../../policies/gone.yml', join(ws, 'stacks/db/voldriver.yml'));
    const run = runBundle(ws, { stacks: 'stacks/*', environment: 'all', mode: 'render', output: 'out/{stack}/{env}.yml', set: 'zone=a\nnfs_server=n', 'fail-on': 'never' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.annotations.filter((a) => a.props.file === 'stacks/db/voldriver.yml')).toEqual([
      { kind: 'error', props: { title: 'invalid-input', file: 'stacks/db/voldriver.yml' }, message: '[stacks/db] cannot read stacks/db/voldriver.yml: it is a symbolic link to ../../policies/gone.yml, which does not exist' },
    ]);
    expect(Object.keys(JSON.parse(run.outputs.volumes).aws)).toEqual(['stacks/web']);
    expect(run.outputs['rendered-file'].split('\n').map((file) => file.slice(ws.length + 1)).sort()).toEqual(['out/stacks/web/onprem.yml']);
    expect(existsSync(join(ws, 'out/stacks/db'))).toBe(false);
  });

  it('SARIF: the run without an environment is always written, so an error there closes in code scanning once it is fixed', () => {
    const ws = workspace({ 'stacks/web/compose.yml': example, 'stacks/web/voldriver.yml': examplePolicy, 'stacks/db/compose.yml': plainStack, 'stacks/db/voldriver.yml': 'version: [' });
    const ids = (run: ActionRun) => JSON.parse(readFileSync(join(run.workspace, 'r.sarif'), 'utf8')).runs.map((r: { automationDetails: { id: string }; results: unknown[] }) => [r.automationDetails.id, r.results.length]);
    const inputs = { stacks: 'stacks/*', environment: 'all', set: 'zone=a\nnfs_server=n', sarif: 'r.sarif', 'fail-on': 'never' };
    // The policy of stacks/db cannot be read: it has no environments, and its error is in the run without one.
    const broken = runBundle(ws, inputs);
    expect(ids(broken)).toEqual([['compose-voldriver/', 1], ['compose-voldriver/aws/', 8], ['compose-voldriver/onprem/', 2]]);
    writeFileSync(join(ws, 'stacks/db/voldriver.yml'), examplePolicy);
    const fixed = runBundle(ws, inputs);
    expect(sarifProblems(JSON.parse(readFileSync(join(ws, 'r.sarif'), 'utf8')))).toBe('');
    expect(ids(fixed).map(([id]: [string]) => id)).toEqual(['compose-voldriver/aws/', 'compose-voldriver/onprem/', 'compose-voldriver/']);
    expect(ids(fixed)[2]).toEqual(['compose-voldriver/', 0]);
    // With environments named, nothing goes to the run without one: none is written, to close no other job's alerts.
    const named = runBundle(ws, { ...inputs, environment: 'aws\nonprem' });
    expect(ids(named).map(([id]: [string]) => id)).toEqual(['compose-voldriver/aws/', 'compose-voldriver/onprem/']);
  });

  it('SARIF: more runs than the 20 code scanning takes in a file fail the step, writing nothing', () => {
    const names = Array.from({ length: 21 }, (_, i) => `e${i}`);
    const ws = workspace({ 'compose.yml': plainStack, 'voldriver.yml': `version: 1\nenvironments: [${names.join(', ')}]\nclasses:\n  durable: { driver: local }\n` });
    const run = runBundle(ws, { environment: 'all', sarif: 'r.sarif', 'fail-on': 'never' });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([
      {
        kind: 'error',
        props: {},
        message: 'input sarif: 22 runs (one per environment, and one without), more than the 20 code scanning takes in one file: nothing was written\nhint: check fewer environments in a step (a matrix over environment, each with its own sarif file)',
      },
    ]);
    expect(existsSync(join(ws, 'r.sarif'))).toBe(false);
    expect(runBundle(ws, { environment: names.slice(0, 20).join('\n'), sarif: 'r.sarif' }).code).toBe(0);
  });

  it("stacks: a wildcard does not check a policy or override file as a stack; a folder's override is merged as docker compose merges it", () => {
    const ws = repository();
    writeFileSync(join(ws, 'stacks/web/compose.override.yml'), 'services:\n  web:\n    deploy: { replicas: 1 }\n');
    for (const stacks of ['**/*.yml', 'stacks/*']) {
      const run = runBundle(ws, { stacks, environment: 'aws', set: 'zone=a', 'fail-on': 'never' });
      expect(run.code, run.stdout).toBe(0);
      expect(Object.keys(JSON.parse(run.outputs.volumes).aws).sort(), stacks).toEqual(['stacks/db', 'stacks/web']);
      expect(run.annotations.filter((a) => a.kind === 'error'), stacks).toEqual([]);
    }
    // Named in full, the compose file is read alone, as docker compose -f reads it.
    const alone = runBundle(ws, { stacks: 'stacks/web/compose.yml', environment: 'aws', set: 'zone=a', 'fail-on': 'never' });
    expect(alone.annotations.filter((a) => a.kind === 'error').map((a) => a.props.title)).toEqual(['single-attach-replicated']);
  });

  it('a policy input that cannot be used fails the step once, whatever fail-on says, instead of a finding per stack', () => {
    const ws = repository();
    writeFileSync(join(ws, 'bad.yml'), 'version: [\n');
    for (const [policy, message] of [
      ['missing.yml', 'missing.yml: input policy: cannot read missing.yml: no such file'],
      ['builtin:nope', 'input policy: unknown built-in policy "nope"; built-in policies: default, aws, nfs, glusterfs, portworx'],
      ['bad.yml', 'bad.yml:2:1: input policy: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ]) {
      const run = runBundle(ws, { stacks: 'stacks/*', policy, environment: 'all', 'fail-on': 'never' });
      expect(run.code, policy).toBe(1);
      expect(run.annotations, policy).toEqual([{ kind: 'error', props: {}, message }]);
    }
  });

  it('a sarif path over a file the run reads, a rendered file, or outside the workspace and RUNNER_TEMP fails the step, writing nothing', () => {
    const ws = repository();
    const before = readFileSync(join(ws, 'stacks/web/compose.yml'), 'utf8');
    for (const [sarif, message] of [
      ['stacks/web/compose.yml', `input sarif: "stacks/web/compose.yml" would write over ${join(ws, 'stacks/web/compose.yml')}, a file this run reads`],
      ['stacks/web/voldriver.yml', `input sarif: "stacks/web/voldriver.yml" would write over ${join(ws, 'stacks/web/voldriver.yml')}, a file this run reads`],
      ['../r.sarif', expect.stringMatching(/^input sarif: "\.\.\/r\.sarif" would write \S+, outside the workspace \(/)],
      ['out/onprem.yml', `inputs output and sarif: both would write ${join(ws, 'out/onprem.yml')}`],
    ] as const) {
      const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set: 'nfs_server=n', mode: 'render', output: 'out/{env}.yml', sarif, 'fail-on': 'never' });
      expect(run.code, sarif).toBe(1);
      expect(run.annotations, sarif).toEqual([{ kind: 'error', props: {}, message }]);
      expect(existsSync(join(ws, 'out')), sarif).toBe(false);
    }
    expect(readFileSync(join(ws, 'stacks/web/compose.yml'), 'utf8')).toBe(before);
    expect(existsSync(join(ws, '../r.sarif'))).toBe(false);
  });

  it('output and sarif are judged where they lead: a folder of the repository that is a symbolic link out of the workspace, or to a file read, is refused', () => {
    const ws = repository();
    const elsewhere = mkdtempSync(join(tmpdir(), 'cv-elsewhere-'));
    symlinkSync(elsewhere, join(ws, 'out'));
    symlinkSync('stacks/web', join(ws, 'web'));
    for (const inputs of [{ mode: 'render', output: 'out/{env}.yml' }, { sarif: 'out/r.sarif' }, { mode: 'render', output: 'web/compose.yml' }] as Record<string, string>[]) {
      const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set: 'nfs_server=n', 'fail-on': 'never', ...inputs });
      expect(run.code, JSON.stringify(inputs)).toBe(1);
      expect(run.annotations, JSON.stringify(inputs)).toEqual([
        { kind: 'error', props: {}, message: expect.stringMatching(/ \(through a symbolic link: .*cv-elsewhere-.*\), outside the workspace | \(.*stacks\/web\/compose\.yml\), a file this run reads$/) },
      ]);
    }
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readFileSync(join(ws, 'stacks/web/compose.yml'), 'utf8')).toBe(example);
  });

  it('list inputs written on one line fail with one message saying how to write them', () => {
    const ws = repository();
    for (const environment of ['aws, onprem', 'aws onprem', 'aws,onprem']) {
      const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment, set: 'zone=a' });
      expect(run.code).toBe(1);
      expect(run.annotations).toEqual([{ kind: 'error', props: {}, message: `input environment: "${environment}" is not an environment name (letters, digits, _ . -): give one per line` }]);
    }
    const pattern = runBundle(ws, { files: 'stacks/*/compose.yml' });
    expect(pattern.code).toBe(1);
    expect(pattern.annotations).toEqual([
      { kind: 'error', props: {}, message: 'input files: "stacks/*/compose.yml" names no file, and files takes paths, not patterns: give patterns in stacks (each match its own stack)' },
    ]);
  });

  it('set, files and stacks written as a list on one line fail with one message saying how to write them, never a value holding the rest', () => {
    const ws = repository();
    writeFileSync(join(ws, 'stacks/web/compose.override.yml'), 'services: {}\n');
    for (const set of ['nfs_server=10.0.0.9 zone=a', 'nfs_server=10.0.0.9, zone=a', 'nfs_server=10.0.0.9\tzone=a']) {
      const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set, mode: 'render', output: 'out.yml' });
      expect(run.code, set).toBe(1);
      expect(run.annotations, set).toEqual([
        { kind: 'error', props: {}, message: 'input set: the value of nfs_server holds " zone=": give one key=value per line\nhint: a value that holds " zone=" can be given as the variable VOLDRIVER_NFS_SERVER in the step\'s env' },
      ]);
      expect(run.stdout, set).not.toContain('10.0.0.9');
      expect(existsSync(join(ws, 'out.yml'))).toBe(false);
    }
    const twice = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set: 'nfs_server=10.0.0.9\nnfs_server=10.0.0.8' });
    expect(twice.annotations).toEqual([{ kind: 'error', props: {}, message: 'input set: nfs_server is given on two lines: give it once' }]);
    // Commas without spaces belong to the value, as in mount options.
    const options = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set: 'nfs_server=10.0.0.9,port=2049', 'fail-on': 'never' });
    expect(options.code, options.stdout).toBe(0);
    expect(JSON.parse(options.outputs.volumes).onprem['stacks/web'].media.options.o).toBe('addr=10.0.0.9,port=2049,rw,nfsvers=4.1');
    for (const files of ['stacks/web/compose.yml, stacks/web/compose.override.yml', 'stacks/web/compose.yml stacks/web/compose.override.yml']) {
      const run = runBundle(ws, { files, 'fail-on': 'never' });
      expect(run.code, files).toBe(1);
      expect(run.annotations, files).toEqual([
        { kind: 'error', props: {}, message: `input files: cannot read ${files}: no such file: it reads as one path; give "stacks/web/compose.yml", "stacks/web/compose.override.yml" one per line` },
      ]);
    }
    const stacks = runBundle(ws, { stacks: 'stacks/web, stacks/db' });
    expect(stacks.annotations).toEqual([
      { kind: 'error', props: {}, message: `input stacks: the pattern "stacks/web, stacks/db" matches nothing in ${ws}: it reads as one path; give "stacks/web", "stacks/db" one per line` },
    ]);
  });

  it('a set line that is not key=value, or a value in quotes, is said by its line number and name, never quoting what may be a credential', () => {
    const ws = repository();
    const secret = 'hunter2=';
    for (const [set, message] of [
      [`nfs_server=10.0.0.9\n\nnfs_password: ${secret}`, 'input set: line 3 is not key=value: "nfs_password" is followed by ":", not "="\nhint: write nfs_password=VALUE (the rest of the line is not shown: it may be a credential)'],
      [`nfs_password ${secret}x`, 'input set: line 1 is not key=value: "nfs_password" is followed by a space, not "="\nhint: write nfs_password=VALUE (the rest of the line is not shown: it may be a credential)'],
      [`# site values\nnfs_password:${secret}`, 'input set: line 2 is not key=value: "nfs_password" is followed by ":", not "="\nhint: write nfs_password=VALUE (the rest of the line is not shown: it may be a credential)'],
      [`-${secret}x`, 'input set: line 1 does not start with a parameter name (letters, digits, underscores; not a digit first)'],
      [`=${secret}`, 'input set: line 1 does not start with a parameter name (letters, digits, underscores; not a digit first)'],
      ['nfs_password', 'input set: line 1 is not key=value: "nfs_password" has no "="\nhint: write nfs_password=VALUE'],
    ] as const) {
      const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set, 'fail-on': 'never' });
      expect(run.code, set).toBe(1);
      expect(run.annotations, set).toEqual([{ kind: 'error', props: {}, message }]);
      expect(run.stdout + run.stderr, set).not.toContain('hunter2');
    }
    // A value in quotes, as a shell or an .env file would take it: set keeps them, so it is refused, unquoted.
    for (const set of ['nfs_server="hunter2"', "nfs_server='hunter2'", 'zone=a\nnfs_server=""']) {
      const run = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set, 'fail-on': 'never' });
      expect(run.code, set).toBe(1);
      expect(run.annotations, set).toEqual([
        { kind: 'error', props: {}, message: 'input set: the value of nfs_server is in quotes, which set keeps as part of it: write nfs_server=VALUE without them\nhint: a value that must hold its quotes can be given as the variable VOLDRIVER_NFS_SERVER in the step\'s env' },
      ]);
      expect(run.stdout, set).not.toContain('hunter2');
    }
    // Spaces around "=" are taken as they were.
    const spaced = runBundle(ws, { files: 'stacks/web/compose.yml', environment: 'onprem', set: 'nfs_server = 10.0.0.9', 'fail-on': 'never' });
    expect(spaced.code, spaced.stdout).toBe(0);
    expect(JSON.parse(spaced.outputs.volumes).onprem['stacks/web'].media.options.o).toBe('addr=10.0.0.9,rw,nfsvers=4.1');
  });

  it('a files entry that is not there or is a folder fails the step whatever fail-on says, instead of passing with nothing checked', () => {
    const ws = repository();
    symlinkSync('../gone/compose.yml', join(ws, 'stacks/link.yml'));
    for (const [files, message] of [
      ['stacks/missing.yml', 'input files: cannot read stacks/missing.yml: no such file'],
      ['stacks/link.yml', 'input files: cannot read stacks/link.yml: it is a symbolic link to ../gone/compose.yml, which does not exist'],
      ['stacks/web', 'input files: "stacks/web" is a folder; files takes compose files: name the file in it, or give the folder in stacks'],
      ['stacks/db/compose.yml\nstacks/db/compose.prod.yml', 'input files: cannot read stacks/db/compose.prod.yml: no such file'],
    ]) {
      const run = runBundle(ws, { files, 'fail-on': 'never', sarif: 'r.sarif' });
      expect(run.code, files).toBe(1);
      expect(run.annotations, files).toEqual([{ kind: 'error', props: {}, message }]);
      expect(run.outputs, files).toEqual({});
    }
  });

  it('job summary: folder names, messages and options show as written, not read as Markdown or HTML', () => {
    const names = ['**bold**', '__init__', 'a|b', '&lt;b&gt;', '[x](javascript:alert(1))', '![i](https:evil.example)', '$x$ ~y~ #'];
    const stack = plainStack.replace('pg: {}', "pg:\n    driver_opts: { device: '\\\\srv\\share<x>|y' }");
    const ws = workspace(Object.fromEntries(names.map((name) => [`stacks/${name}/compose.yml`, stack])));
    const run = runBundle(ws, { stacks: 'stacks/*', 'fail-on': 'never' });
    expect(run.code, run.stdout).toBe(0);
    const rows = run.summary.split('\n').filter((row) => row.startsWith('| stacks/'));
    expect(rows.map((row) => row.split(' | ')[0]).sort()).toEqual(
      ['| stacks/\\*\\*bold\\*\\*', '| stacks/\\_\\_init\\_\\_', '| stacks/a\\|b', '| stacks/&amp;lt;b&amp;gt;', '| stacks/\\[x\\](javascript:alert(1))', '| stacks/!\\[i\\](https:evil.example)', '| stacks/\\$x\\$ \\~y\\~ \\#'].sort(),
    );
    expect(run.summary).toContain('### stacks/\\_\\_init\\_\\_\n');
    // Outside inline code, no link, image, emphasis or entity of the repository's making: every ] * _ & of a name is escaped.
    expect(run.summary.replace(/`[^`\n]*`/g, '')).not.toMatch(/[^\\]\]\(|[^\\]\*\*bold|[^\\]__init|&lt;b&gt;/);
    // Inside inline code a backslash or entity would show as written: only the | that would end the cell is escaped.
    expect(run.summary).toContain('| pg | — | local | `device=\\\\srv\\share<x>\\|y` | db |');
  });

  it('never shows a credential: options, summary and annotations say ***', () => {
    const secret = 'S3cr3t-Pa55word';
    const ws = workspace({
      'compose.yml': `services:\n  app:\n    image: app\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver: local\n    driver_opts:\n      type: cifs\n      device: //srv/share\n      o: "username=u,password=${secret}"\n`,
    });
    const run = runBundle(ws, { 'fail-on': 'never' });
    expect(run.code, run.stderr).toBe(0);
    const everything = run.stdout + run.summary + JSON.stringify(run.outputs);
    expect(everything).not.toContain(secret);
    expect(JSON.parse(run.outputs.volumes).default[ws.split('/').pop()!].data.options.o).toBe('username=u,password=***');
  });

  it('never shows a credential repeated elsewhere: in another option, from a variable or a class parameter, in outputs, summary, annotations and SARIF', () => {
    const [env, param] = ['Hunter2-Env-S3cret', 'Param-S3cret'];
    const ws = workspace({
      'compose.yml':
        'services:\n  app:\n    image: app\n    volumes: [data:/data, d2:/d2, d3:/d3]\nvolumes:\n' +
        '  data:\n    driver_opts:\n      type: cifs\n      device: //srv/share\n      o: "username=u,password=${SMB_PASSWORD},vers=x${SMB_PASSWORD}"\n' +
        '  d2:\n    driver: rexray/ebs\n    driver_opts:\n      secret_key: ${SMB_PASSWORD}\n      size: ${SMB_PASSWORD}\n' +
        '  d3:\n    x-voldriver:\n      class: cifs\n      pw: ' + param + '\n',
      'voldriver.yml': 'version: 1\nclasses:\n  cifs:\n    driver: local\n    driver_opts:\n      type: cifs\n      device: //srv/x\n      o: "username=u,password={pw},uid={pw}"\n',
    });
    const run = runBundle(ws, { 'fail-on': 'never', sarif: 'r.sarif' }, { SMB_PASSWORD: env });
    expect(run.code, run.stderr).toBe(0);
    const everything = run.stdout + run.summary + JSON.stringify(run.outputs) + readFileSync(join(ws, 'r.sarif'), 'utf8');
    expect(everything).not.toContain(env);
    expect(everything).not.toContain(param);
    const volumes = JSON.parse(run.outputs.volumes).default[ws.split('/').pop()!];
    expect(volumes.data.options.o).toBe('username=u,password=***,vers=x***');
    expect(volumes.d3.options.o).toBe('username=u,password=***,uid=***');
  });

  it('never shows a short credential in the diff of the summary', () => {
    const ws = workspace({
      'compose.yml':
        'services:\n  app:\n    image: app\n    volumes: [data:/data, d2:/d2]\nvolumes:\n' +
        '  data:\n    x-voldriver: fast\n    driver_opts:\n      type: cifs\n      device: //srv/share\n      o: "username=u,password=pw"\n' +
        '  d2:\n    x-voldriver: fast\n    driver: rexray/ebs\n    driver_opts:\n      password: Q7\n',
      'voldriver.yml': 'version: 1\nclasses:\n  fast:\n    driver: local\n    labels: { tier: fast }\n',
    });
    const run = runBundle(ws, { 'fail-on': 'never' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toContain('```diff');
    expect(run.summary).toContain('-      o: "username=u,password=***"');
    expect(run.summary).toContain('-      password: ***');
    expect(run.summary + run.stdout).not.toMatch(/password=pw|password: Q7/);
  });

  it('hides a plain credential only where it stands: password=local leaves driver local in the diff, the tables and the log', () => {
    const ws = workspace({
      'compose.yml':
        'services:\n  app:\n    image: app\n    volumes: [data:/data]\nvolumes:\n' +
        '  data:\n    x-voldriver: fast\n    driver_opts:\n      type: cifs\n      device: //srv/share\n      o: "username=u,password=local"\n',
      'voldriver.yml': 'version: 1\nclasses:\n  fast:\n    driver: local\n    labels: { tier: fast }\n',
    });
    const run = runBundle(ws, { 'fail-on': 'never' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toContain('+    driver: "local"');
    expect(run.summary).toContain('| data | fast | local |');
    expect(run.summary).toContain('-      o: "username=u,password=***"');
    expect(run.summary).not.toMatch(/driver: "?\*\*\*|\| \*\*\* \|/);
    const volumes = JSON.parse(run.outputs.volumes).default[ws.split('/').pop()!];
    expect(volumes.data).toMatchObject({ driver: 'local', class: 'fast' });
    expect(run.summary + run.stdout + JSON.stringify(run.outputs)).not.toContain('password=local');
  });
});

describe('the committed bundle', () => {
  it('is what a fresh build of src/ makes (else: npm run build:action, and commit dist-action/index.cjs)', () => {
    const check = spawnSync(process.execPath, ['scripts/build-action.mjs', '--check'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });
});
