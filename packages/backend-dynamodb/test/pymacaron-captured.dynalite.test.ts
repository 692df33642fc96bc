import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';

// Items exactly as pymacaron-dynamodb 0.0.23 (pymacaron 1.0.258, pymacaron-core 1.0.174,
// bravado-core 5.13.2, boto3 1.44) wrote them with `save_to_db()`, captured from the wire:
// date-times through Python's datetime (`+00:00`, six fraction digits), numbers from ints and
// Decimals, an unset `x-nullable` property as NULL, an unset other one left out, bytes as B.
const spec = {
  swagger: '2.0',
  info: { title: 'helloworld', version: '0.0.1' },
  paths: {},
  definitions: {
    Address: {
      type: 'object',
      properties: { city: { type: 'string' }, zip: { type: 'integer' } },
    },
    Item: {
      type: 'object',
      'x-persist': 'helloworld.db.PersistentItem',
      properties: {
        item_id: { type: 'string' },
        label: { type: 'string' },
        count: { type: 'integer' },
        big: { type: 'integer', format: 'int64' },
        score: { type: 'number' },
        flag: { type: 'boolean' },
        created: { type: 'string', format: 'date-time' },
        day: { type: 'string', format: 'date' },
        tags: { type: 'array', items: { type: 'string' } },
        nums: { type: 'array', items: { type: 'integer' } },
        flags: { type: 'array', items: { type: 'boolean' } },
        address: { $ref: '#/definitions/Address' },
        addresses: { type: 'array', items: { $ref: '#/definitions/Address' } },
        inline: {
          type: 'object',
          properties: { a: { type: 'integer' }, b: { type: 'string' } },
        },
        nick: { type: 'string', 'x-nullable': true },
        blob: { type: 'string', format: 'byte' },
      },
    },
    Other: {
      type: 'object',
      'x-persist': 'helloworld.db.PersistentOther',
      properties: {
        other_id: { type: 'string' },
        bin: { type: 'string', format: 'binary' },
        ncount: { type: 'integer', 'x-nullable': true },
        nflag: { type: 'boolean', 'x-nullable': true },
        nlist: { type: 'array', items: { type: 'string' }, 'x-nullable': true },
        created: { type: 'string', format: 'date-time' },
        rev: { type: 'integer' },
      },
    },
  },
};

type Wire = Record<string, AttributeValue>;

const items: Record<string, Wire> = {
  a1: {
    item_id: { S: 'a1' },
    label: { S: 'Zoë' },
    count: { N: '3' },
    big: { N: '1152921504606846976' },
    flag: { BOOL: true },
    created: { S: '2016-05-01T10:00:00+00:00' },
    day: { S: '2016-05-01' },
    tags: { L: [{ S: 'x' }, { S: 'y' }] },
    nums: { L: [{ N: '1' }, { N: '2' }] },
    flags: { L: [{ BOOL: true }, { BOOL: false }] },
    address: { M: { city: { S: 'Paris' }, zip: { N: '75001' } } },
    addresses: { L: [{ M: { city: { S: 'Lyon' }, zip: { N: '69000' } } }] },
    inline: { M: { a: { N: '1' }, b: { S: 'q' } } },
    nick: { NULL: true },
  },
  d2: { item_id: { S: 'd2' }, score: { N: '0.1' }, nick: { NULL: true } },
  d7: {
    item_id: { S: 'd7' },
    created: { S: '2016-05-01T10:00:00.123000+00:00' },
    nick: { NULL: true },
  },
  o1: {
    other_id: { S: 'o1' },
    ncount: { NULL: true },
    nflag: { NULL: true },
    nlist: { NULL: true },
  },
  o2: {
    other_id: { S: 'o2' },
    ncount: { N: '3' },
    nflag: { BOOL: false },
    created: { S: '2020-01-01T00:00:00+05:30' },
    rev: { N: '1' },
    nlist: { NULL: true },
  },
  o3: {
    other_id: { S: 'o3' },
    bin: { B: new Uint8Array([0, 255]) },
    ncount: { N: '1' },
    nflag: { BOOL: true },
    nlist: { NULL: true },
  },
};

