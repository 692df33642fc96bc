import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';

// A page whose LastEvaluatedKey no cursor carries (another model's item, key written as a
// precise decimal) ends at its LAST item; a page of two or more items of this model, then such
// a key, must not resume after its first item (which would read the others again).

const local = useLocalEngine();

const ranked = (name: string) => ({
  type: 'object',
  required: ['pk', 'n'],
  properties: { pk: { type: 'string' }, n: { type: 'number' } },
  'x-persist': { table: 'ranked', key: 'pk', sort: 'n', discriminator: 'kind' },
  description: name,
});

describe('a page ending on a key no cursor carries', () => {
  it('[P-77][P-100] resumes after the last item of the page: every item read once', async () => {
    const backend = createDynamoDbBackend({
      client: local().engine.client,
      capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
    });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'page-end', version: '1' },
        paths: {},
        components: { schemas: { Cat: ranked('Cat'), Dog: ranked('Dog') } },
      },
      { backend, tablePrefix: 'page-end-' },
    );
    await backend.ensureTables(api.tables());
    const table = api.tables()[0]!.name;
    const put = (kind: string, n: string) =>
      local().rawClient.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: 'Q' }, n: { N: n }, kind: { S: kind } },
        }),
      );
    await put('Cat', '0.1');
    await put('Cat', '0.2');
    await put('Dog', '0.32345678901234567890123');
    await put('Cat', '0.4');
    await put('Cat', '5');
    const Cat = api.persistent<{ pk: string; n: number }>('Cat');
    for (const read of [
      (cursor?: string) => Cat.query({ partition: 'Q', limit: 3, ...(cursor ? { cursor } : {}) }),
      (cursor?: string) => Cat.scan({ limit: 3, ...(cursor ? { cursor } : {}) }),
    ]) {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await read(cursor);
        seen.push(...page.items.map((cat) => cat.n));
        cursor = page.cursor;
        if (cursor === undefined) break;
      }
      expect(seen).toEqual([0.1, 0.2, 0.4, 5]);
    }
  });
});
