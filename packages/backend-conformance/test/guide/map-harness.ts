import type { ModelDescriptor, StorageBackend, TableDescriptor } from '@macaron/core/backend';
import type { ConformanceHarness } from '../../src/harness.js';
import { createMapBackend } from './map-backend.js';

/**
 * The guide's map backend with the suite's second path: its own reads and writes, addressed
 * by table name, with the key attributes taken from the tables the suite provisioned.
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
      for (const table of tables) provisioned.set(table.name, table);
      await backend.ensureTables?.(tables);
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
