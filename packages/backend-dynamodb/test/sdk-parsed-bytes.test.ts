import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';

// An answer the SDK parsed itself (here a canned one, as in requests.test.ts: an
// application's middleware answering before Macaron's parse) carries bytes as Uint8Array views
// into a buffer the SDK shares. P-99: each loaded value owns its bytes.

const spec = {
  openapi: '3.0.3',
  info: { title: 'k-dy11', version: '1' },
  paths: {},
  components: {
    schemas: {
      Blob: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'blobs', key: 'id' },
        properties: { id: { type: 'string' }, data: { type: 'string', format: 'binary' } },
      },
    },
  },
};

describe('bytes of an answer the SDK parsed itself', () => {
  it('[P-99] a loaded value owns its bytes: the SDK buffer changing later changes nothing', async () => {
    const pool = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    client.middlewareStack.add(
      (_next, context) => async () => {
        if (context.commandName === 'GetItemCommand')
          return {
            output: { $metadata: {}, Item: { id: { S: 'a' }, data: { B: pool.subarray(2, 5) } } },
            response: {},
          };
        return { output: { $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'cannedAnswers', priority: 'high' },
    );
    const backend = createDynamoDbBackend({ client });
    const api = await loadApi(spec, { backend });
    const Blob = api.persistent<{ id: string; data: Uint8Array }>('Blob');
    const blob = await Blob.load({ id: 'a' });
    expect([...blob.data]).toEqual([2, 3, 4]);
    const direct = await backend.getItem({ model: Blob.descriptor, key: { id: 'a' } });
    pool.fill(9);
    expect([...blob.data]).toEqual([2, 3, 4]);
    expect([...(direct!.data as Uint8Array)]).toEqual([2, 3, 4]);
  });
});
