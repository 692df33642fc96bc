import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The AWS SDK's documented switch for its Node-version notice, printed on every client.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
