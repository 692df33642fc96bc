import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
