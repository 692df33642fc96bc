import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { loadApi, type StorageBackend } from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend } from '../../src/index.js';
import { installMacaronMiddleware } from '../../src/operations/macaron-middleware.js';
import { trackRequest } from '../../src/operations/request-state.js';
import { bytesOf } from '../raw-document-client.js';

/**
 * An item as another client (pymacaron-dynamodb's boto3, a raw SDK) writes it: every
 * DynamoDB type, sets nested in maps and lists, numbers past what a double holds, and
 * attribute names that are also names on `Object.prototype`. Numbers are in the canonical
 * form DynamoDB stores, so a faithful round trip gives back the very same text.
 */
const everyType: Record<string, AttributeValue> = {
  id: { S: 'foreign' },
  text: { S: 'Zoë 😀' },
  empty: { S: '' },
  integer: { N: '41' },
  decimal: { N: '-12.25' },
  tenth: { N: '0.1' },
  beyondDouble: { N: '9007199254740993' },
  digits38: { N: '12345678901234567890123456789012345678' },
  negative38: { N: '-98765432109876543210987654321098765432' },
  bytes: { B: Uint8Array.of(0, 255, 128, 7) },
  yes: { BOOL: true },
  no: { BOOL: false },
  nothing: { NULL: true },
  strings: { SS: ['a', 'b', 'Zoë'] },
  numbers: {
    NS: ['1', '-2.5', '0.1', '9007199254740993', '12345678901234567890123456789012345678'],
  },
  blobs: { BS: [Uint8Array.of(1), Uint8Array.of(2, 3), Uint8Array.of(255)] },
  list: {
    L: [
      { S: 'x' },
      { N: '1' },
      { NULL: true },
      { SS: ['in', 'list'] },
      { M: { counts: { NS: ['7', '8'] } } },
      { L: [{ BS: [Uint8Array.of(9)] }] },
      { L: [] },
      { M: {} },
    ],
  },
  map: {
    M: {
      tags: { SS: ['t1', 't2'] },
      keys: { BS: [Uint8Array.of(4, 5)] },
      deep: { M: { levels: { L: [{ NS: ['3', '4'] }, { M: { n: { N: '9007199254740993' } } }] } } },
      // Computed keys: a literal `__proto__:` would set the object's prototype instead.
      ['__proto__']: { S: 'a nested __proto__' },
      constructor: { N: '1' },
      toString: { SS: ['not', 'a', 'function'] },
    },
  },
  ['__proto__']: { M: { polluted: { BOOL: true } } },
  constructor: { S: 'not the Object constructor' },
  toString: { N: '7' },
  hasOwnProperty: { L: [{ S: 'h' }] },
  valueOf: { BS: [Uint8Array.of(1, 2)] },
};

/**
 * The foreign item for an engine: dynalite 4 drops attributes named `__proto__` (and refuses
 * some maps holding one), so there the item leaves that name out (docs/engines.md).
 */
export function foreignItem(withProto: boolean): Record<string, AttributeValue> {
  if (withProto) return everyType;
  return withoutName(everyType, '__proto__') as Record<string, AttributeValue>;
}

function withoutName(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return value.map((element) => withoutName(element, name));
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== name)
      .map(([key, inner]) => [key, withoutName(inner, name)]),
  );
}

export const foreignSpec = {
  openapi: '3.0.3',
  info: { title: 'foreign items', version: '1' },
  paths: {},
  components: {
    schemas: {
      // An open schema, as most are: every attribute another client stored is a property.
      Foreign: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'foreign', key: 'id' },
        properties: { id: { type: 'string' } },
      },
    },
  },
};

