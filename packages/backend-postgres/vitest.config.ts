import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share a worker's modules (pg, PGlite's loader, core), imported once instead of
    // once a file (16 s of a CI run). No test mocks a module.
    isolate: false,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
