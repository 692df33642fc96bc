import { InvalidRequestError, type TableDescriptor } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { toCreateTableInput } from './index.js';

function table(overrides: Partial<TableDescriptor> = {}): TableDescriptor {
  return {
    name: 'dev-profiles',
    specName: 'profiles',
    partitionKey: { name: 'profile_id', type: 'string' },
    indexes: [],
    ...overrides,
  };
}

describe('toCreateTableInput', () => {
  it('describes a table with a partition key only, on demand', () => {
    expect(toCreateTableInput(table())).toEqual({
      TableName: 'dev-profiles',
      AttributeDefinitions: [{ AttributeName: 'profile_id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'profile_id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('describes a partition and a sort key, HASH then RANGE', () => {
    const input = toCreateTableInput(table({ sortKey: { name: 'created_at', type: 'string' } }));
    expect(input.KeySchema).toEqual([
      { AttributeName: 'profile_id', KeyType: 'HASH' },
      { AttributeName: 'created_at', KeyType: 'RANGE' },
    ]);
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'created_at', AttributeType: 'S' },
      { AttributeName: 'profile_id', AttributeType: 'S' },
    ]);
  });

  it('maps number keys to N and binary keys to B', () => {
    const input = toCreateTableInput(
      table({
        partitionKey: { name: 'digest', type: 'binary' },
        sortKey: { name: 'revision', type: 'number' },
      }),
    );
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'digest', AttributeType: 'B' },
      { AttributeName: 'revision', AttributeType: 'N' },
    ]);
  });

  it('makes every index a GSI projecting ALL, and defines each attribute once', () => {
    const input = toCreateTableInput(
      table({
        sortKey: { name: 'created_at', type: 'string' },
        indexes: [
          { name: 'byEmail', partitionKey: { name: 'email', type: 'string' } },
          {
            name: 'byCountry',
            partitionKey: { name: 'country', type: 'string' },
            sortKey: { name: 'created_at', type: 'string' },
          },
          {
            name: 'byEmailAndAge',
            partitionKey: { name: 'email', type: 'string' },
            sortKey: { name: 'age', type: 'number' },
          },
        ],
      }),
    );
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'age', AttributeType: 'N' },
      { AttributeName: 'country', AttributeType: 'S' },
      { AttributeName: 'created_at', AttributeType: 'S' },
      { AttributeName: 'email', AttributeType: 'S' },
      { AttributeName: 'profile_id', AttributeType: 'S' },
    ]);
    expect(input.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byCountry',
        KeySchema: [
          { AttributeName: 'country', KeyType: 'HASH' },
          { AttributeName: 'created_at', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byEmail',
        KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byEmailAndAge',
        KeySchema: [
          { AttributeName: 'email', KeyType: 'HASH' },
          { AttributeName: 'age', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(input).not.toHaveProperty('ProvisionedThroughput');
  });

  it('is deterministic: the order of the indexes does not change the output', () => {
    const byEmail = { name: 'byEmail', partitionKey: { name: 'email', type: 'string' as const } };
    const byAge = { name: 'byAge', partitionKey: { name: 'age', type: 'number' as const } };
    const forwards = toCreateTableInput(table({ indexes: [byEmail, byAge] }));
    const backwards = toCreateTableInput(table({ indexes: [byAge, byEmail] }));
    expect(JSON.stringify(forwards)).toBe(JSON.stringify(backwards));
  });

  it('sets provisioned throughput on the table and on each GSI', () => {
    const input = toCreateTableInput(
      table({ indexes: [{ name: 'byEmail', partitionKey: { name: 'email', type: 'string' } }] }),
      { billingMode: 'PROVISIONED', throughput: { read: 5, write: 2 } },
    );
    expect(input.BillingMode).toBe('PROVISIONED');
    expect(input.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 5, WriteCapacityUnits: 2 });
    expect(input.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toEqual({
      ReadCapacityUnits: 5,
      WriteCapacityUnits: 2,
    });
  });

  it('takes throughput alone to mean PROVISIONED', () => {
    const input = toCreateTableInput(table(), { throughput: { read: 1, write: 1 } });
    expect(input.BillingMode).toBe('PROVISIONED');
  });

  it('rejects inconsistent capacity options with InvalidRequestError', () => {
    const cases = [
      { billingMode: 'PROVISIONED' as const },
      { billingMode: 'PAY_PER_REQUEST' as const, throughput: { read: 1, write: 1 } },
      { throughput: { read: 0, write: 1 } },
      { throughput: { read: 1, write: 1.5 } },
    ];
    for (const options of cases) {
      expect(() => toCreateTableInput(table(), options), JSON.stringify(options)).toThrow(
        InvalidRequestError,
      );
    }
  });

  it('rejects an attribute keyed with two types, a duplicate index, a key used twice', () => {
    const tables = [
      table({ indexes: [{ name: 'byId', partitionKey: { name: 'profile_id', type: 'number' } }] }),
      table({
        indexes: [
          { name: 'byEmail', partitionKey: { name: 'email', type: 'string' } },
          { name: 'byEmail', partitionKey: { name: 'mail', type: 'string' } },
        ],
      }),
      table({ sortKey: { name: 'profile_id', type: 'string' } }),
    ];
    for (const descriptor of tables) {
      expect(() => toCreateTableInput(descriptor)).toThrow(InvalidRequestError);
    }
  });

  it('leaves TTL out: it is a separate UpdateTimeToLive call', () => {
    const input = toCreateTableInput(table({ ttlAttribute: 'expires_at' }));
    expect(JSON.stringify(input)).not.toContain('expires_at');
  });
});
