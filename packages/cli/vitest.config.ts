import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The AWS SDK's documented switch for its Node-version notice, printed on every client.
    // TZ: a zone far from UTC, half-hour offset and all (+12:45/+13:45), for the commands run
    // here too: a local-time getter or formatter that creeps into the code shows here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', TZ: 'Pacific/Chatham' },
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Every command runs as a subprocess of the built binary: build it once first. The
    // projects the tests compile go to warm compile servers, started once for the run.
    globalSetup: ['test/build-cli.ts', 'test/compile-servers.ts'],
    // Coverage is c8's, around this run (package.json's test script), not vitest's: c8 follows
    // the subprocesses, through dist's source maps back to src.
    // A bound on hangs, not a speed check: a test running several subprocesses took 42 s in a
    // CI run on a slow host, with four packages' tests sharing two cores.
    testTimeout: 120_000,
    // Two test files at once (each in a process of its own, whose coverage c8 collects): most
    // of a test's time is a `macaron` subprocess, and this package's tests are the last of a
    // CI run, alone on one core of two otherwise.
    maxWorkers: 2,
    hookTimeout: 120_000,
  },
});
