import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UnsupportedOperationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';

describe('createDynamoDbBackend capabilities', () => {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

  it.each([
    [{ maxBatchGet: 0 }, 'capabilities.maxBatchGet must be a whole number of at least 1, not 0'],
    [{ maxTransactionActions: 2.5 }, 'not 2.5'],
    [{ ttl: 'no' }, 'capabilities.ttl must be true or false, not "no"'],
    [{ batchWrite: 25 }, 'capabilities has no "batchWrite"'],
  ])('refuses %j before sending anything, naming the capability', (capabilities, message) => {
    const create = () => createDynamoDbBackend({ client, capabilities: capabilities as never });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });
});

describe('createDynamoDbBackend options', () => {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

  it.each([
    [{}, 'client must be a DynamoDBClient'],
    [{ clinet: client }, 'createDynamoDbBackend has no option "clinet" (options: client, '],
    [{ client: 'not a client' }, 'client must be a DynamoDBClient'],
    [{ client, onOperation: 'log' }, 'onOperation must be a function'],
    [
      { client, provision: { billingmode: 'PROVISIONED' } },
      'createDynamoDbBackend provision has no option "billingmode" (options: billingMode, ',
    ],
  ])('refuses %j at once, not at the first request', (options, message) => {
    const create = () => createDynamoDbBackend(options as never);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });

  it('a backend without transactions refuses transactWrite itself: UnsupportedOperationError, nothing sent', async () => {
    const sent: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const backend = createDynamoDbBackend({ client, capabilities: { transactions: false } });
    const error = await backend
      .transactWrite([
        {
          kind: 'check',
          model: {
            name: 'M',
            table: {
              name: 'ttt',
              specName: 'ttt',
              partitionKey: { name: 'id', type: 'string' },
              indexes: [],
            },
          } as never,
          key: { id: 'a' },
          condition: { attr: 'id', exists: true },
        },
      ])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(sent).toEqual([]);
  });
});
