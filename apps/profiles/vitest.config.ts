import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // The service tests start real servers and child processes: seconds on a busy two-core
    // machine, more than vitest's 5 s default. Not a speed check.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
