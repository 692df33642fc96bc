import { runBackendConformance } from '@macaron/backend-conformance';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';
import { createRawAccess } from './raw-document-client.js';

// moto has transactions, so the whole contract runs here. It keeps TTL settings but never
// deletes expired items (DynamoDB deletes them within days, so no test could wait for it).
const capabilities = { ...dynamoDbCapabilities, transactions: true, ttl: false };

describeOnMoto('moto server', () => {
  // moto 5 does not isolate concurrent writes to an item (the contention group loses
  // increments, P-85 and P-86); DynamoDB does, so moto serves one request at a time here.
  const moto = useMotoEngine({ oneRequestAtATime: true });

  runBackendConformance(
    'dynamodb on moto',
    () => ({
      backend: createDynamoDbBackend({ client: moto().client, capabilities }),
      raw: createRawAccess(moto().rawClient),
    }),
    {
      capabilities,
      // The contention group runs at full size here (16 writers x 50 cycles): P-85 alone takes
      // about 30 s, as moto answers a few hundred requests a second; on a 2-core machine shared
      // with other test runs it took over 120 s once in 12 runs.
      timeoutMs: 240_000,
      // moto 5 departs from DynamoDB's documentation here (docs/engines.md).
      engineDifferences: [
        'add-past-38-digits-stored',
        'batch-write-applies-entries-before-an-oversized-one',
        'conditions-missing-attribute-equals-null',
        'conditions-booleans-equal-numbers',
        'conditions-begins-with-strings-only',
        'conditions-contains-no-bytes',
        'items-limited-to-405000-bytes',
        'update-failing-on-item-size-applies-earlier-clauses',
        'update-refused-for-operand-type-applies-earlier-clauses',
      ],
    },
  );
});