// What pymacaron's own `model_to_json` gave for them (floats and int64 as Macaron's JSON has them).
const json: Record<string, unknown> = {
  a1: {
    item_id: 'a1',
    label: 'Zoë',
    count: 3,
    big: '1152921504606846976',
    flag: true,
    created: '2016-05-01T10:00:00+00:00',
    day: '2016-05-01',
    tags: ['x', 'y'],
    nums: [1, 2],
    flags: [true, false],
    address: { city: 'Paris', zip: 75001 },
    addresses: [{ city: 'Lyon', zip: 69000 }],
    inline: { a: 1, b: 'q' },
    nick: null,
  },
  d2: { item_id: 'd2', score: 0.1, nick: null },
  d7: { item_id: 'd7', created: '2016-05-01T10:00:00.123000+00:00', nick: null },
  o1: { other_id: 'o1', ncount: null, nflag: null, nlist: null },
  o2: {
    other_id: 'o2',
    ncount: 3,
    nflag: false,
    created: '2020-01-01T00:00:00+05:30',
    rev: 1,
    nlist: null,
  },
  o3: { other_id: 'o3', bin: 'AP8=', ncount: 1, nflag: true, nlist: null },
};

const local = useLocalEngine();
let counter = 0;

async function setUp() {
  const { engine } = local();
  const backend = createDynamoDbBackend({
    client: engine.client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const prefix = `pym${++counter}-`;
  const api = await loadApi(spec, {
    backend,
    compat: 'pymacaron',
    tablePrefix: prefix,
    persist: {
      Item: { table: 'helloworld-items', key: 'item_id' },
      Other: { table: 'helloworld-others', key: 'other_id' },
    },
  });
  await backend.ensureTables(api.tables());
  const raw = new DynamoDBClient({
    endpoint: engine.endpoint,
    region: engine.region,
    credentials: engine.credentials,
  });
  const tableOf = (key: string) =>
    key.startsWith('o') ? `${prefix}helloworld-others` : `${prefix}helloworld-items`;
  const keyOf = (key: string): Wire =>
    key.startsWith('o') ? { other_id: { S: key } } : { item_id: { S: key } };
  return {
    Items: api.persistent('Item'),
    Others: api.persistent('Other'),
    put: (key: string, item: Wire) =>
      raw.send(new PutItemCommand({ TableName: tableOf(key), Item: item })),
    get: async (key: string) =>
      (
        await raw.send(
          new GetItemCommand({ TableName: tableOf(key), Key: keyOf(key), ConsistentRead: true }),
        )
      ).Item,
  };
}

describe('items as pymacaron-dynamodb 0.0.23 wrote them (captured)', () => {
  it('load as pymacaron read them and save back attribute for attribute', async () => {
    const { Items, Others, put, get } = await setUp();
    for (const [key, item] of Object.entries(items)) {
      await put(key, item);
      const model = key.startsWith('o') ? Others : Items;
      const object = await model.load(key);
      expect(object.toJSON(), key).toEqual(json[key]);
      await object.save();
      expect(await get(key), key).toEqual(item);
    }
  });

  it('a byte property pymacaron stored as str(bytes) loads; its save is refused and nothing changes', async () => {
    const { Items, put, get } = await setUp();
    const item: Wire = { item_id: { S: 'b1' }, blob: { S: "b'hi'" }, nick: { NULL: true } };
    await put('b1', item);
    const object = await Items.load('b1');
    expect(object.toJSON()).toEqual({ item_id: 'b1', blob: "b'hi'", nick: null });
    await expect(object.save()).rejects.toBeInstanceOf(ValidationError);
    expect(await get('b1')).toEqual(item);
  });
});
