import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadApi, UnsupportedOperationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../dynamodb-backend.js';

// No request is sent: the client points at a closed port.
function newBackend() {
  return createDynamoDbBackend({
    client: new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }),
  });
}

async function modelOf(properties: Record<string, unknown>) {
  const backend = newBackend();
  const api = await loadApi(
    {
      openapi: '3.0.3',
      info: { title: 'names', version: '1' },
      paths: {},
      components: {
        schemas: {
          Named: {
            type: 'object',
            required: ['id'],
            additionalProperties: false,
            'x-persist': { table: 'named', key: 'id' },
            properties,
          },
        },
      },
    },
    { backend },
  );
  return { backend, model: api.persistent('Named').descriptor };
}

describe('derived entities', () => {
  it('keep every property name as an attribute, Object.prototype names included', async () => {
    const { backend, model } = await modelOf({
      id: { type: 'string' },
      constructor: { type: 'integer' },
      toString: {
        type: 'object',
        additionalProperties: false,
        properties: { valueOf: { type: 'boolean' } },
      },
    });
    const entity = await backend.entity(model);
    const attributes = entity.schema.attributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes).sort()).toEqual(['constructor', 'id', 'toString']);
    const toStringMap = Object.getOwnPropertyDescriptor(attributes, 'toString')?.value as {
      attributes: Record<string, unknown>;
    };
    expect(Object.keys(toStringMap.attributes)).toEqual(['valueOf']);
  });

  it('refuse a property named __proto__, at any depth, which toolbox would drop silently', async () => {
    // Computed keys: a literal `__proto__:` would set the object's prototype instead.
    const top = await modelOf({ id: { type: 'string' }, ['__proto__']: { type: 'string' } });
    const nested = await modelOf({
      id: { type: 'string' },
      list: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          properties: { ['__proto__']: { type: 'string' } },
        },
      },
    });
    for (const [{ backend, model }, pointer] of [
      [top, '/properties/__proto__'],
      [nested, '/properties/list/items/properties/__proto__'],
    ] as const) {
      const error = await backend.entity(model).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as Error).message).toContain(`property named __proto__ (${pointer})`);
    }
  });

  it('build each entity and table once per descriptor', async () => {
    const { backend, model } = await modelOf({ id: { type: 'string' } });
    expect(await backend.entity(model)).toBe(await backend.entity(model));
    expect(await backend.table(model.table)).toBe((await backend.entity(model)).table);
  });
});