// Number keys, as PyMacaron's Decimal values may have written them.
const readingsSpec = {
  openapi: '3.0.3',
  info: { title: 'number keys', version: '1' },
  paths: {},
  components: {
    schemas: {
      Reading: {
        type: 'object',
        required: ['sensor', 'at'],
        'x-persist': {
          table: 'readings',
          key: 'sensor',
          sort: 'at',
          indexes: { byRank: { key: 'sensor', sort: 'rank' } },
        },
        properties: {
          sensor: { type: 'string' },
          at: { type: 'number' },
          rank: { type: 'number' },
          note: { type: 'number' },
        },
      },
    },
  },
};

/** The item as the engine holds it, read with a raw client; sets sorted, as engines keep no order. */
export async function readRaw(
  client: DynamoDBClient,
  table: string,
): Promise<Record<string, AttributeValue> | undefined> {
  const command = new GetItemCommand({
    TableName: table,
    Key: { id: { S: 'foreign' } },
    ConsistentRead: true,
  });
  // The SDK alone reads a top-level `__proto__` attribute as undefined: read through
  // Macaron's middleware, which parses the answer itself (bytes stay base64 text).
  installMacaronMiddleware(client);
  trackRequest(command.input, undefined);
  const output = await client.send(command);
  return output.Item
    ? (normalize({ M: output.Item }).M as Record<string, AttributeValue>)
    : undefined;
}

function normalize(value: AttributeValue): AttributeValue {
  if (value.SS) return { SS: [...value.SS].sort() };
  if (value.NS) return { NS: [...value.NS].sort() };
  if (value.BS) return { BS: value.BS.map(bytesOf).sort((a, b) => Buffer.compare(a, b)) };
  if (value.B) return { B: bytesOf(value.B) };
  if (value.L) return { L: value.L.map(normalize) };
  if (value.M) {
    return {
      M: Object.fromEntries(
        Object.entries(value.M).map(([name, inner]) => [name, normalize(inner)]),
      ),
    };
  }
  return value;
}

/**
 * Registers the round-trip tests: a foreign item written raw, loaded and saved unchanged
 * through Macaron, reads back raw with the same attribute types and values.
 */
