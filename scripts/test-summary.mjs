// Closes a test run with one line, "tests: N passed, N failed, N skipped", over both runs of the suite (with the
// fast YAML reader, and with COMPOSE_VOLDRIVER_FAST_YAML=0), and its verdict: any failure fails the run, and in CI
// so does any skipped test (a skipped test proves nothing).
import { existsSync, readFileSync } from 'node:fs';

const runs = [
  { file: '.test-results.json', name: 'fast YAML reader on' },
  { file: '.test-results.fast-yaml-off.json', name: 'fast YAML reader off (COMPOSE_VOLDRIVER_FAST_YAML=0)' },
];
let passed = 0;
let failed = 0;
let skipped = 0;
let success = true;
for (const run of runs) {
  if (!existsSync(run.file)) {
    console.error(`test-summary: no results file ${run.file}: the run with the ${run.name} did not finish`);
    process.exit(1);
  }
  const results = JSON.parse(readFileSync(run.file, 'utf8'));
  const counts = {
    passed: results.numPassedTests ?? 0,
    failed: (results.numFailedTests ?? 0) + (results.numRuntimeErrorTestSuites ?? 0),
    skipped: (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0),
  };
  console.log(`  ${run.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  if (counts.passed === 0) {
    console.error(`test-summary: no test ran with the ${run.name}`);
    success = false;
  }
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  success &&= results.success === true;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || !success) process.exit(1);
if (skipped > 0 && process.env.CI) {
  console.error('test-summary: tests were skipped; in CI every test must run');
  process.exit(1);
}
