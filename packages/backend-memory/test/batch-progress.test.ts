import { loadApi, type StorageBackend } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend, type MemoryBackend } from '../src/index.js';

// Core's batch retry gives up after `batchRetry.attempts` calls in a row that leave everything
// unprocessed; "a call that processes some starts the count again" (BatchRetryOptions). An
// engine that caps what one call processes (dynalite answers 1 MB of a BatchGetItem) takes more
// calls than that for a large batch, each making progress: every entry must still land.

const spec = {
  openapi: '3.0.3',
  info: { title: 'progress', version: '1' },
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

// The memory backend, processing only the first entry of each batch call (a fault injected:
// what an engine leaves unprocessed, it answers as such).
function oneEntryPerCall(): MemoryBackend {
  const memory = createMemoryBackend();
  return Object.assign(Object.create(memory) as MemoryBackend, {
    async batchGet(...[entries, options]: Parameters<StorageBackend['batchGet']>) {
      const { found } = await memory.batchGet(entries.slice(0, 1), options);
      return { found, unprocessed: entries.slice(1) };
    },
    async batchWrite(...[entries]: Parameters<StorageBackend['batchWrite']>) {
      await memory.batchWrite(entries.slice(0, 1));
      return { unprocessed: entries.slice(1) };
    },
  });
}

describe('[P-65] batches an engine processes a little at a time', () => {
  it('write and read every entry, however many calls that takes, when each call makes progress', async () => {
    const backend = oneEntryPerCall();
    const api = await loadApi(spec, {
      backend,
      batchRetry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    });
    await backend.ensureTables(api.tables());
    const Note = api.persistent('Note');
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await Note.saveMany(ids.map((id) => ({ id })));
    expect((await Note.getMany(ids)).map((note) => note?.id)).toEqual(ids);
    await Note.deleteMany(ids);
    expect(await Note.getMany(ids)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