export function foreignItemRoundTrip(
  engine: () => { client: DynamoDBClient; rawClient: DynamoDBClient },
  createBackend: (client: DynamoDBClient) => StorageBackend & {
    ensureTables(tables: readonly unknown[]): Promise<void>;
  },
  options: { keepsProtoAttributes: boolean; addsPastDoublePrecision: boolean },
): void {
  const item = foreignItem(options.keepsProtoAttributes);
  let counter = 0;

  async function setUp() {
    const backend = createBackend(engine().client);
    const api = await loadApi(foreignSpec, { backend, tablePrefix: `foreign${++counter}-` });
    await backend.ensureTables(api.tables());
    const table = api.tables()[0]!.name;
    await engine().rawClient.send(new PutItemCommand({ TableName: table, Item: item }));
    const written = await readRaw(engine().rawClient, table);
    return { Foreign: api.persistent('Foreign'), table, written };
  }

  it('the engine keeps the foreign item as written (the premise of the round trip)', async () => {
    const { written } = await setUp();
    expect(written).toEqual(normalize({ M: item }).M);
    expect(Object.keys(written!).sort()).toEqual(Object.keys(item).sort());
  });

  it('load then save of the unchanged object writes back every attribute with its type and value', async () => {
    const { Foreign, table, written } = await setUp();
    const loaded = await Foreign.load('foreign');
    expect(Object.getPrototypeOf(loaded)).toBe(Foreign.prototype);
    if (options.keepsProtoAttributes)
      expect(Object.getOwnPropertyDescriptor(loaded, '__proto__')?.value).toEqual({
        polluted: true,
      });
    expect(Object.getOwnPropertyDescriptor(loaded, 'constructor')?.value).toBe(
      'not the Object constructor',
    );
    expect(Object.getOwnPropertyDescriptor(loaded, 'strings')?.value).toEqual(
      new Set(['a', 'b', 'Zoë']),
    );
    await loaded.save();
    const after = await readRaw(engine().rawClient, table);
    expect(after).toEqual(written);
    expect(Object.keys(after!).sort()).toEqual(Object.keys(written!).sort());
  });

  it('an item holding a number no JavaScript value holds exactly: load refuses it, delete still deletes it', async () => {
    const { Foreign, table } = await setUp();
    const precise = { ...item, exact: { N: '0.12345678901234567890123' } };
    await engine().rawClient.send(new PutItemCommand({ TableName: table, Item: precise }));
    await expect(Foreign.load('foreign')).rejects.toMatchObject({ code: 'BACKEND_ERROR' });
    // One such item fails a whole page: the error names it, so that it can be found.
    await expect(Foreign.scan({ consistent: true })).rejects.toThrow(
      'at /exact has more precision than a JavaScript number holds, in the item of',
    );
    await expect(Foreign.scan({ consistent: true })).rejects.toThrow(
      'with key {"id":{"S":"foreign"}}',
    );
    expect(await Foreign.delete('foreign')).toBe(true);
    expect(await readRaw(engine().rawClient, table)).toBeUndefined();
    expect(await Foreign.delete('foreign')).toBe(false);
    // P-88: a key another client chose is named escaped, the message kept on one line.
    const hostileId = 'f\u2028\u202eg';
    const hostile = { ...precise, id: { S: hostileId } };
    await engine().rawClient.send(new PutItemCommand({ TableName: table, Item: hostile }));
    const named = (await Foreign.scan({ consistent: true }).catch(
      (caught: unknown) => caught,
    )) as Error;
    expect(named).toMatchObject({ code: 'BACKEND_ERROR' });
    expect(named.message).not.toMatch(/[\u2028\u202e]/);
    expect(named.message).toContain('with key {"id":{"S":"f\\u2028\\u202eg"}}');
    expect(await Foreign.delete(hostileId)).toBe(true);
    // Asked for the old item, the backend says the delete happened and why it cannot answer.
    await engine().rawClient.send(new PutItemCommand({ TableName: table, Item: precise }));
    const backend = createBackend(engine().client);
    const error = await backend
      .deleteItem({ model: Foreign.descriptor, key: { id: 'foreign' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BACKEND_ERROR' });
    expect((error as Error).message).toContain('the item was deleted');
    expect(await readRaw(engine().rawClient, table)).toBeUndefined();
  });

  it("with inexactNumbers: 'nearest', such numbers read as the nearest number, in loads, pages and sets", async () => {
    const { table } = await setUp();
    const precise = {
      ...item,
      exact: { N: '3.333333333333333333333333333' },
      deep: { M: { inner: { L: [{ N: '0.2857142857142857142857142857' }] } } },
      rates: { NS: ['0.12345678901234567890123', '1.5'] },
      // Beyond 2^53 the nearest number is an integer: read as the bigint of its value.
      big: { N: '123456789012345678.5' },
    };
    await engine().rawClient.send(new PutItemCommand({ TableName: table, Item: precise }));
    const backend = createBackend(engine().client) as StorageBackend;
    const nearest = createDynamoDbBackend({
      client: engine().client,
      capabilities: backend.capabilities,
      inexactNumbers: 'nearest',
    });
    const api = await loadApi(foreignSpec, {
      backend: nearest,
      tablePrefix: table.slice(0, table.indexOf('-') + 1),
    });
    const Foreign = api.persistent<Record<string, unknown>>('Foreign');
    const loaded = await Foreign.load('foreign');
    expect(loaded.exact).toBe(3.3333333333333335);
    expect(loaded.deep).toEqual({ inner: [0.2857142857142857] });
    expect(loaded.rates).toEqual(new Set([0.12345678901234568, 1.5]));
    expect(loaded.big).toBe(123456789012345680n);
    expect((await Foreign.scan({ consistent: true })).items[0]?.exact).toBe(3.3333333333333335);
    // The default still refuses.
    await expect(
      backend.getItem({ model: Foreign.descriptor, key: { id: 'foreign' } }),
    ).rejects.toMatchObject({ code: 'BACKEND_ERROR' });
    expect(() =>
      createDynamoDbBackend({ client: engine().client, inexactNumbers: 'round' as never }),
    ).toThrow(TypeError);
    // What was read, the object saves: the nearest numbers, as the option says.
    await loaded.save();
    expect((await Foreign.load('foreign')).big).toBe(123456789012345680n);
    // Two members read as one nearest number (9007199254740994n, both) are no set.
    await engine().rawClient.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          ...item,
          id: { S: 'meeting' },
          rates: { NS: ['9007199254740993.5', '9007199254740994'] },
        },
      }),
    );
    await expect(Foreign.load('meeting')).rejects.toMatchObject({ code: 'BACKEND_ERROR' });
  });

  it("with inexactNumbers: 'nearest', key attributes (the table's and its indexes') are still read exactly or refused", async () => {
    const nearest = createDynamoDbBackend({
      client: engine().client,
      capabilities: createBackend(engine().client).capabilities,
      inexactNumbers: 'nearest',
    });
    const api = await loadApi(readingsSpec, {
      backend: nearest,
      tablePrefix: `readings${++counter}-`,
    });
    await nearest.ensureTables(api.tables());
    const table = api.tables()[0]!.name;
    const put = (Item: Record<string, AttributeValue>) =>
      engine().rawClient.send(new PutItemCommand({ TableName: table, Item }));
    const long = '3.333333333333333333333333333';
    // A rounded key would name another item: a save would create it beside this one.
    await put({ sensor: { S: 'sort' }, at: { N: long } });
    await put({ sensor: { S: 'index' }, at: { N: '1' }, rank: { N: long } });
    await put({ sensor: { S: 'other' }, at: { N: '1' }, rank: { N: '2' }, note: { N: long } });
    const Reading = api.persistent<Record<string, unknown>>('Reading');
    const sortError = await Reading.query({ partition: 'sort' }).catch((caught: unknown) => caught);
    expect(sortError).toMatchObject({ code: 'BACKEND_ERROR' });
    expect((sortError as Error).message).toContain(`${long} at /at`);
    await expect(Reading.load({ sensor: 'index', at: 1 })).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
    });
    await expect(Reading.getMany([{ sensor: 'index', at: 1 }])).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
    });
    // Other attributes are read as the nearest number.
    const [other] = (await Reading.query({ partition: 'other' })).items;
    expect(other).toMatchObject({ note: 3.3333333333333335, rank: 2 });
    const raw = await engine().rawClient.send(new ScanCommand({ TableName: table }));
    expect(raw.Count).toBe(3);
  });

  it.skipIf(!options.addsPastDoublePrecision)(
    'an add whose exact sum no JavaScript value holds: the error says the update was applied (skipped where the engine fails such an add: moto 5 answers 500)',
    async () => {
      const { Foreign, table } = await setUp();
      await engine().rawClient.send(
        new PutItemCommand({
          TableName: table,
          Item: { id: { S: 'foreign' }, rate: { N: '0.1' } },
        }),
      );
      const error = await Foreign.update('foreign', { add: { rate: 1e-20 } }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'BACKEND_ERROR' });
      expect((error as Error).message).toContain('the update was applied');
      expect((await readRaw(engine().rawClient, table))?.rate).toEqual({
        N: '0.10000000000000000001',
      });
    },
  );

  it('scan and getMany read the foreign item too', async () => {
    const { Foreign } = await setUp();
    const [found] = await Foreign.getMany(['foreign']);
    expect(Object.getOwnPropertyDescriptor(found, 'toString')?.value).toBe(7);
    const page = await Foreign.scan({ consistent: true });
    expect(page.items).toHaveLength(1);
    expect(Object.getOwnPropertyDescriptor(page.items[0], 'hasOwnProperty')?.value).toEqual(['h']);
  });
}
