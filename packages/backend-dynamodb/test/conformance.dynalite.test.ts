import { runBackendConformance } from '@macaron/backend-conformance';
import { createDynamoDbBackend } from '../src/index.js';
import { dynaliteCapabilities, dynaliteConformanceOptions } from './dynalite-conformance.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

const engine = useLocalEngine();

runBackendConformance(
  'dynamodb on dynalite',
  () => ({
    backend: createDynamoDbBackend({
      client: engine().engine.client,
      capabilities: dynaliteCapabilities,
    }),
    raw: createRawAccess(engine().rawClient),
  }),
  dynaliteConformanceOptions,
);
