import { PGlite } from '@electric-sql/pglite';
import { InvalidRequestError, loadApi, type StoredValue } from '@macaron/core';
import type { UpdateOperation } from '@macaron/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../src/index.js';

// An update's values are read once, however deep (P-105): the operations checked are the ones
// stored. A getter answering a function after the check was copied (cloneValue) and stored,
// a function JSON then dropped; 40 levels of maps, past DynamoDB's 32, were stored too.

let database: PGlite;
beforeAll(async () => {
  database = await PGlite.create();
});
afterAll(() => database.close());

describe('[P-105] the values of an update given to the PostgreSQL backend', () => {
  it('are read once, however deep: a getter answering otherwise later stores nothing unchecked', async () => {
    const backend = createPostgresBackend({ pglite: database });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'values read once', version: '1' },
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
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const model = api.persistent('Note').descriptor;
    let nested: StoredValue = 'leaf';
    for (let level = 0; level < 40; level++) nested = { d: nested };
    for (const kind of ['update', 'transaction'] as const) {
      let reads = 0;
      // A string when first read (as checked), then a function, then 40 levels of maps.
      const inner = {
        get x(): unknown {
          reads++;
          return reads === 1 ? 'checked' : reads === 2 ? () => 1 : nested;
        },
      };
      const request = {
        model,
        key: { id: kind },
        operations: [
          { action: 'set', path: 'm', value: { inner } },
        ] as unknown as UpdateOperation[],
      };
      if (kind === 'update') {
        await backend.updateItem(request);
        expect(reads).toBe(1);
        expect(await backend.getItem({ model, key: { id: kind }, consistent: true })).toEqual({
          id: kind,
          m: { inner: { x: 'checked' } },
        });
      } else {
        // checkTransactionRequest measured the values first: the snapshot, checked, holds the
        // function read next, and is refused, with nothing stored.
        await expect(
          backend.transactWrite([{ kind: 'update', ...request }]),
        ).rejects.toBeInstanceOf(InvalidRequestError);
        expect(
          await backend.getItem({ model, key: { id: kind }, consistent: true }),
        ).toBeUndefined();
      }
    }
  });
});
