import type { ConformanceHarness } from '@macaron/backend-conformance';
import type { ModelDescriptor, StorageBackend, TableDescriptor } from '@macaron/core/backend';
import { createMapBackend } from './map-backend.js';

/**
 * The map backend with the suite's second path (`raw`): its own reads and writes, addressed by
 * physical table name, with the key attributes taken from the tables the suite provisioned.
 */
export function createMapHarness(): ConformanceHarness {
  const backend = createMapBackend();
  const provisioned = new Map<string, TableDescriptor>();
  const modelOf = (table: string) => {
    const descriptor = provisioned.get(table);
    if (!descriptor) throw new Error(`No table ${table} was provisioned`);
    return { name: 'raw', table: descriptor } as ModelDescriptor;
  };
  const tracked: StorageBackend = {
    ...backend,
    async ensureTables(tables) {
      await backend.ensureTables?.(tables);
      // Only tables the backend took: one it refused keeps the descriptor it was made with.
      for (const table of tables)
        if (!provisioned.has(table.name)) provisioned.set(table.name, table);
    },
  };
  return {
    backend: tracked,
    raw: {
      get: (table, key) => backend.getItem({ model: modelOf(table), key, consistent: true }),
      put: (table, item) => backend.putItem({ model: modelOf(table), item }),
    },
  };
}
