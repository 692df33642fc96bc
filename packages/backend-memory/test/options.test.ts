import { loadApi, UnsupportedOperationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

describe('createMemoryBackend capabilities', () => {
  it.each([
    [{ maxBatchGet: 0 }, 'capabilities.maxBatchGet must be a whole number of at least 1, not 0'],
    [{ maxBatchWrite: -5 }, 'capabilities.maxBatchWrite must be a whole number of at least 1'],
    [{ maxBatchWrite: 0.5 }, 'not 0.5'],
    [{ maxItemBytes: Number.NaN }, 'capabilities.maxItemBytes'],
    [{ transactions: 1 }, 'capabilities.transactions must be true or false'],
    [
      { maxBatchGets: 10 },
      'capabilities has no "maxBatchGets" (it has transactions, ttl, maxBatchGet, maxBatchWrite, maxTransactionActions, maxItemBytes, walkPageLimit)',
    ],
    [
      { walkPageLimit: 0 },
      'capabilities.walkPageLimit must be a whole number of at least 1, not 0',
    ],
    [{ walkPageLimit: '100' }, 'capabilities.walkPageLimit must be a whole number of at least 1'],
  ])('refuses %j, naming the capability', (capabilities, message) => {
    const create = () => createMemoryBackend({ capabilities: capabilities as never });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });

  it("has DynamoDB's limits by default, so that code that passes on it passes on DynamoDB", () => {
    // The conformance suite reads the limits from the backend: it cannot catch these moving.
    expect(createMemoryBackend().capabilities).toEqual({
      transactions: true,
      ttl: false,
      maxBatchGet: 100,
      maxBatchWrite: 25,
      maxTransactionActions: 100,
      maxItemBytes: 400 * 1024,
      walkPageLimit: 1000,
    });
  });

  it('takes overrides, an undefined one keeping the default', () => {
    const backend = createMemoryBackend({
      capabilities: { maxBatchWrite: 5, maxBatchGet: undefined, maxBatchGets: undefined } as never,
    });
    expect(backend.capabilities).toMatchObject({ maxBatchWrite: 5, maxBatchGet: 100 });
    // A name it does not have, holding undefined, is absent too (P-110): not copied either.
    expect(Object.hasOwn(backend.capabilities, 'maxBatchGets')).toBe(false);
  });

  it('walks without a limit by pages of walkPageLimit items, 1,000 unless overridden', async () => {
    const backend = createMemoryBackend({ capabilities: { walkPageLimit: 2 } });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'walks', version: '1' },
        paths: {},
        components: {
          schemas: {
            Note: {
              type: 'object',
              required: ['owner', 'id'],
              'x-persist': { table: 'notes', key: 'owner', sort: 'id' },
              properties: { owner: { type: 'string' }, id: { type: 'string' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const Note = api.persistent<{ owner: string; id: string }>('Note');
    await Note.saveMany(['a', 'b', 'c', 'd', 'e'].map((id) => ({ owner: 'o', id })));
    const limits: (number | undefined)[] = [];
    const query = backend.query.bind(backend);
    backend.query = (request) => {
      limits.push(request.limit);
      return query(request);
    };
    const ids: string[] = [];
    for await (const note of Note.queryAll({ partition: 'o' })) ids.push(note.id);
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(limits).toEqual([2, 2, 2]);
    // A limit holding undefined is no limit (P-110): the walk's pages are bounded all the same.
    limits.length = 0;
    for await (const note of Note.queryAll({ partition: 'o', limit: undefined })) ids.push(note.id);
    expect(limits).toEqual([2, 2, 2]);
  });
});

describe('createMemoryBackend options (P-110)', () => {
  it('refuses a key it does not take with a TypeError naming it and the options taken', () => {
    const create = () => createMemoryBackend({ capabilites: { transactions: false } } as never);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(
      'createMemoryBackend has no option "capabilites" (options: capabilities)',
    );
  });

  it('takes an option given as undefined', () => {
    expect(createMemoryBackend({ capabilities: undefined }).capabilities.transactions).toBe(true);
  });
});

describe('createMemoryBackend({ capabilities: { transactions: false } })', () => {
  it('refuses a transactWrite as the DynamoDB backend made so does: UnsupportedOperationError, nothing written', async () => {
    const backend = createMemoryBackend({ capabilities: { transactions: false } });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'no transactions', version: '1' },
        paths: {},
        components: {
          schemas: {
            User: {
              type: 'object',
              required: ['id'],
              'x-persist': { table: 'users', key: 'id' },
              properties: { id: { type: 'string' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const model = api.persistent('User').descriptor;
    const error = await backend
      .transactWrite([{ kind: 'put', model, item: { id: 'a' } }])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as UnsupportedOperationError).code).toBe('NOT_SUPPORTED');
    expect((error as Error).message).toBe(
      'TransactWriteItems: this backend was created with capabilities.transactions false',
    );
    expect(backend.readItem('users', { id: 'a' })).toBeUndefined();
    // Its other writes go on.
    await backend.putItem({ model, item: { id: 'b' } });
    expect(backend.readItem('users', { id: 'b' })).toEqual({ id: 'b' });
  });
});
