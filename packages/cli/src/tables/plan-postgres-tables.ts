import type { TableDescriptor } from '@macaron/core';
import type { PlannedChange } from './plan-tables.js';
import type { PostgresBackend } from './postgres-connection.js';

// What a new table gets: its key columns and indexes.
function creationDetail(table: TableDescriptor): string {
  const keys = table.sortKey ? [table.partitionKey, table.sortKey] : [table.partitionKey];
  const parts = [`key ${keys.map((key) => `${key.name} (${key.type})`).join(', ')}`];
  if (table.indexes.length > 0)
    parts.push(`indexes ${table.indexes.map((index) => index.name).join(', ')}`);
  return parts.join('; ');
}

/**
 * What `ensureTables` (`tables create --database-url`) would do to each table, from the
 * backend's own plan, read from the catalog; nothing is changed.
 */
export async function planPostgresTables(
  backend: PostgresBackend,
  tables: readonly TableDescriptor[],
): Promise<PlannedChange[]> {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const plans = await backend.planTables(tables);
  return plans.flatMap(({ table, changes, differences }): PlannedChange[] => {
    if (differences.length > 0)
      return differences.map((detail) => ({ table, action: 'differs', detail }));
    // PostgreSQL has no expiry (the backend's capabilities.ttl is false): said, as for dynalite.
    const ttl = byName.get(table)?.ttlAttribute;
    const expiry: PlannedChange[] =
      ttl === undefined ? [] : [{ table, action: 'ttl-unsupported', detail: ttl }];
    const lines = changes.map((change): PlannedChange => {
      switch (change.action) {
        case 'created':
          return { table, action: 'create', detail: creationDetail(byName.get(table)!) };
        case 'index-added':
          return { table, action: 'add-index', detail: change.index! };
        case 'index-rebuilt':
          return { table, action: 'rebuild-index', detail: change.index! };
        default:
          return { table, action: 'unchanged' };
      }
    });
    return [...lines, ...expiry];
  });
}
