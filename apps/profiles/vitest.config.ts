import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share a worker's modules, imported once instead of once a file. No test mocks a
    // module; the test that stubs environment variables restores them after each test.
    isolate: false,
    environment: 'node',
    // The service runs in the test process too: no AWS SDK notice about Node 22 in the output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // The service tests start real servers and child processes: seconds on a busy two-core
    // machine, more than vitest's 5 s default. Not a speed check.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
