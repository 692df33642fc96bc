import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share a worker's modules: re-importing the AWS SDK, dynamodb-toolbox and core
    // for each file cost 37 s of a CI run. No test mocks a module.
    isolate: false,
    // Two test files at once (vitest's default is one on two cores): the conformance suite on
    // moto is a third of this package's time, its other files waited behind it.
    maxWorkers: 2,
    // The AWS SDK's documented switch for its Node-version notice, printed on every client.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Bounds on hangs, not speed checks: with two files at once beside three other packages'
    // tests on two cores, a fault-proxy schedule (9.5 s in a CI run) may take twice as long.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
