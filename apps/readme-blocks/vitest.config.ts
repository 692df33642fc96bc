import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Scratch projects hold the READMEs' blocks as files: they are not this package's tests.
    exclude: ['**/node_modules/**', '.scratch/**'],
    // Blocks compile and run TypeScript and start engines: on a 2-core machine running every
    // package's tests at once, 5 s is not enough for a block that takes 0.5 s alone.
    testTimeout: 120_000,
  },
});
