import { runJsonSchemaSuite } from '@macaron/backend-conformance/differential';
import { createMemoryBackend } from '../src/index.js';

runJsonSchemaSuite(
  'the JSON Schema Test Suite through the memory backend',
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
  { suiteRoot: new URL('../../core/test/fixtures/json-schema-test-suite/', import.meta.url) },
);
