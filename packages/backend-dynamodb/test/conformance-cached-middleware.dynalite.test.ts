import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runBackendConformance } from '@macaron/backend-conformance';
import { afterAll } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

// The whole contract on a client made with `cacheMiddleware: true`, which the README recommends
// for a client the backend alone uses: one handler (and one context) per command class, shared
// by every request of that class, concurrent ones included. dynalite has no transactions: that
// group is not run with such a client (cached-middleware.dynalite.test.ts has its own cases).
const engine = useLocalEngine();
const capabilities = { ...dynamoDbCapabilities, transactions: false, ttl: false };
let client: DynamoDBClient | undefined;
afterAll(() => client?.destroy());

runBackendConformance(
  'dynamodb on dynalite, client with cacheMiddleware',
  () => ({
    backend: createDynamoDbBackend({
      client: (client ??= engine().newClient({ cacheMiddleware: true })),
      capabilities,
    }),
    raw: createRawAccess(engine().rawClient),
  }),
  {
    capabilities,
    timeoutMs: 60_000,
    contention: { writers: 16, cycles: 5 },
    // As conformance.dynalite.test.ts: dynalite 4 departs from DynamoDB there (docs/engines.md).
    engineDifferences: [
      'add-past-38-digits-stored',
      'conditions-between-and-in-skip-empty-values',
      'conditions-compare-bytes-as-utf8-text',
      'conditions-compare-lists-and-maps-by-reference',
      'conditions-compare-strings-by-utf16',
      'conditions-contains-finds-strings-numbers-bytes-only',
      'key-between-bounds-checked-by-utf16',
      'attributes-named-proto-dropped',
      'update-list-positions-applied-in-turn',
    ],
  },
);
