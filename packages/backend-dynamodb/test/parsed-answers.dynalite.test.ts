import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';

// The backend parses the answers that carry items itself and hands the SDK `{}` to parse (see
// operations/raw-answer.ts). The application's own middleware on the client still sees each
// output whole, as the SDK would have read it, bytes apart (base64 text).

const spec = {
  openapi: '3.0.3',
  info: { title: 'parsed answers', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'id'],
        'x-persist': { table: 'notes', key: 'owner', sort: 'id' },
        properties: {
          owner: { type: 'string' },
          id: { type: 'string' },
          text: { type: 'string' },
          views: { type: 'integer', format: 'int64' },
          tags: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

const local = useLocalEngine();
let counter = 0;

describe('answers the backend parses itself', () => {
  it("reach the application's middleware whole, on every step, and the objects hold every value", async () => {
    const client = local().newClient({ cacheMiddleware: true });
    const seen: Record<string, unknown>[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName !== 'DescribeTableCommand')
          seen.push({ command: context.commandName, ...(result.output as object) });
        return result;
      },
      { step: 'initialize', name: 'recordOutputs' },
    );
    const operations: unknown[] = [];
    const backend = createDynamoDbBackend({
      client,
      capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
      onOperation: (event) => {
        operations.push(event.consumedCapacity);
      },
    });
    const api = await loadApi(spec, { backend, tablePrefix: `parsed${++counter}-` });
    await createDynamoDbBackend({ client: local().rawClient }).ensureTables(api.tables());
    const Note = api.persistent<{
      owner: string;
      id: string;
      text?: string;
      views?: number | bigint;
      tags?: string[];
    }>('Note');
    const big = 2n ** 62n + 1n;
    await Note.saveMany([
      { owner: 'o', id: 'a', text: 'é\u0000𝄞', views: big, tags: ['x', '__proto__'] },
      { owner: 'o', id: 'b', views: 1 },
    ]);
    seen.length = 0;
    const page = await Note.query({ partition: 'o', limit: 1 });
    expect(page.items.map((note) => ({ ...note }))).toEqual([
      { owner: 'o', id: 'a', text: 'é\u0000𝄞', views: big, tags: ['x', '__proto__'] },
    ]);
    expect(page.cursor).toEqual(expect.any(String));
    const loaded = await Note.load({ owner: 'o', id: 'b' });
    expect({ ...loaded }).toEqual({ owner: 'o', id: 'b', views: 1 });

    const [query, get] = seen as [Record<string, unknown>, Record<string, unknown>];
    expect(query).toMatchObject({
      command: 'QueryCommand',
      Count: 1,
      ScannedCount: 1,
      Items: [
        {
          owner: { S: 'o' },
          id: { S: 'a' },
          text: { S: 'é\u0000𝄞' },
          views: { N: big.toString() },
          tags: { L: [{ S: 'x' }, { S: '__proto__' }] },
        },
      ],
      LastEvaluatedKey: { owner: { S: 'o' }, id: { S: 'a' } },
      ConsumedCapacity: { TableName: expect.stringContaining('notes') },
      $metadata: expect.objectContaining({ httpStatusCode: 200 }),
    });
    expect(get).toMatchObject({
      command: 'GetItemCommand',
      Item: { owner: { S: 'o' }, id: { S: 'b' }, views: { N: '1' } },
    });
    // The operation hook reads the capacity from the same output.
    expect(operations.at(-1)).toEqual([
      expect.objectContaining({ CapacityUnits: expect.any(Number) }),
    ]);
  });
});
