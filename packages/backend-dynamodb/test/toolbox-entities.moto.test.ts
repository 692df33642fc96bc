import { loadApi, UnsupportedOperationError } from '@macaron/core';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// On moto, which keeps attributes named `__proto__` (dynalite drops them: docs/engines.md).
const spec = {
  openapi: '3.0.3',
  info: { title: 'toolbox entities on moto', version: '1' },
  paths: {},
  components: {
    schemas: {
      Account: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        'x-persist': { table: 'accounts', key: 'id' },
        properties: {
          id: { type: 'string' },
          extra: { type: 'object' },
          limits: { type: 'object', additionalProperties: { type: 'integer' } },
        },
      },
    },
  },
};

describeOnMoto('toolbox entities derived from the spec, on moto', () => {
  const moto = useMotoEngine();

  it("an entity's read of an item holding a map member named __proto__ is an UnsupportedOperationError, never the item without it", async () => {
    const backend = createDynamoDbBackend({
      client: moto().client,
      capabilities: { transactions: false, ttl: false },
    });
    const api = await loadApi(spec, { backend, tablePrefix: 'toolbox-moto-' });
    await backend.ensureTables(api.tables());
    const Account = api.persistent('Account');
    // Macaron writes and loads such members (P-88, P-89).
    await Account.create({ id: 'deep', extra: JSON.parse('{"a": 2, "__proto__": {"x": 1}}') });
    await Account.create({ id: 'record', limits: JSON.parse('{"daily": 1, "__proto__": 5}') });
    await Account.create({ id: 'text', extra: { a: '{"__proto__":1}', b: { c: 1 } } });
    expect(Object.keys((await Account.load('deep')).extra as object)).toEqual(['a', '__proto__']);
    const entity = await backend.entity(Account.descriptor);
    for (const id of ['deep', 'record']) {
      const read = entity
        .build(GetItemCommand)
        .key({ id } as never)
        .send();
      await expect(read, id).rejects.toBeInstanceOf(UnsupportedOperationError);
    }
    // A text that merely holds "__proto__": is read as it is.
    const { Item } = await entity
      .build(GetItemCommand)
      .key({ id: 'text' } as never)
      .send();
    expect(Item).toEqual({ id: 'text', extra: { a: '{"__proto__":1}', b: { c: 1 } } });
  });
});
