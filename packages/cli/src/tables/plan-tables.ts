import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { planTables as planBackendTables, type TablePlan } from '@macaron/backend-dynamodb';
import type { KeyAttribute, TableDescriptor } from '@macaron/core';
import { shownName } from '@macaron/core/backend';
import { withUnchangedTables } from './ttl-only-tables.js';

/** What `tables create` would do to one table, or why it cannot: one line of the plan. */
export interface PlannedChange {
  /** Physical table name. */
  table: string;
  /**
   * `create`, `add-index`, `rebuild-index` (PostgreSQL: its key columns are rebuilt), `rename`
   * (PostgreSQL: an earlier version's name of the index, or of the primary key without
   * `detail`), `enable-ttl`, `unchanged`, `ttl-unsupported` (the engine has no TTL) or `differs`
   * (cannot be reconciled).
   */
  action:
    | 'create'
    | 'add-index'
    | 'rebuild-index'
    | 'rename'
    | 'enable-ttl'
    | 'unchanged'
    | 'ttl-unsupported'
    | 'differs';
  /** The index, attribute or difference concerned. */
  detail?: string;
}

const scalar = { string: 'S', number: 'N', binary: 'B' } as const;

function keyText(key: KeyAttribute): string {
  return `${shownName(key.name)} (${scalar[key.type]})`;
}

// What a new table gets: its key, indexes and TTL.
function creationDetail(table: TableDescriptor): string {
  const keys = table.sortKey ? [table.partitionKey, table.sortKey] : [table.partitionKey];
  const parts = [`key ${keys.map(keyText).join(', ')}`];
  if (table.indexes.length > 0)
    parts.push(`indexes ${table.indexes.map((index) => index.name).join(', ')}`);
  if (table.ttlAttribute) parts.push(`TTL ${shownName(table.ttlAttribute)}`);
  return parts.join('; ');
}

// The lines of one table's plan, from the changes ensureTables would report.
function planLines(plan: TablePlan, table: TableDescriptor): PlannedChange[] {
  const name = plan.table;
  if (plan.differences.length > 0)
    return plan.differences.map((detail) => ({ table: name, action: 'differs', detail }));
  const created = plan.changes.some((change) => change.action === 'created');
  const lines: PlannedChange[] = [];
  for (const change of plan.changes) {
    switch (change.action) {
      case 'created':
        lines.push({ table: name, action: 'create', detail: creationDetail(table) });
        break;
      case 'index-added':
        lines.push({ table: name, action: 'add-index', detail: change.detail! });
        break;
      case 'ttl-enabled':
        // A new table's TTL is part of its creation line.
        if (!created)
          lines.push({ table: name, action: 'enable-ttl', detail: shownName(table.ttlAttribute!) });
        break;
      case 'ttl-unsupported':
        lines.push({
          table: name,
          action: 'ttl-unsupported',
          detail: shownName(table.ttlAttribute!),
        });
        break;
      default:
        lines.push({ table: name, action: 'unchanged' });
    }
  }
  return withUnchangedTables(lines, (table): PlannedChange => ({ table, action: 'unchanged' }));
}

/**
 * What `ensureTables` (`tables create`) would do to each table, from the backend's own
 * plan: the same comparison, read with DescribeTable and DescribeTimeToLive; nothing is
 * changed.
 */
export async function planTables(
  client: DynamoDBClient,
  tables: readonly TableDescriptor[],
): Promise<PlannedChange[]> {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const plans = await planBackendTables(client, tables);
  return plans.flatMap((plan) => planLines(plan, byName.get(plan.table)!));
}
