import { runBackendConformance } from '@macaron/backend-conformance';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';
import { createRawAccess } from './raw-document-client.js';

// moto has transactions, so the whole contract runs here. It keeps TTL settings but never
// deletes expired items (DynamoDB deletes them within days, so no test could wait for it).
const capabilities = { ...dynamoDbCapabilities, transactions: true, ttl: false };

describeOnMoto('moto server', () => {
  const moto = useMotoEngine();

  runBackendConformance(
    'dynamodb on moto',
    () => ({
      backend: createDynamoDbBackend({ client: moto().client, capabilities }),
      raw: createRawAccess(moto().rawClient),
    }),
    {
      capabilities,
      // The contention group runs at full size here (16 writers x 50 cycles): P-85 alone takes
      // about 30 s, as moto answers a few hundred requests a second; more under a loaded CI.
      timeoutMs: 120_000,
      // moto 5 departs from DynamoDB's documentation here (docs/engines.md).
      engineDifferences: [
        'conditions-missing-attribute-equals-null',
        'conditions-begins-with-strings-only',
        'items-limited-to-405000-bytes',
      ],
    },
  );
});
