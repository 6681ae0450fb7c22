import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the schema validators (src/schema/generated) once before any test file runs.
    globalSetup: ['test/global-setup.ts'],
    // Time limits catch hangs, not slowness: speed is measured by the benchmark. A loaded machine (CI on two
    // cores, the suite's files in parallel) can take several times the idle duration of a heavy case.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
