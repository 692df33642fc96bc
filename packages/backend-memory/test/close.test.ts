import { loadApi, UnreachableError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

const spec = {
  openapi: '3.0.3',
  info: { title: 'close', version: '1' },
  paths: {},
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'things', key: 'id' },
        properties: { id: { type: 'string' }, n: { type: 'integer' } },
      },
    },
  },
};

// The memory backend stands in for the others in unit tests: code that goes on using a backend
// it closed (a shutdown that closes storage before its last handler) fails there as it does
// on PostgreSQL and DynamoDB, rather than pass its tests and fail in production.
describe('closing the memory backend', () => {
  it('refuses every call made after it with UnreachableError saying the backend is closed, nothing read or written', async () => {
    const backend = createMemoryBackend();
    const api = await loadApi(spec, { backend });
    const Thing = api.persistent<{ id: string; n?: number }>('Thing');
    await Thing.create({ id: 'kept', n: 1 });
    await Promise.all([backend.close(), backend.close()]);
    await backend.close();
    const calls: [string, () => Promise<unknown>][] = [
      ['GetItem', () => Thing.load('kept')],
      ['PutItem', () => Thing.create({ id: 'late', n: 2 })],
      ['UpdateItem', () => Thing.update('kept', { set: { n: 3 } })],
      ['DeleteItem', () => Thing.delete('kept')],
      ['Query', () => Thing.query({ partition: 'kept' })],
      ['Scan', () => Thing.scan()],
      ['BatchGetItem', () => Thing.getMany(['kept'])],
      ['BatchWriteItem', () => Thing.saveMany([new Thing({ id: 'late2' })])],
      [
        'TransactWriteItems',
        () => api.transaction((transaction) => transaction.create(new Thing({ id: 'late3' }))),
      ],
      ['ensureTables', () => backend.ensureTables(api.tables())],
    ];
    for (const [operation, call] of calls) {
      const error = await call().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, operation).toBeInstanceOf(UnreachableError);
      expect((error as Error).message, operation).toBe(
        `memory ${operation}: the backend is closed (nothing was sent)`,
      );
    }
    // What a test inspects stays readable: nothing was written, the item kept its value.
    expect(backend.readItem('things', { id: 'kept' })).toEqual({ id: 'kept', n: 1 });
    for (const id of ['late', 'late2', 'late3'])
      expect(backend.readItem('things', { id })).toBeUndefined();
  });
});
