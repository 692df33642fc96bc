import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share a worker's modules: re-importing fastify, core and the backends for each
    // of 63 files was half the package's CPU (82 s against 31 s). No test mocks a module.
    isolate: false,
    environment: 'node',
    // A zone far from UTC, half-hour offset and all (+12:45/+13:45): a local-time getter or
    // formatter that creeps into the code shows here, where UTC would hide it.
    env: { TZ: 'Pacific/Chatham' },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A file's first test loads its spec and starts a server over real sockets: seconds on a
    // busy two-core machine, more than vitest's 5 s default. Not a speed check.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
