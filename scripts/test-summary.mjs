// Closes a test run with one line, "N passed, N failed, N skipped", and its verdict: any failure fails the run,
// and in CI so does any skipped test (a skipped test proves nothing).
import { existsSync, readFileSync } from 'node:fs';

const file = '.test-results.json';
if (!existsSync(file)) {
  console.error('test-summary: no results file: the test runner did not finish');
  process.exit(1);
}
const results = JSON.parse(readFileSync(file, 'utf8'));
const passed = results.numPassedTests ?? 0;
const failed = (results.numFailedTests ?? 0) + (results.numRuntimeErrorTestSuites ?? 0);
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || !results.success) process.exit(1);
if (passed === 0) {
  console.error('test-summary: no test ran');
  process.exit(1);
}
if (skipped > 0 && process.env.CI) {
  console.error('test-summary: tests were skipped; in CI every test must run');
  process.exit(1);
}
