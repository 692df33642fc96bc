import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';

// Batch requests are keyed by table name, and `constructor`, `toString` and `__proto__` are
// valid DynamoDB table names: each must be a key of its own, never a lookup on a prototype.
// Checked without a network: a middleware records each request and answers it.

const names = ['constructor', 'toString', 'valueOf', '__proto__'];

describe('batch requests keyed by table names that are also names on Object.prototype', () => {
  it('builds one entry per table, each an own property', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        // The backend's check of each table's keys (answered without a table: not checkable).
        if (context.commandName !== 'DescribeTableCommand')
          sent.push(args.input as Record<string, unknown>);
        return { output: { $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'recordRequests', priority: 'high' },
    );
    const schemas = Object.fromEntries(
      names.map((table) => [
        `M${table}`,
        {
          type: 'object',
          required: ['id'],
          'x-persist': { table, key: 'id' },
          properties: { id: { type: 'string' } },
        },
      ]),
    );
    const api = await loadApi(
      { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas } },
      { backend: createDynamoDbBackend({ client }) },
    );
    for (const table of names) {
      const Model = api.persistent(`M${table}`);
      await Model.saveMany([{ id: 'a' }, { id: 'b' }]);
      await Model.getMany(['a', 'b']);
    }
    expect(sent).toHaveLength(2 * names.length);
    sent.forEach((input, index) => {
      const table = names[Math.floor(index / 2)]!;
      const requestItems = input.RequestItems as Record<string, unknown>;
      expect(Object.keys(requestItems)).toEqual([table]);
      const entry = Object.getOwnPropertyDescriptor(requestItems, table)?.value;
      expect(Array.isArray(entry) ? entry.length : (entry as { Keys: unknown[] }).Keys.length).toBe(
        2,
      );
    });
  });
});
