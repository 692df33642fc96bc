import { runBackendDifferential } from '@macaron/backend-conformance/differential';
import { createMemoryBackend } from '@macaron/backend-memory';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { describeOnMoto, useMotoEngine } from '../moto-engine.js';
import { createRawAccess } from '../raw-document-client.js';

const capabilities = { ...dynamoDbCapabilities, transactions: true, ttl: false };

describeOnMoto('moto server', () => {
  const moto = useMotoEngine();

  runBackendDifferential(
    'differential: memory backend vs dynamodb on moto',
    () => ({
      backend: createDynamoDbBackend({ client: moto().client, capabilities }),
      raw: createRawAccess(moto().rawClient),
    }),
    {
      reference: () => ({ backend: createMemoryBackend() }),
      // Transactions included. moto's differences (docs/engines.md) concern `eq: null`,
      // `beginsWith` on bytes and item sizes, none of which the generator draws.
      capabilities,
      engineDifferences: [
        'conditions-missing-attribute-equals-null',
        'conditions-begins-with-strings-only',
        'items-limited-to-405000-bytes',
        'update-failing-on-item-size-applies-earlier-clauses',
      ],
      // No path property: moto ignores a SET below a scalar, and answers an ordering
      // comparison of two types and a REMOVE through a scalar with a 500 (docs/engines.md),
      // which no EngineDifference declares.
      paths: false,
      seed: 20261127,
    },
  );
});
