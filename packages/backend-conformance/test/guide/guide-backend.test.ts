import { readFileSync } from 'node:fs';
import type { ModelDescriptor, StorageBackend, TableDescriptor } from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../../src/harness.js';
import { runBackendConformance } from '../../src/run-backend-conformance.js';
import { createMapBackend } from './map-backend.js';

const guide = readFileSync(
  new URL('../../../../docs/backends/authoring.md', import.meta.url),
  'utf8',
);
const code = readFileSync(new URL('./map-backend.ts', import.meta.url), 'utf8');

describe('docs/backends/authoring.md', () => {
  it('shows the whole map backend this test runs, unchanged', () => {
    const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toContain(code);
  });
});

// The suite's second path: the map backend's own reads and writes, addressed by table name,
// with the key attributes taken from the tables the suite provisioned.
function harness(): ConformanceHarness {
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

runBackendConformance('the guide’s map backend', harness, {
  capabilities: createMapBackend().capabilities,
  contention: { writers: 16, cycles: 10 },
});
