import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files share a worker's modules, imported once instead of once a file. No test mocks a
    // module.
    isolate: false,
    environment: 'node',
    // A zone far from UTC, half-hour offset and all (+12:45/+13:45): a local-time getter or
    // formatter that creeps into the code shows here, where UTC would hide it.
    env: { TZ: 'Pacific/Chatham' },
    // Contention groups and the differential harness's shrinking run seconds of real work;
    // turbo runs every package's tests at once on two cores. Not a speed check.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
