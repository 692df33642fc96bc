import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runBackendConformance } from '@macaron/backend-conformance';
import { afterAll } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { dynaliteCapabilities, dynaliteConformanceOptions } from './dynalite-conformance.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

// The whole contract on a client made with `cacheMiddleware: true`, which the README recommends
// for a client the backend alone uses: one handler (and one context) per command class, shared
// by every request of that class, concurrent ones included. dynalite has no transactions: that
// group is not run with such a client here.
const engine = useLocalEngine();
let client: DynamoDBClient | undefined;
afterAll(() => client?.destroy());

runBackendConformance(
  'dynamodb on dynalite, client with cacheMiddleware',
  () => ({
    backend: createDynamoDbBackend({
      client: (client ??= engine().newClient({ cacheMiddleware: true })),
      capabilities: dynaliteCapabilities,
    }),
    raw: createRawAccess(engine().rawClient),
  }),
  dynaliteConformanceOptions,
);
