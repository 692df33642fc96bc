import {
  BackendError,
  MacaronError,
  type TableDescriptor,
  TableExistsError,
  TableMismatchError,
} from '@macaron/core';
import type { SqlClient, SqlExecutor } from '../client/sql-client.js';
import { itemColumn, type TableLayout, tableLayout } from '../sql/table-layout.js';
import { selectItem } from '../sql/table-statements.js';
import { decodeItem } from '../values/decode-item.js';
import { indexColumnParameter } from '../values/key-parameter.js';
import { createIndexSql, createTableStatements } from './table-ddl.js';

/** What provisioning did to one table. */
export interface ProvisionChange {
  /** The physical table name. */
  readonly table: string;
  /** `created`, `index-added` (with `index`), `deleted`, `absent` or `unchanged`. */
  readonly action: 'created' | 'index-added' | 'deleted' | 'absent' | 'unchanged';
  /** The index added, for `index-added`. */
  readonly index?: string;
}

interface ColumnInfo {
  name: string;
  type: string;
  collation: string;
  inKey: boolean;
}

async function describeColumns(executor: SqlExecutor, layout: TableLayout) {
  const rows = await executor.query(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            coalesce(c.collname, '') AS collation,
            coalesce(array_position(i.indkey::int2[], a.attnum) - array_lower(i.indkey::int2[], 1) + 1, 0) AS key_position
       FROM pg_attribute a
       LEFT JOIN pg_collation c ON c.oid = a.attcollation AND a.attcollation <> 0
       LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
      WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [layout.sql],
  );
  const columns = new Map<string, ColumnInfo & { keyPosition: number }>();
  for (const row of rows)
    columns.set(row.name as string, {
      name: row.name as string,
      type: row.type as string,
      collation: row.collation as string,
      keyPosition: Number(row.key_position),
      inKey: Number(row.key_position) > 0,
    });
  return columns;
}

async function tableExists(executor: SqlExecutor, name: string): Promise<boolean> {
  const rows = await executor.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = $1::text AND c.relkind IN ('r', 'p')`,
    [name],
  );
  return rows.length > 0;
}

function describeType(type: string, collation: string): string {
  return type === 'text' ? `text COLLATE "${collation || 'default'}"` : type;
}

// The differences provisioning cannot fix: the primary key, and index columns of another type.
function differences(
  layout: TableLayout,
  columns: Map<string, ColumnInfo & { keyPosition: number }>,
) {
  const found: string[] = [];
  const actualKey = [...columns.values()]
    .filter((column) => column.inKey)
    .sort((left, right) => left.keyPosition - right.keyPosition)
    .map((column) => `${column.name} ${describeType(column.type, column.collation)}`);
  const expectedKey = layout.keyColumns.map((column) => `${column.name} ${column.sqlType}`);
  if (actualKey.join(', ') !== expectedKey.join(', '))
    found.push(
      `primary key: table has (${actualKey.join(', ')}), spec has (${expectedKey.join(', ')})`,
    );
  for (const column of layout.indexColumns) {
    const actual = columns.get(column.name);
    if (actual && describeType(actual.type, actual.collation) !== column.sqlType)
      found.push(
        `column ${column.name}: table has ${describeType(actual.type, actual.collation)}, spec has ${column.sqlType}`,
      );
  }
  if (!columns.has(itemColumn)) found.push(`no ${itemColumn} column`);
  return found;
}

// Fills the new index columns of rows written before the index existed.
async function backfill(
  executor: SqlExecutor,
  layout: TableLayout,
  added: TableLayout['indexColumns'],
) {
  if (added.length === 0) return;
  const keys = layout.keyColumns.map((column) => column.sql).join(', ');
  const rows = await executor.query(`SELECT ${keys}, ${selectItem} FROM ${layout.sql}`);
  const assignments = added.map(
    (column, position) => `${column.sql} = $${position + 1}${column.cast}`,
  );
  const match = layout.keyColumns
    .map((column, position) => `${column.sql} = $${added.length + position + 1}${column.cast}`)
    .join(' AND ');
  for (const row of rows) {
    const item = decodeItem(row.item as string, row.types as string | null);
    const values = added.map((column) =>
      indexColumnParameter(
        column,
        Object.hasOwn(item, column.attribute) ? item[column.attribute] : undefined,
      ),
    );
    // The key columns as read: the same values match them again.
    const key = layout.keyColumns.map((column) => row[column.name]);
    await executor.query(`UPDATE ${layout.sql} SET ${assignments.join(', ')} WHERE ${match}`, [
      ...values,
      ...key,
    ]);
  }
}

// Serialises provisioning of one table across processes, for the transaction's duration.
function lockTable(executor: SqlExecutor, name: string) {
  return executor.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))`, [
    `macaron:${name}`,
  ]);
}

