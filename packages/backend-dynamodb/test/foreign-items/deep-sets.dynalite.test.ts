// Sets another client stored at the deepest level DynamoDB nests: a set is one value.
import { type AttributeValue, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { useLocalEngine } from '../local-engine.js';

const local = useLocalEngine();

it('a set another client stored at the 32nd level (31 maps around it) loads and saves back unchanged', async () => {
  const backend = createDynamoDbBackend({
    client: local().engine.client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const spec = {
    openapi: '3.0.3',
    info: { title: 'deep sets', version: '1' },
    paths: {},
    components: {
      schemas: {
        Deep: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'deep-sets', key: 'id' },
          properties: { id: { type: 'string' } },
        },
      },
    },
  };
  const api = await loadApi(spec, { backend });
  await backend.ensureTables(api.tables());
  const table = api.tables()[0]!.name;
  const wrap = (leaf: AttributeValue, maps: number) => {
    let value = leaf;
    for (let i = 0; i < maps; i++) value = { M: { k: value } };
    return value;
  };
  const leaves: [string, AttributeValue][] = [
    ['ss', { SS: ['x'] }],
    ['ns', { NS: ['1'] }],
    ['bs', { BS: [Uint8Array.of(1)] }],
  ];
  for (const [id, leaf] of leaves) {
    const Item = { id: { S: id }, a: wrap(leaf, 31) };
    await local().rawClient.send(new PutItemCommand({ TableName: table, Item }));
    const Deep = api.persistent<Record<string, unknown>>('Deep');
    const loaded = await Deep.load(id);
    await loaded.save();
    await Deep.update(id, { set: { copy: loaded.a } });
    const after = await local().rawClient.send(
      new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }),
    );
    expect(after.Item?.a).toEqual(Item.a);
    expect(after.Item?.copy).toEqual(Item.a);
  }
});
