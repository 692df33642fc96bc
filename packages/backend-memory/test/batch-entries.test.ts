import { BackendError, BatchIncompleteError, loadApi } from '@macaron/core';
import type { BatchGetEntry, BatchWriteEntry, StorageBackend } from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// The contract (docs/backends/authoring.md §3): batchGet and batchWrite answer with the entry
// objects they were given ("the same objects"). Core matches the answer to the request by
// those objects, so an answer naming a copy, or an entry never given, used to be taken as "no
// item" (getMany gave undefined for a stored item) or retried as a write of its own: a
// backend's mistake became a wrong answer. It is a BackendError instead, nothing guessed.

const spec = {
  openapi: '3.0.3',
  info: { title: 'entries', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id' },
        properties: { id: { type: 'string' }, text: { type: 'string' } },
      },
    },
  },
};

/** The memory backend with some methods replaced (its methods live on a prototype). */
function over(memory: StorageBackend, methods: Partial<StorageBackend>): StorageBackend {
  return {
    contractVersion: memory.contractVersion,
    name: memory.name,
    capabilities: memory.capabilities,
    getItem: (request) => memory.getItem(request),
    putItem: (request) => memory.putItem(request),
    deleteItem: (request) => memory.deleteItem(request),
    updateItem: (request) => memory.updateItem(request),
    query: (request) => memory.query(request),
    scan: (request) => memory.scan(request),
    batchGet: (entries, options) => memory.batchGet(entries, options),
    batchWrite: (entries) => memory.batchWrite(entries),
    transactWrite: (actions) => memory.transactWrite(actions),
    ...methods,
  };
}

async function apiOn(wrap: (memory: StorageBackend) => StorageBackend) {
  const memory = createMemoryBackend();
  const api = await loadApi(spec, { backend: wrap(memory) });
  await memory.ensureTables(api.tables());
  const plain = await loadApi(spec, { backend: memory });
  await plain.persistent('Note').saveMany([
    { id: 'a', text: 'a' },
    { id: 'b', text: 'b' },
  ]);
  return { api, memory };
}

describe('batch answers name the entries given', () => {
  it('getMany refuses a batchGet answer whose found entry is a copy (BackendError), never "no item"', async () => {
    const { api } = await apiOn((memory) =>
      over(memory, {
        async batchGet(entries: readonly BatchGetEntry[], options?: { consistent?: boolean }) {
          const result = await memory.batchGet(entries, options);
          return {
            found: result.found.map(({ entry, item }) => ({ entry: { ...entry }, item })),
            unprocessed: result.unprocessed,
          };
        },
      }),
    );
    const error = await api
      .persistent('Note')
      .getMany(['a', 'b'])
      .then(
        (found) => found,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/batchGet.*not one of the entries/);
  });

  it('getMany refuses a batchGet answer listing one entry both found and unprocessed', async () => {
    const { api } = await apiOn((memory) =>
      over(memory, {
        async batchGet(entries: readonly BatchGetEntry[], options?: { consistent?: boolean }) {
          const result = await memory.batchGet(entries, options);
          return { found: result.found, unprocessed: result.found.map(({ entry }) => entry) };
        },
      }),
    );
    const error = await api
      .persistent('Note')
      .getMany(['a', 'b'])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/batchGet.*one twice/);
  });

  it('getMany refuses a batchGet answer leaving unprocessed an entry it was not given', async () => {
    const { api } = await apiOn((memory) => {
      let calls = 0;
      return over(memory, {
        async batchGet(entries: readonly BatchGetEntry[], options?: { consistent?: boolean }) {
          calls++;
          if (calls > 1) return memory.batchGet(entries, options);
          const [first, ...rest] = entries;
          const result = await memory.batchGet(rest, options);
          return { found: result.found, unprocessed: [{ ...first! }] };
        },
      });
    });
    const error = await api
      .persistent('Note')
      .getMany(['a', 'b'])
      .then(
        (found) => found,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(BackendError);
  });

  it('saveMany refuses a batchWrite answer leaving unprocessed an entry it was not given', async () => {
    const { api, memory } = await apiOn((inner) =>
      over(inner, {
        async batchWrite(entries: readonly BatchWriteEntry[]) {
          await inner.batchWrite(entries);
          // An entry of its own making: nothing the caller asked for.
          const [first] = entries;
          return { unprocessed: [{ model: first!.model, put: { id: 'never-given' } }] };
        },
      }),
    );
    const error = await api
      .persistent('Note')
      .saveMany([{ id: 'c', text: 'c' }])
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    // The chunk was sent and answered nonsense: written or not, it is unconfirmed.
    expect(error).toBeInstanceOf(BatchIncompleteError);
    expect((error as BatchIncompleteError).unconfirmed.map((entry) => entry.key)).toEqual([
      { id: 'c' },
    ]);
    const cause = (error as BatchIncompleteError).cause;
    expect(cause).toBeInstanceOf(BackendError);
    expect((cause as BackendError).message).toMatch(/batchWrite.*not one of the entries/);
    const notes = api.tables()[0]!;
    expect(
      await memory.getItem({
        model: { name: 'raw', table: notes } as never,
        key: { id: 'never-given' },
      }),
    ).toBeUndefined();
  });
});
