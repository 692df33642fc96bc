import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadApi, UnsupportedOperationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// A sparse index keyed by a property named like an Object.prototype member. DynamoDB (and moto)
// leave an item without it out of the index (P-84); dynalite reads the absent attribute as the
// inherited member and refuses the item, a departure docs/engines.md records.

const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'] as const;

function spec(name: string) {
  return {
    openapi: '3.0.3',
    info: { title: 'prototype index keys', version: '1' },
    paths: {},
    components: {
      schemas: {
        Tagged: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'tagged', key: 'id', indexes: { byName: { key: name } } },
          properties: { id: { type: 'string' }, [name]: { type: 'string' } },
        },
      },
    },
  };
}

async function taggedOn(client: DynamoDBClient, name: string) {
  const backend = createDynamoDbBackend({
    client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const api = await loadApi(spec(name), { backend, tablePrefix: `proto_${name}_` });
  await backend.ensureTables(api.tables());
  return api.persistent<Record<string, unknown>>('Tagged');
}

describe('dynalite: an index keyed by a name of Object.prototype', () => {
  const local = useLocalEngine();

  it.each(names)(
    '%s: an item with it is stored; one without it is refused as the engine limit it is (UnsupportedOperationError, nothing written), not as a table made for another spec',
    async (name) => {
      const Tagged = await taggedOn(local().rawClient, name);
      await new Tagged({ id: 'with', [name]: 'v' }).save();
      expect((await Tagged.query({ index: 'byName', partition: 'v' })).items).toHaveLength(1);
      const error = await new Tagged({ id: 'without' }).save().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as Error).message).toContain(name);
      expect(await Tagged.exists('without')).toBe(false);
    },
  );
});

describeOnMoto('moto: an index keyed by a name of Object.prototype', () => {
  const moto = useMotoEngine();

  it.each(names)(
    '%s: an item without it is stored and left out of the index, as DynamoDB does',
    async (name) => {
      const Tagged = await taggedOn(moto().client, name);
      await new Tagged({ id: 'with', [name]: 'v' }).save();
      await new Tagged({ id: 'without' }).save();
      expect(await Tagged.exists('without')).toBe(true);
      const indexed = await Tagged.query({ index: 'byName', partition: 'v' });
      expect(indexed.items.map((item) => item.id)).toEqual(['with']);
      expect((await Tagged.scan({ index: 'byName' })).items).toHaveLength(1);
    },
  );
});
