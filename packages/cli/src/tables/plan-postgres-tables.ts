import type { TableDescriptor } from '@macaron/core';
import { shownName } from '@macaron/core/backend';
import type { PlannedChange } from './plan-tables.js';
import type { PostgresBackend } from './postgres-connection.js';

// What a new table gets: its key columns and indexes.
function creationDetail(table: TableDescriptor): string {
  const keys = table.sortKey ? [table.partitionKey, table.sortKey] : [table.partitionKey];
  const parts = [`key ${keys.map((key) => `${shownName(key.name)} (${key.type})`).join(', ')}`];
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
  const plans = await backend.planTables(tables);
  return plans.flatMap(({ table, changes, differences }): PlannedChange[] =>
    differences.length > 0
      ? differences.map((detail) => ({ table, action: 'differs', detail }))
      : describeChanges(tables, changes),
  );
}

/**
 * What `ensureTables` did (`tables create --database-url`), under its lock: a table another
 * process made meanwhile is `unchanged` here, not `created`.
 */
export async function ensurePostgresTables(
  backend: PostgresBackend,
  tables: readonly TableDescriptor[],
): Promise<PlannedChange[]> {
  return describeChanges(tables, await backend.ensureTables(tables));
}

type ProvisionChange = Awaited<ReturnType<PostgresBackend['ensureTables']>>[number];

// The changes of `ensureTables` or of its plan, as the CLI prints them, with a note after each
// table whose `ttl` PostgreSQL cannot honour (the backend's capabilities.ttl is false), as for dynalite.
function describeChanges(
  tables: readonly TableDescriptor[],
  changes: readonly ProvisionChange[],
): PlannedChange[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const described: PlannedChange[] = [];
  changes.forEach(({ table, action, index }, position) => {
    switch (action) {
      case 'created':
        described.push({ table, action: 'create', detail: creationDetail(byName.get(table)!) });
        break;
      case 'index-added':
        described.push({ table, action: 'add-index', detail: index! });
        break;
      case 'index-rebuilt':
        described.push({ table, action: 'rebuild-index', detail: index! });
        break;
      case 'renamed':
        described.push({
          table,
          action: 'rename',
          ...(index === undefined ? {} : { detail: index }),
        });
        break;
      default:
        described.push({ table, action: 'unchanged' });
    }
    const ttl = byName.get(table)?.ttlAttribute;
    if (ttl !== undefined && changes[position + 1]?.table !== table)
      described.push({ table, action: 'ttl-unsupported', detail: shownName(ttl) });
  });
  return described;
}
