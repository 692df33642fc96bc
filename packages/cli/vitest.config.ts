import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Every command runs as a subprocess of the built binary: build it once first.
    globalSetup: ['test/build-cli.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
