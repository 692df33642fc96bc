import { type AttributeValue, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ConditionFailedError, InvalidRequestError, loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { useLocalEngine } from '../local-engine.js';
import { readRaw } from './foreign-item.js';

const local = useLocalEngine();

// Properties whose `add` or `append` core guards with a condition on the stored value (P-98).
const spec = {
  openapi: '3.0.3',
  info: { title: 'guarded updates', version: '1' },
  paths: {},
  components: {
    schemas: {
      Counter: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'counters', key: 'id' },
        properties: {
          id: { type: 'string' },
          owner: { type: 'string' },
          views: { type: 'integer', minimum: 0 },
          level: { type: 'integer', enum: [1, 2, 3] },
          step: { type: 'integer', multipleOf: 5 },
          tags: { type: 'array', maxItems: 3, items: { type: 'string' } },
          unique: { type: 'array', uniqueItems: true, items: { type: 'string' } },
        },
      },
    },
  },
};

const foreignValues: Record<string, AttributeValue> = {
  'a NULL (PyMacaron unset)': { NULL: true },
  'a string': { S: 'text' },
  'a number set': { NS: ['1', '2'] },
  'a string set': { SS: ['x', 'y'] },
  'a map': { M: { x: { S: 'y' } } },
  'a list': { L: [{ N: '1' }] },
  'a boolean': { BOOL: false },
  bytes: { B: Uint8Array.of(120) },
};

it('[P-36] a guarded add or append to a value another client stored with another type is an InvalidRequestError naming it, never a bound it "would break"; the item unchanged', async () => {
  const backend = createDynamoDbBackend({
    client: local().engine.client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const api = await loadApi(spec, { backend, tablePrefix: 'guarded-' });
  await backend.ensureTables(api.tables());
  const table = api.tables()[0]!.name;
  const Counter = api.persistent<Record<string, unknown>>('Counter');
  const changes = [
    { add: { views: -1 } },
    { add: { level: 1 } },
    { add: { step: 5 } },
    { append: { tags: ['a'] } },
    { append: { unique: ['x'] } },
  ];
  for (const [label, value] of Object.entries(foreignValues)) {
    const Item = {
      id: { S: 'foreign' },
      owner: { S: 'ann' },
      ...Object.fromEntries(
        ['views', 'level', 'step', 'tags', 'unique'].map((name) => [name, value]),
      ),
    };
    await local().rawClient.send(new PutItemCommand({ TableName: table, Item }));
    const before = await readRaw(local().rawClient, table);
    for (const change of changes) {
      const name = Object.keys(Object.values(change)[0]!)[0]!;
      // A list holds what an append takes: that one is applied (a NULL member refused by the
      // next save, P-12); the others are refused.
      if (label === 'a list' && 'append' in change) continue;
      const error = await Counter.update('foreign', change).catch((caught: unknown) => caught);
      expect(error, `${label}: ${JSON.stringify(change)}`).toBeInstanceOf(InvalidRequestError);
      // DynamoDB's own refusal where no bound guards it, core's naming the change where one does.
      expect((error as Error).message).toMatch(
        new RegExp(`incorrect data type|cannot (add|append) to ${name}: it holds`),
      );
      expect((error as Error).message).not.toMatch(/would break|condition/);
      expect(await readRaw(local().rawClient, table)).toEqual(before);
    }
    // The caller's condition is answered first, as without a bound.
    const owned = await Counter.update(
      'foreign',
      { add: { level: 1 } },
      { condition: { attr: 'owner', eq: 'bob' } },
    ).catch((caught: unknown) => caught);
    expect(owned, label).toBeInstanceOf(ConditionFailedError);
    expect(await readRaw(local().rawClient, table)).toEqual(before);
  }
  // A stored number still meets its bounds by name.
  await local().rawClient.send(
    new PutItemCommand({ TableName: table, Item: { id: { S: 'foreign' }, level: { N: '3' } } }),
  );
  const broken = await Counter.update('foreign', { add: { level: 1 } }).catch(
    (caught: unknown) => caught,
  );
  expect(broken).toBeInstanceOf(ConditionFailedError);
  expect((broken as Error).message).toContain('would break its enum');
});
