import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../dynamodb-backend.js';

// Computed keys: a literal `__proto__:` would set the object's prototype instead.
const properties = {
  id: { type: 'string' },
  ['__proto__']: { type: 'string' },
  constructor: { type: 'integer' },
  toString: {
    type: 'object',
    additionalProperties: false,
    properties: { valueOf: { type: 'boolean' } },
  },
};

describe('derived entities', () => {
  it('keep every property name as an attribute, Object.prototype names included', async () => {
    const backend = createDynamoDbBackend({
      client: new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }),
    });
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
              'x-persist': { table: 'named', key: 'id' },
              properties,
            },
          },
        },
      },
      { backend },
    );
    const entity = backend.entity(api.persistent('Named').descriptor);
    const attributes = entity.schema.attributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes).sort()).toEqual(['__proto__', 'constructor', 'id', 'toString']);
    const toStringMap = Object.getOwnPropertyDescriptor(attributes, 'toString')?.value as {
      attributes: Record<string, unknown>;
    };
    const nested = toStringMap.attributes;
    expect(Object.keys(nested)).toEqual(['valueOf']);
  });
});
