import { runBackendConformance } from '@macaron/backend-conformance';
import { createMemoryBackend } from '../src/index.js';

runBackendConformance(
  'memory',
  () => {
    const backend = createMemoryBackend();
    return {
      backend,
      raw: {
        get: async (table, key) => backend.readItem(table, key),
        put: async (table, item) => backend.writeItem(table, item),
      },
    };
  },
  { capabilities: createMemoryBackend().capabilities },
);
