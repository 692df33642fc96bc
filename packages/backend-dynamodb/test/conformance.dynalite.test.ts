import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runBackendConformance } from '@macaron/backend-conformance';
import { afterAll, beforeAll } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../src/local/index.js';
import { createRawAccess } from './raw-document-client.js';

let engine: LocalDynamoDb;
let rawClient: DynamoDBClient;

beforeAll(async () => {
  engine = await startLocalDynamoDb();
  rawClient = new DynamoDBClient({
    endpoint: engine.endpoint,
    region: engine.region,
    credentials: engine.credentials,
  });
});

afterAll(async () => {
  rawClient?.destroy();
  await engine?.stop();
});

// dynalite has no transactions and no TTL: those groups are skipped by capability, with the
// reason in the test name; moto runs them (see the reliability issue).
const capabilities = { ...dynamoDbCapabilities, transactions: false, ttl: false };

runBackendConformance(
  'dynamodb on dynalite',
  () => ({
    backend: createDynamoDbBackend({ client: engine.client, capabilities }),
    raw: createRawAccess(rawClient),
  }),
  {
    capabilities,
    timeoutMs: 20_000,
    // dynalite 4's condition evaluation departs from DynamoDB here (docs/engines.md).
    engineDifferences: [
      'conditions-compare-lists-and-maps-by-reference',
      'conditions-compare-strings-by-utf16',
    ],
  },
);
