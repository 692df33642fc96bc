import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Scratch projects hold the READMEs' blocks as files: they are not this package's tests.
    exclude: ['**/node_modules/**', '.scratch/**'],
  },
});
