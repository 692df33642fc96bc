import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { BackendError, ItemNotFoundError, loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { useLocalEngine } from '../local-engine.js';

const local = useLocalEngine();

const pet = {
  type: 'object',
  required: ['pk', 'sk'],
  properties: { pk: { type: 'string' }, sk: { type: 'string' }, rank: { type: 'number' } },
  'x-persist': { table: 'pets', key: 'pk', sort: 'sk', discriminator: 'kind' },
};
const spec = {
  openapi: '3.0.3',
  info: { title: 'shared table', version: '1' },
  paths: {},
  components: { schemas: { Cat: pet, Dog: pet } },
};

describe('[P-77] an item of another model that no JavaScript value reads exactly', () => {
  it('is not found through this model, alone or in a batch, and still fails its own', async () => {
    const backend = createDynamoDbBackend({
      client: local().engine.client,
      capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
    });
    const api = await loadApi(spec, { backend, tablePrefix: 'other-model-' });
    await backend.ensureTables(api.tables());
    const table = api.tables()[0]!.name;
    const put = (Item: Record<string, { S: string } | { N: string }>) =>
      local().rawClient.send(new PutItemCommand({ TableName: table, Item }));
    const precise = { N: '0.12345678901234567890123' };
    await put({ pk: { S: 'P' }, sk: { S: 'cat' }, kind: { S: 'Cat' }, rank: { N: '1' } });
    await put({ pk: { S: 'P' }, sk: { S: 'dog' }, kind: { S: 'Dog' }, rank: precise });
    // Written by a client that knew no discriminator: no model's.
    await put({ pk: { S: 'P' }, sk: { S: 'legacy' }, rank: precise });
    const Cat = api.persistent<{ pk: string; sk: string }>('Cat');
    const Dog = api.persistent('Dog');
    for (const sk of ['dog', 'legacy']) {
      expect(await Cat.get({ pk: 'P', sk })).toBeUndefined();
      await expect(Cat.load({ pk: 'P', sk })).rejects.toBeInstanceOf(ItemNotFoundError);
    }
    const many = await Cat.getMany([
      { pk: 'P', sk: 'cat' },
      { pk: 'P', sk: 'dog' },
      { pk: 'P', sk: 'legacy' },
    ]);
    expect(many.map((cat) => cat?.sk)).toEqual(['cat', undefined, undefined]);
    // A conditional delete reads the item to explain its failure: another model's, so false.
    expect(await Cat.delete({ pk: 'P', sk: 'dog' }, { condition: { attr: 'rank', eq: 1 } })).toBe(
      false,
    );
    // The Dog's own reads still refuse what they cannot read exactly.
    await expect(Dog.get({ pk: 'P', sk: 'dog' })).rejects.toBeInstanceOf(BackendError);
    await expect(Dog.getMany([{ pk: 'P', sk: 'dog' }])).rejects.toBeInstanceOf(BackendError);
  });
});

// Keys another client wrote as precise decimals (a Python `Decimal`), on a shared table.
const ranked = (name: string) => ({
  type: 'object',
  required: ['pk', 'n'],
  properties: {
    pk: { type: 'string' },
    n: { type: 'number' },
    owner: { type: 'string' },
    rank: { type: 'number' },
  },
  'x-persist': {
    table: 'ranked',
    key: 'pk',
    sort: 'n',
    discriminator: 'kind',
    indexes: { byOwner: { key: 'owner', sort: 'rank' } },
  },
  description: name,
});

describe('[P-77] pages ending on another model item whose key no JavaScript value reads exactly', () => {
  it('go on past it, every item of this model read once, whatever the page size and direction', async () => {
    const backend = createDynamoDbBackend({
      client: local().engine.client,
      capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
    });
    const api = await loadApi(
      {
        ...spec,
        components: { schemas: { Cat: ranked('Cat'), Dog: ranked('Dog') } },
      },
      { backend, tablePrefix: 'other-model-pages-' },
    );
    await backend.ensureTables(api.tables());
    const table = api.tables()[0]!.name;
    const put = (kind: string, n: string, rank: string) =>
      local().rawClient.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: 'Q' },
            n: { N: n },
            kind: { S: kind },
            owner: { S: 'ann' },
            rank: { N: rank },
          },
        }),
      );
    const precise = '0.12345678901234567890123';
    const precise2 = '0.22345678901234567890123';
    await put('Cat', '0.1', '1');
    await put('Dog', precise, '1.12345678901234567890123');
    await put('Dog', precise2, '1.22345678901234567890123');
    await put('Cat', '0.3', '2');
    await put('Dog', '0.4', '2.12345678901234567890123');
    await put('Cat', '5', '3');
    const Cat = api.persistent<{ pk: string; n: number; rank: number }>('Cat');
    type Read = (
      cursor: string | undefined,
    ) => Promise<{ items: { n: number }[]; cursor?: string }>;
    const walk = async (read: Read) => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await read(cursor);
        seen.push(...page.items.map((cat) => cat.n));
        cursor = page.cursor;
        if (cursor === undefined) return seen;
      }
      throw new Error('the pages never ended');
    };
    const from = (cursor: string | undefined) => (cursor === undefined ? {} : { cursor });
    for (const limit of [1, 2, 3]) {
      expect(await walk((c) => Cat.query({ partition: 'Q', limit, ...from(c) }))).toEqual([
        0.1, 0.3, 5,
      ]);
      expect(
        await walk((c) => Cat.query({ partition: 'Q', limit, reverse: true, ...from(c) })),
      ).toEqual([5, 0.3, 0.1]);
      expect(await walk((c) => Cat.scan({ limit, ...from(c) }))).toEqual([0.1, 0.3, 5]);
      expect(
        await walk((c) => Cat.query({ index: 'byOwner', partition: 'ann', limit, ...from(c) })),
      ).toEqual([0.1, 0.3, 5]);
    }
  });
});
