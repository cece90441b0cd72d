import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    // Builds the web console (console/dist) once before any test file runs.
    globalSetup: ['test/support/console-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // argon2 and SQLite are native; a few forks keep a 2-core machine responsive.
    maxWorkers: 2,
  },
});
