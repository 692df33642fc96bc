import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// A sparse index keyed by a property named like an Object.prototype member. DynamoDB (and moto)
// leave an item without it out of the index (P-84); dynalite 4.0 read the absent attribute as
// the inherited member and refused the item, then failed every later write of a stored item
// without it (a put over it, an update, a delete), which `startLocalDynamoDb` mends.

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
          properties: {
            id: { type: 'string' },
            note: { type: 'string' },
            [name]: { type: 'string' },
          },
        },
      },
    },
  };
}

async function taggedOn(client: DynamoDBClient, name: string, tablePrefix = `proto_${name}_`) {
  const backend = createDynamoDbBackend({
    client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const api = await loadApi(spec(name), { backend, tablePrefix });
  await backend.ensureTables(api.tables());
  return api.persistent<Record<string, unknown>>('Tagged');
}

/** Writes over, updates and deletes stored items with and without the index key. */
async function rewriteStoredItems(Tagged: Awaited<ReturnType<typeof taggedOn>>, name: string) {
  await new Tagged({ id: 'with', [name]: 'v' }).save();
  await new Tagged({ id: 'without' }).save();
  await Tagged.deleteMany(['with', 'without']);
  await new Tagged({ id: 'with', [name]: 'v' }).save();
  await new Tagged({ id: 'without' }).save();
  await new Tagged({ id: 'without', note: 'saved over' }).save();
  expect((await Tagged.update('without', { set: { note: 'updated' } })).toJSON()).toEqual({
    id: 'without',
    note: 'updated',
  });
  await Tagged.update('with', { remove: [name] });
  expect((await Tagged.query({ index: 'byName', partition: 'v' })).items).toEqual([]);
  expect(await Tagged.delete('with')).toBe(true);
  expect(await Tagged.delete('without')).toBe(true);
  expect((await Tagged.scan()).items).toEqual([]);
}

describe('dynalite (startLocalDynamoDb): an index keyed by a name of Object.prototype', () => {
  const local = useLocalEngine();

  it.each(names)(
    '%s: an item without it is stored and left out of the index, as DynamoDB does',
    async (name) => {
      const Tagged = await taggedOn(local().rawClient, name);
      await new Tagged({ id: 'with', [name]: 'v' }).save();
      await new Tagged({ id: 'without' }).save();
      expect(await Tagged.exists('without')).toBe(true);
      const indexed = await Tagged.query({ index: 'byName', partition: 'v' });
      expect(indexed.items.map((item) => item.id)).toEqual(['with']);
      expect((await Tagged.scan({ index: 'byName' })).items).toHaveLength(1);
      // Through a batch too.
      await Tagged.saveMany([new Tagged({ id: 'batched' })]);
      expect(await Tagged.exists('batched')).toBe(true);
    },
  );

  it.each(names)(
    '%s: stored items, with it or without, are written over, updated and deleted',
    async (name) =>
      rewriteStoredItems(await taggedOn(local().rawClient, name, `rewritten_${name}_`), name),
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

  it.each(names)(
    '%s: stored items, with it or without, are written over, updated and deleted',
    async (name) =>
      rewriteStoredItems(await taggedOn(moto().client, name, `rewritten_${name}_`), name),
  );
});
