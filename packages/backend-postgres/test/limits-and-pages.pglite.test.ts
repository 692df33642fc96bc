import { PGlite } from '@electric-sql/pglite';
import { InvalidRequestError, loadApi, type StoredItem } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, postgresCapabilities } from '../src/index.js';

// What the conformance suite cannot see, as it reads the limits from the backend and checks
// what is stored: DynamoDB's batch limit kept (code and data move between backends unchanged),
// and a page's lastKey that shares no bytes with the items it was read with (P-99).

let database: PGlite;
beforeAll(async () => {
  database = await PGlite.create();
});
afterAll(() => database.close());

describe("DynamoDB's batch write limit", () => {
  it('is 25: a batchWrite of 26 is refused, nothing written', async () => {
    expect(postgresCapabilities.maxBatchWrite).toBe(25);
    const backend = createPostgresBackend({ pglite: database });
    expect(backend.capabilities.maxBatchWrite).toBe(25);
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'limits', version: '1' },
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
    const entries = Array.from({ length: 26 }, (_, index) => ({
      model,
      put: { id: `n${index}` } as StoredItem,
    }));
    await expect(backend.batchWrite(entries)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await backend.getItem({ model, key: { id: 'n0' }, consistent: true })).toBeUndefined();
  });
});

describe('a page whose last item has a binary key', () => {
  it("hands back a lastKey that shares no bytes with the page's items", async () => {
    const backend = createPostgresBackend({ pglite: database });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'lastkey', version: '1' },
        paths: {},
        components: {
          schemas: {
            Tile: {
              type: 'object',
              required: ['layer', 'code'],
              'x-persist': { table: 'tiles', key: 'layer', sort: 'code' },
              properties: {
                layer: { type: 'string' },
                code: { type: 'string', format: 'binary' },
              },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const model = api.persistent('Tile').descriptor;
    for (const code of [1, 2, 3])
      await backend.putItem({
        model,
        item: { layer: 'l', code: new Uint8Array([code]) } as StoredItem,
      });
    const page = await backend.query({ model, partition: 'l', limit: 1, consistent: true });
    expect(page.lastKey).toEqual({ layer: 'l', code: new Uint8Array([1]) });
    // The caller reuses the item it was handed.
    (page.items[0]!.code as Uint8Array)[0] = 3;
    expect(page.lastKey).toEqual({ layer: 'l', code: new Uint8Array([1]) });
    const next = await backend.query({
      model,
      partition: 'l',
      limit: 1,
      consistent: true,
      startKey: page.lastKey!,
    });
    expect(next.items).toEqual([{ layer: 'l', code: new Uint8Array([2]) }]);
  });
});
