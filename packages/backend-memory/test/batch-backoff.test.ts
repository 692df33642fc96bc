import { createFlakyBackend } from '@macaron/backend-conformance';
import { BatchIncompleteError, loadApi } from '@macaron/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// Core's batch retry (persist/batch-operations.ts) backs off exponentially: "First back-off
// delay in ms; it doubles each time, with full jitter" (BatchRetryOptions.baseDelayMs), P-65
// "retried with back-off". No test looked at the delays, so a back-off that never grew
// (`backoff(context.retry, 1)` for every retry) passed. With the jitter pinned (Math.random
// at 0.5), the waits before retries 2..5 are 0.5 × 8, 16, 32, 64 ms, each capped at maxDelayMs.

const spec = {
  openapi: '3.0.3',
  info: { title: 'backoff', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id' },
        properties: { id: { type: 'string' } },
      },
    },
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

async function delaysOf(run: (api: Awaited<ReturnType<typeof loadApi>>) => Promise<unknown>) {
  const memory = createMemoryBackend();
  const flaky = createFlakyBackend(memory, {
    holdBack: (entry) =>
      ('put' in entry ? entry.put.id : 'delete' in entry ? entry.delete.id : entry.key.id) ===
      'held',
    times: Number.POSITIVE_INFINITY,
  });
  const api = await loadApi(spec, {
    backend: flaky,
    batchRetry: { attempts: 5, baseDelayMs: 8, maxDelayMs: 40 },
  });
  await memory.ensureTables(api.tables());
  const delays: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, delay?: number) => {
    delays.push(delay ?? 0);
    return realSetTimeout(callback, 0);
  }) as typeof setTimeout);
  const error = await run(api).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  vi.restoreAllMocks();
  expect(error).toBeInstanceOf(BatchIncompleteError);
  return delays;
}

describe('batch back-off', () => {
  it('grows, doubling up to maxDelayMs, for writes left unprocessed', async () => {
    const delays = await delaysOf((api) =>
      api.persistent('Note').saveMany([{ id: 'a' }, { id: 'held' }]),
    );
    expect(delays).toEqual([4, 8, 16, 20]);
  });

  it('grows, doubling up to maxDelayMs, for reads left unprocessed', async () => {
    const delays = await delaysOf((api) => api.persistent('Note').getMany(['a', 'held']));
    expect(delays).toEqual([4, 8, 16, 20]);
  });
});