async function ensureTable(client: SqlClient, table: TableDescriptor): Promise<ProvisionChange[]> {
  const layout = tableLayout(table);
  return client.transaction(async (transaction) => {
    await lockTable(transaction, table.name);
    if (!(await tableExists(transaction, table.name))) {
      for (const statement of createTableStatements(table)) await transaction.query(statement);
      return [{ table: table.name, action: 'created' as const }];
    }
    const columns = await describeColumns(transaction, layout);
    const found = differences(layout, columns);
    if (found.length > 0) throw new TableMismatchError(table.name, found);
    const added = layout.indexColumns.filter((column) => !columns.has(column.name));
    for (const column of added)
      await transaction.query(
        `ALTER TABLE ${layout.sql} ADD COLUMN ${column.sql} ${column.sqlType}`,
      );
    await backfill(transaction, layout, added);
    const existing = new Set(
      (
        await transaction.query(
          `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = $1::text::regclass`,
          [layout.sql],
        )
      ).map((row) => row.name as string),
    );
    const changes: ProvisionChange[] = [];
    for (const index of layout.indexes.values()) {
      if (existing.has(index.name)) continue;
      await transaction.query(createIndexSql(layout, index));
      changes.push({ table: table.name, action: 'index-added', index: index.descriptor.name });
    }
    return changes.length > 0 ? changes : [{ table: table.name, action: 'unchanged' as const }];
  });
}

function provisioningError(error: unknown, operation: string): MacaronError {
  return MacaronError.isInstance(error)
    ? error
    : new BackendError(`PostgreSQL ${operation}: ${(error as Error).message}`, { cause: error });
}

function distinct(tables: readonly TableDescriptor[]): TableDescriptor[] {
  const byName = new Map<string, TableDescriptor>();
  for (const table of tables) if (!byName.has(table.name)) byName.set(table.name, table);
  return [...byName.values()];
}

/**
 * Creates the tables that are missing, adds the index columns and indexes an existing table
 * lacks (filling the columns from the stored items), and refuses a table whose primary key
 * differs from the spec (`TableMismatchError`). Idempotent; safe from several processes.
 */
export async function ensureTables(
  client: SqlClient,
  tables: readonly TableDescriptor[],
): Promise<ProvisionChange[]> {
  const changes: ProvisionChange[] = [];
  for (const table of distinct(tables)) {
    try {
      changes.push(...(await ensureTable(client, table)));
    } catch (error) {
      throw provisioningError(error, 'ensureTables');
    }
  }
  return changes;
}

/** Creates the tables, or creates nothing and throws `TableExistsError` if any exists. */
export async function createTables(
  client: SqlClient,
  tables: readonly TableDescriptor[],
): Promise<ProvisionChange[]> {
  const unique = distinct(tables);
  try {
    return await client.transaction(async (transaction) => {
      for (const table of unique) await lockTable(transaction, table.name);
      const existing: string[] = [];
      for (const table of unique)
        if (await tableExists(transaction, table.name)) existing.push(table.name);
      if (existing.length > 0) throw new TableExistsError(existing);
      for (const table of unique)
        for (const statement of createTableStatements(table)) await transaction.query(statement);
      return unique.map((table) => ({ table: table.name, action: 'created' as const }));
    });
  } catch (error) {
    throw provisioningError(error, 'createTables');
  }
}

/** Drops the tables that exist (missing ones are reported `absent`), with their data. */
export async function deleteTables(
  client: SqlClient,
  tables: readonly TableDescriptor[],
): Promise<ProvisionChange[]> {
  const changes: ProvisionChange[] = [];
  try {
    for (const table of distinct(tables)) {
      const existed = await tableExists(client, table.name);
      if (existed) await client.query(`DROP TABLE IF EXISTS ${tableLayout(table).sql}`);
      changes.push({ table: table.name, action: existed ? 'deleted' : 'absent' });
    }
  } catch (error) {
    throw provisioningError(error, 'deleteTables');
  }
  return changes;
}
