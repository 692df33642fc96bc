import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';

const local = useLocalEngine();

describe('bytes read from DynamoDB', () => {
  it('[P-99] each loaded value owns its bytes: none is a view into the SDK pool that other items, the response and the signing text share', async () => {
    const backend = createDynamoDbBackend({ client: local().engine.client });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'bytes', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Blob: {
              type: 'object',
              required: ['owner', 'id'],
              'x-persist': { table: 'blobs', key: 'owner', sort: 'id' },
              properties: {
                owner: { type: 'string' },
                id: { type: 'string' },
                data: { type: 'string', format: 'binary' },
                parts: {
                  type: 'array',
                  uniqueItems: true,
                  items: { type: 'string', format: 'binary' },
                },
              },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const Blob = api.persistent<{
      owner: string;
      id: string;
      data: Uint8Array;
      parts: Set<Uint8Array>;
    }>('Blob');
    await Blob.saveMany(
      [1, 2, 3].map((n) => ({
        owner: 'o',
        id: `b${n}`,
        data: Uint8Array.of(n, n, n),
        parts: new Set([Uint8Array.of(n), Uint8Array.of(n, 0)]),
      })),
    );
    const { items } = await Blob.query({ partition: 'o' });
    const values = items.flatMap((item) => [item.data, ...item.parts]);
    expect(values).toHaveLength(9);
    for (const value of values) {
      expect(value.byteOffset).toBe(0);
      expect(value.buffer.byteLength).toBe(value.byteLength);
    }
    expect(new Set(values.map((value) => value.buffer)).size).toBe(9);
    new Uint8Array(items[0]!.data.buffer).fill(9);
    expect([...items[1]!.data]).toEqual([2, 2, 2]);
    expect([...(await Blob.load({ owner: 'o', id: 'b2' }))!.data]).toEqual([2, 2, 2]);
  });
});
