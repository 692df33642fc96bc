import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // A zone far from UTC, half-hour offset and all (+12:45/+13:45): a local-time getter or
    // formatter that creeps into the code shows here, where UTC would hide it.
    env: { TZ: 'Pacific/Chatham' },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Core's tests share no global state (each builds its own API), so files can share a
    // worker: this skips re-importing the spec bundler per file and keeps the run short.
    isolate: false,
    // The default 5 s is tight for tests that bundle a spec, start a child process or walk
    // values 100,000 levels deep (1.5 s alone, 20 s seen on a loaded host) while turbo runs
    // every package's tests at once on two cores. A bound on hangs, not a speed check.
    testTimeout: 60_000,
  },
});
