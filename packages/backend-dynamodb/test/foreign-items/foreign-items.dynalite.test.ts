import { describe } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { useLocalEngine } from '../local-engine.js';
import { foreignItemRoundTrip } from './foreign-item.js';

const local = useLocalEngine();

describe('an item written by another client, every DynamoDB type, on dynalite', () => {
  foreignItemRoundTrip(
    () => ({ client: local().engine.client, rawClient: local().rawClient }),
    (client) =>
      createDynamoDbBackend({
        client,
        capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
      }),
    // dynalite 4 drops attributes named __proto__ (docs/engines.md).
    { keepsProtoAttributes: false, addsPastDoublePrecision: true },
  );
});
