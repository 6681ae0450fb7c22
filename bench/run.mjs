// Benchmark: render time for generated stacks, and cold start next to a bare `node -e 0`.
// Targets: a 10-service render within 1.5x of `node -e 0`; 5000 services under 1.5 s; time linear in size; the GitHub
// Action checking 200 stacks x 3 environments in one process at least 10x faster than 600 CLI runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const cli = join(process.cwd(), 'bin/compose-voldriver.cjs');
const dir = mkdtempSync(join(tmpdir(), 'cv-bench-'));

function stack(services) {
  const lines = ['# generated benchmark stack', 'services:'];
  for (let i = 0; i < services; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: example/app:${i % 7}`,
      '    environment:',
      `      INDEX: "${i}"`,
      '    volumes:',
      `      - data${i}:/data`,
      `      - type: volume`,
      `        source: cache${i}`,
      `        target: /cache`,
      '    deploy:',
      '      replicas: 1',
      '      placement:',
      `        constraints: [node.labels.rack == r${i % 4}]`,
    );
  }
  lines.push('volumes:');
  for (let i = 0; i < services; i++) {
    lines.push(`  data${i}:`, `    x-voldriver: ${i % 2 ? 'durable' : 'shared'}`, `  cache${i}:`, '    x-voldriver: fast');
  }
  return lines.join('\n') + '\n';
}

function time(args, runs = RUNS) {
  const samples = [];
  // One unmeasured run first: it fills V8's code cache, as any earlier use of the tool would have.
  spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0] };
}

const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function once(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// The small cases are compared with node -e 0 run by turns in one loop, so drift in the machine's speed
// (a shared virtual machine) touches both sides alike.
const smallFile = join(dir, 'stack-10.yml');
writeFileSync(smallFile, stack(10));
const contenders = { bare: ['-e', '0'], version: [cli, '--version'], render10: [cli, 'render', '-f', smallFile, '-o', join(dir, 'out-10.yml')] };
for (const args of Object.values(contenders)) once(args);
const samples = { bare: [], version: [], render10: [] };
for (let i = 0; i < RUNS * 2; i++) for (const [name, args] of Object.entries(contenders)) samples[name].push(once(args));
const bare = { median: median(samples.bare) };
const version = { median: median(samples.version) };
const render10 = { median: median(samples.render10), min: Math.min(...samples.render10) };
console.log(`cold start (median of ${RUNS * 2} runs, taken by turns)`);
console.log(`  node -e 0                      ${fmt(bare.median)}`);
console.log(`  compose-voldriver --version    ${fmt(version.median)}  (${(version.median / bare.median).toFixed(2)}x)`);
console.log(`  render, 10 services            ${fmt(render10.median)}  (${(render10.median / bare.median).toFixed(2)}x)`);
console.log('');
console.log('render -f stack.yml (default policy), whole process');
console.log('  services  volumes      median         min   per service   vs node -e 0');
const rows = [];
rows.push({ services: 10, ...render10 });
console.log(
  `  ${'10'.padStart(8)}  ${'20'.padStart(7)}  ${fmt(render10.median)}  ${fmt(render10.min)}  ${((render10.median - bare.median) / 10).toFixed(3).padStart(9)} ms  ${(render10.median / bare.median).toFixed(2).padStart(10)}x`,
);
for (const services of [100, 1000, 5000]) {
  const file = join(dir, `stack-${services}.yml`);
  writeFileSync(file, stack(services));
  const t = time([cli, 'render', '-f', file, '-o', join(dir, `out-${services}.yml`)], services >= 1000 ? 5 : RUNS);
  rows.push({ services, ...t });
  const perService = (t.median - bare.median) / services;
  console.log(
    `  ${String(services).padStart(8)}  ${String(services * 2).padStart(7)}  ${fmt(t.median)}  ${fmt(t.min)}  ${perService.toFixed(3).padStart(9)} ms  ${(t.median / bare.median).toFixed(2).padStart(10)}x`,
  );
}
const small = rows[0];
const big = rows[rows.length - 1];
const ratio = (rows[3].median - bare.median) / (rows[2].median - bare.median);
console.log('');
console.log(`targets: 10 services ${small.median <= 1.5 * bare.median ? 'met' : 'MISSED'} (${(small.median / bare.median).toFixed(2)}x of node -e 0, target 1.5x); ` +
  `5000 services ${big.median < 1500 ? 'met' : 'MISSED'} (${big.median.toFixed(0)} ms, target 1500 ms); ` +
  `growth 1000 -> 5000 services: ${ratio.toFixed(2)}x the work for 5x the size (linear is 5x)`);

// init on the same stacks before they had classes: one x-voldriver line written per volume.
console.log('');
console.log('init -f stack.yml (no class yet on any volume; prints the file with one written on each)');
const initRows = [];
for (const services of [1000, 5000]) {
  const file = join(dir, `unclassed-${services}.yml`);
  writeFileSync(file, stack(services).replace(/^ {4}x-voldriver: .*\n/gm, ''));
  const t = time([cli, 'init', '-f', file], 5);
  initRows.push(t);
  console.log(`  ${String(services).padStart(8)}  ${String(services * 2).padStart(7)}  ${fmt(t.median)}  ${fmt(t.min)}`);
}
console.log(`growth 1000 -> 5000 services: ${((initRows[1].median - bare.median) / (initRows[0].median - bare.median)).toFixed(2)}x the work for 5x the size (linear is 5x)`);

// The GitHub Action on a repository of many stacks: one process (the committed bundle, as the runner starts it)
// checks every stack in every environment, beside the same work as one CLI run per stack and environment.
// Target: the Action at least 10x faster than the CLI loop.
{
  const STACKS = Number(process.env.BENCH_ACTION_STACKS ?? 200);
  const ENVIRONMENTS = ['dev', 'staging', 'prod'];
  const repo = join(dir, 'repo');
  const policy = [
    'version: 1',
    'default_class: durable',
    `environments: [${ENVIRONMENTS.join(', ')}]`,
    'classes:',
    '  durable:',
    '    driver: local',
    '    environments:',
    '      staging: { driver: local, driver_opts: { type: nfs, o: "addr=10.0.0.2,rw,nfsvers=4.1", device: ":/exports/{volume}" } }',
    '      prod: { driver: pxd, driver_opts: { size: "20G", repl: "3" } }',
    '  fast:',
    '    driver: local',
    '  shared:',
    '    driver: local',
    '    environments:',
    '      prod: { driver: local, driver_opts: { type: nfs, o: "addr=10.0.0.3,rw", device: ":/exports/{volume}" } }',
  ].join('\n') + '\n';
  for (let i = 0; i < STACKS; i++) {
    mkdirSync(join(repo, 'stacks', `s${i}`), { recursive: true });
    writeFileSync(join(repo, 'stacks', `s${i}`, 'compose.yml'), stack(5));
    writeFileSync(join(repo, 'stacks', `s${i}`, 'voldriver.yml'), policy);
  }
  const runnerTemp = mkdtempSync(join(tmpdir(), 'cv-bench-runner-'));
  const bundle = join(process.cwd(), 'dist-action/index.cjs');
  const actionEnv = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: repo,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: join(runnerTemp, 'output'),
    GITHUB_STEP_SUMMARY: join(runnerTemp, 'summary.md'),
    'INPUT_STACKS': 'stacks/*/compose.yml',
    'INPUT_ENVIRONMENT': 'all',
    'INPUT_SARIF': join(runnerTemp, 'results.sarif'),
    'INPUT_FAIL-ON': 'never',
    'INPUT_MODE': 'check',
    'INPUT_TARGET': 'compose',
    'INPUT_WORKING-DIRECTORY': '.',
  };
  const actionOnce = () => {
    writeFileSync(actionEnv.GITHUB_OUTPUT, '');
    writeFileSync(actionEnv.GITHUB_STEP_SUMMARY, '');
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [bundle], { cwd: repo, env: actionEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`the Action exited ${result.status}: ${result.stdout.slice(-2000)}${result.stderr}`);
    return ms;
  };
  actionOnce();
  const actionRuns = [actionOnce(), actionOnce(), actionOnce()];
  const action = median(actionRuns);
  const checked = readFileSync(actionEnv.GITHUB_OUTPUT, 'utf8');
  const volumes = JSON.parse(checked.match(/^volumes<<(.+)\n([\s\S]*?)\n\1$/m)[2]);
  const checks = Object.values(volumes).reduce((n, byStack) => n + Object.keys(byStack).length, 0);
  if (checks !== STACKS * ENVIRONMENTS.length) throw new Error(`the Action checked ${checks} stack-environments, not ${STACKS * ENVIRONMENTS.length}`);

  // The same work with the CLI: validate each stack in each environment, one process each.
  let cliTotal = 0;
  once([cli, 'validate', '-f', join(repo, 'stacks/s0/compose.yml'), '--env', 'dev']);
  for (let i = 0; i < STACKS; i++) {
    for (const env of ENVIRONMENTS) cliTotal += once([cli, 'validate', '-f', join(repo, 'stacks', `s${i}`, 'compose.yml'), '--env', env]);
  }
  const speedup = cliTotal / action;
  console.log('');
  console.log(`GitHub Action: ${STACKS} stacks x ${ENVIRONMENTS.length} environments (5 services, 10 volumes each)`);
  console.log(`  the Action, one process (median of 3)     ${fmt(action)}  (annotations, summary, SARIF and outputs included)`);
  console.log(`  ${String(STACKS * ENVIRONMENTS.length).padStart(3)} CLI runs (validate -f ... --env ...) ${fmt(cliTotal)}  (${(cliTotal / (STACKS * ENVIRONMENTS.length)).toFixed(1)} ms each)`);
  console.log(`target: the Action >= 10x faster than the CLI loop: ${speedup >= 10 ? 'met' : 'MISSED'} (${speedup.toFixed(1)}x)`);
}

// Side by side on the same generated stacks: compose-voldriver render, `docker stack config -c` (the docker CLI's
// own reading of a stack file) and `node -e 0`, with peak memory (GNU time); also one service mounting 20,000 and
// 50,000 classed volumes, and at two sizes stacks where every volume yields a finding and stacks full of anchors.
// Targets: 10 services within 1.5x of node -e 0; from 1,000 services up at most 0.5x of docker stack config; 5,000
// services under 200 MB; 50,000 volumes under 10 s; growth linear in services, volumes, findings and anchors.
{
  const docker = process.env.DOCKER ?? '/usr/local/bin/docker';
  const timeTool = '/usr/bin/time';
  const oneService = (volumes) => {
    const lines = ['services:', '  app:', '    image: nginx', '    volumes:'];
    for (let i = 0; i < volumes; i++) lines.push(`      - v${i}:/d${i}`);
    lines.push('volumes:');
    for (let i = 0; i < volumes; i++) lines.push(`  v${i}:`, `    x-voldriver: ${i % 2 ? 'durable' : 'fast'}`);
    return lines.join('\n') + '\n';
  };
  // Every volume yields a finding: one `local` volume per service with two replicas (node-local-storage).
  const everyVolumeWarned = (services) => {
    const lines = ['services:'];
    for (let i = 0; i < services; i++) lines.push(`  svc${i}:`, `    image: example/app:${i % 7}`, '    volumes:', `      - data${i}:/data`, '    deploy:', '      replicas: 2');
    lines.push('volumes:');
    for (let i = 0; i < services; i++) lines.push(`  data${i}:`, '    x-voldriver: fast');
    return lines.join('\n') + '\n';
  };
  // Anchors, aliases and merge keys on every service and volume: a shared base merged into each service, an anchor
  // per service that the next one aliases, an anchored placement, and shared labels merged into each volume.
  const anchored = (services) => {
    const lines = ['x-base: &base', '  image: example/app:1', '  restart: unless-stopped', '  logging: &logging', '    driver: json-file', '    options:', '      max-size: 10m'];
    lines.push('x-volume: &volume', '  labels:', '    team: storage', 'services:');
    for (let i = 0; i < services; i++) {
      lines.push(`  svc${i}:`, '    <<: *base', `    environment: &env${i}`, `      INDEX: "${i}"`, `      ROLE: r${i % 4}`);
      if (i > 0) lines.push(`    labels: *env${i - 1}`);
      lines.push('    logging: *logging', '    volumes:', `      - data${i}:/data`, '    deploy:', `      placement: &place${i}`, `        constraints: [node.labels.rack == r${i % 4}]`);
    }
    lines.push('volumes:');
    for (let i = 0; i < services; i++) lines.push(`  data${i}:`, '    <<: *volume', `    x-voldriver: ${i % 2 ? 'durable' : 'shared'}`);
    return lines.join('\n') + '\n';
  };
  const measure = (command, args) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(timeTool, ['-f', 'PEAK_KB=%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
    return { ms, mb: Number(/PEAK_KB=(\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1024 };
  };
  const medianOf = (runs, command, args) => {
    measure(command, args);
    const samples = Array.from({ length: runs }, () => measure(command, args));
    return { ms: median(samples.map((s) => s.ms)), mb: Math.max(...samples.map((s) => s.mb)) };
  };
  const cases = [
    ['10 services', stack(10), RUNS],
    ['1,000 services', stack(1000), 5],
    ['5,000 services', stack(5000), 5],
    ['1 service, 20,000 volumes', oneService(20000), 3],
    ['1 service, 50,000 volumes', oneService(50000), 3],
    ['1,000 findings', everyVolumeWarned(1000), 5],
    ['5,000 findings', everyVolumeWarned(5000), 5],
    ['1,000 anchored services', anchored(1000), 5],
    ['5,000 anchored services', anchored(5000), 5],
  ];
  console.log('');
  console.log('side by side (median wall time, peak memory)');
  console.log('  stack                        node -e 0         compose-voldriver render     docker stack config -c    render/docker');
  const results = {};
  for (const [label, text, runs] of cases) {
    const file = join(dir, `side-${label.replace(/\W+/g, '-')}.yml`);
    writeFileSync(file, text);
    const node = medianOf(runs, process.execPath, ['-e', '0']);
    const ours = medianOf(runs, cli, ['render', '-f', file, '-o', join(dir, 'side-out.yml')]);
    const theirs = medianOf(runs, docker, ['stack', 'config', '-c', file]);
    results[label] = { node, ours, theirs };
    const cell = (m) => `${m.ms.toFixed(0).padStart(7)} ms ${m.mb.toFixed(0).padStart(4)} MB`;
    console.log(`  ${label.padEnd(27)}  ${cell(node)}  ${cell(ours)} (${(ours.ms / node.ms).toFixed(2)}x node)  ${cell(theirs)}  ${(ours.ms / theirs.ms).toFixed(2)}x`);
  }
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  const r = results;
  console.log('');
  console.log(`targets: 10 services within 1.5x of node -e 0: ${verdict(r['10 services'].ours.ms <= 1.5 * r['10 services'].node.ms)} (${(r['10 services'].ours.ms / r['10 services'].node.ms).toFixed(2)}x)`);
  for (const label of ['1,000 services', '5,000 services']) {
    console.log(`targets: ${label} at most 0.5x of docker stack config: ${verdict(r[label].ours.ms <= 0.5 * r[label].theirs.ms)} (${(r[label].ours.ms / r[label].theirs.ms).toFixed(2)}x)`);
  }
  console.log(`targets: 5,000 services under 200 MB: ${verdict(r['5,000 services'].ours.mb < 200)} (${r['5,000 services'].ours.mb.toFixed(0)} MB)`);
  console.log(`targets: 50,000 volumes under 10 s: ${verdict(r['1 service, 50,000 volumes'].ours.ms < 10_000)} (${(r['1 service, 50,000 volumes'].ours.ms / 1000).toFixed(1)} s)`);
  const growth = (r['1 service, 50,000 volumes'].ours.ms - r['10 services'].node.ms) / (r['1 service, 20,000 volumes'].ours.ms - r['10 services'].node.ms);
  console.log(`growth 20,000 -> 50,000 volumes on one service: ${growth.toFixed(2)}x the work for 2.5x the size (linear is 2.5x)`);
  // The work beyond starting node, from the smaller size to the larger.
  const work = (label) => r[label].ours.ms - r['10 services'].node.ms;
  for (const [small, large, what] of [
    ['1,000 services', '5,000 services', 'services'],
    ['1,000 findings', '5,000 findings', 'findings (one warning per volume)'],
    ['1,000 anchored services', '5,000 anchored services', 'services with anchors, aliases and merge keys'],
  ]) {
    console.log(`growth 1,000 -> 5,000 ${what}: ${(work(large) / work(small)).toFixed(2)}x the work for 5x the size (linear is 5x)`);
  }
}
