import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A test that takes half a second alone took over 5 s on a 2-core machine running every
    // package's tests at once.
    testTimeout: 60_000,
  },
});
