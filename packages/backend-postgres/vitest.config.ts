import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share a worker's modules (pg, PGlite's loader, core), imported once instead of
    // once a file (16 s of a CI run). No test mocks a module.
    isolate: false,
    // Two test files at once (vitest's default is one on two cores): this package's tests end a
    // CI run, alone on one core of two otherwise, the conformance suite on PGlite the longest.
    maxWorkers: 2,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A bound on hangs, not a speed check: with two files at once beside three other packages'
    // tests on two cores, a bundling test (14 s in a CI run) may take twice as long.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
