import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the schema validators (src/schema/generated) once before any test file runs.
    globalSetup: ['test/global-setup.ts'],
  },
});
