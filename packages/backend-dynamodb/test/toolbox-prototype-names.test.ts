import { loadApi } from '@macaron/core';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { $add, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

// Properties named like a member of Object.prototype, declared by a closed schema, through the
// derived toolbox entity: what the README says of them. dynamodb-toolbox (2.10) names each
// attribute of an update, a condition or a projection by a token it looks up in a plain object
// (`tokens[name]`): for these names it finds the inherited member and writes the function's
// text into the expression, which DynamoDB refuses. Macaron's own writes name them as data.

// Every member of Object.prototype but `__proto__`, which entity() refuses (a property toolbox drops).
const names = Object.getOwnPropertyNames(Object.prototype).filter((name) => name !== '__proto__');

const spec = {
  openapi: '3.0.3',
  info: { title: 'toolbox prototype names', version: '1' },
  paths: {},
  components: {
    schemas: {
      Odd: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        'x-persist': { table: 'odd', key: 'id' },
        properties: {
          id: { type: 'string' },
          other: { type: 'string' },
          ...Object.fromEntries(names.map((name) => [name, { type: 'integer' }])),
        },
      },
    },
  },
};

const local = useLocalEngine();

async function setUp() {
  const backend = createDynamoDbBackend({
    client: local().engine.client,
    capabilities: { transactions: false, ttl: false },
  });
  const api = await loadApi(spec, { backend, tablePrefix: 'toolbox-proto-' });
  await backend.ensureTables(api.tables());
  const Odd = api.persistent('Odd');
  const entity = await backend.entity(Odd.descriptor);
  const table = Odd.descriptor.table.name;
  return { Odd, entity, table, raw: createRawAccess(local().rawClient) };
}

describe('an entity whose schema declares properties named like members of Object.prototype', () => {
  it('puts and reads them, but cannot update them nor name them in a condition or a projection: DynamoDB refuses the expression, nothing written (README)', async () => {
    const { Odd, entity, table, raw } = await setUp();
    const item = { id: 'a', ...Object.fromEntries(names.map((name, index) => [name, index])) };
    await entity.build(PutItemCommand).item(item).send();
    expect(await raw.get(table, { id: 'a' })).toEqual(item);
    expect((await entity.build(GetItemCommand).key({ id: 'a' }).send()).Item).toEqual(item);
    for (const name of names) {
      const writes: [string, () => Promise<unknown>][] = [
        [
          'set',
          () =>
            entity
              .build(UpdateItemCommand)
              .item({ ...item, [name]: 100 })
              .send(),
        ],
        [
          '$add',
          () =>
            entity
              .build(UpdateItemCommand)
              .item({ ...item, [name]: $add(1) })
              .send(),
        ],
        [
          'condition',
          () =>
            entity
              .build(PutItemCommand)
              .item({ ...item, other: 'o' })
              .options({ condition: { attr: name, eq: 0 } as never })
              .send(),
        ],
        [
          'projection',
          () =>
            entity
              .build(GetItemCommand)
              .key({ id: 'a' })
              .options({ attributes: [name] as never })
              .send(),
        ],
      ];
      for (const [label, write] of writes)
        await expect(write(), `${name} ${label}`).rejects.toThrow(/Syntax error/);
    }
    expect(await raw.get(table, { id: 'a' })).toEqual(item);
    // Macaron updates them, and reads them back, as any other property.
    const added = Object.fromEntries(names.map((name) => [name, 1]));
    const updated = await Odd.update('a', { add: added });
    const expected = {
      id: 'a',
      ...Object.fromEntries(names.map((name, index) => [name, index + 1])),
    };
    expect({ ...updated }).toEqual(expected);
    expect(await raw.get(table, { id: 'a' })).toEqual(expected);
  });
});
