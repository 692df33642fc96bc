import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The guide's files import the package by its name, as an author's do: here, its source.
    alias: [
      {
        find: /^@macaron\/backend-conformance$/,
        replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    // Test files share a worker's modules, imported once instead of once a file. No test mocks a
    // module.
    isolate: false,
    environment: 'node',
    // Contention groups and the differential harness's shrinking run seconds of real work;
    // turbo runs every package's tests at once on two cores. Not a speed check.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
