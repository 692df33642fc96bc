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
      // 16 writers, 10 cycles each: the writers still meet newer versions on every cycle. At
      // 50 cycles, P-85 made some 11,000 requests of a server that answers one at a time, a
      // few hundred a second: 30 s alone, but 152 s on a 2-core machine shared with other
      // test runs, near its 240 s bound. More cycles add time, not proof.
      contention: { writers: 16, cycles: 10 },
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
        'updates-of-200-clauses-fail',
      ],
    },
  );
});
