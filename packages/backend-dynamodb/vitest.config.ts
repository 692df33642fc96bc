import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share a worker's modules: re-importing the AWS SDK, dynamodb-toolbox and core
    // for each file cost 37 s of a CI run. No test mocks a module.
    isolate: false,
    // The AWS SDK's documented switch for its Node-version notice, printed on every client.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
