import { TableMismatchError, UnsupportedOperationError } from '@macaron/core';
import type { SqlExecutor } from '../client/sql-client.js';
import { sqlState } from '../errors/postgres-errors.js';
import { indexColumnDefinition } from '../sql/index-column-expression.js';
import { itemColumn, type KeyColumn, type TableLayout, typesColumn } from '../sql/table-layout.js';
import { legacyIndexName } from './index-ownership.js';
import { type ColumnInfo, dependentsOfColumns } from './table-catalog.js';

/*
 * Index key columns are derived data (generated from the item), so provisioning can rebuild
 * one of Macaron's without losing anything: a missing one is added, one that is not generated
 * (made by a version of this package that wrote them itself) or is generated from the item by
 * another expression is dropped (which drops the indexes on it) and added again. PostgreSQL
 * computes the new column for every row inside the ALTER TABLE (one table rewrite for all
 * columns, in C). Columns that are not Macaron's are refused before (`foreignObjects`).
 */

const expectedTable = 'pg_temp.macaron_expected_index_columns';

/**
 * The generation expressions as PostgreSQL prints them (`pg_get_expr`): the spec's
 * expressions, put on a temporary table, so that they compare exactly with the table's.
 */
async function printedExpressions(
  executor: SqlExecutor,
  columns: readonly KeyColumn[],
): Promise<Map<string, string>> {
  await executor
    .query(
      `CREATE TEMP TABLE ${expectedTable} (${itemColumn} jsonb, ${typesColumn} jsonb, ${columns
        .map(indexColumnDefinition)
        .join(', ')}) ON COMMIT DROP`,
    )
    .catch((error: unknown) => {
      // A read-only session, or a hot standby, creates nothing, temporary tables included.
      if (sqlState(error) === '25006')
        throw new UnsupportedOperationError(
          'PostgreSQL provisioning: planTables and ensureTables compare the index key columns of an existing table in a temporary table, which a read-only session or a standby cannot create; run them on the primary, in a session that may write',
          { cause: error },
        );
      throw error;
    });
  const rows = await executor.query(
    `SELECT a.attname AS name, pg_get_expr(d.adbin, d.adrelid) AS expression
       FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
      WHERE d.adrelid = '${expectedTable}'::regclass`,
  );
  await executor.query(`DROP TABLE ${expectedTable}`);
  return new Map(rows.map((row) => [row.name as string, row.expression as string]));
}

/**
 * A stale column is dropped with everything on it: only Macaron's own indexes may be. An
 * index, a constraint or statistics a team put on the column would be lost without a word (a
 * unique rule no longer enforced), so the table is refused before anything changes.
 */
async function refuseForeignDependents(
  executor: SqlExecutor,
  layout: TableLayout,
  stale: readonly KeyColumn[],
): Promise<void> {
  if (stale.length === 0) return;
  const own = new Set(
    [...layout.indexes.values()].flatMap((index) => [index.name, legacyIndexName(layout, index)]),
  );
  const dependents = await dependentsOfColumns(
    executor,
    layout,
    stale.map((column) => column.name),
  );
  const foreign = dependents.filter((dependent) => !own.has(dependent.name));
  if (foreign.length > 0)
    throw new TableMismatchError(
      layout.descriptor.name,
      foreign.map(
        (dependent) =>
          `${dependent.description} depends on column ${dependent.column}, which ensureTables must rebuild (its expression is not this version's): it would be dropped with the column; drop it yourself (and put it back after), or rename the column, then run ensureTables again`,
      ),
    );
}

/**
 * Adds the missing index key columns and rebuilds the stale ones, in one ALTER TABLE (unless
 * `apply` is false: a plan); returns the columns rebuilt (the indexes on them are gone and
 * must be created again).
 */
export async function reconcileIndexColumns(
  executor: SqlExecutor,
  layout: TableLayout,
  columns: ReadonlyMap<string, ColumnInfo>,
  apply = true,
): Promise<KeyColumn[]> {
  const missing = layout.indexColumns.filter((column) => !columns.has(column.name));
  const generated = layout.indexColumns.filter((column) => columns.get(column.name)?.generated);
  const expected = generated.length > 0 ? await printedExpressions(executor, generated) : new Map();
  const stale = layout.indexColumns.filter((column) => {
    const actual = columns.get(column.name);
    return actual && (!actual.generated || actual.expression !== expected.get(column.name));
  });
  await refuseForeignDependents(executor, layout, stale);
  const actions = [
    ...stale.map((column) => `DROP COLUMN ${column.sql}`),
    ...[...stale, ...missing].map((column) => `ADD COLUMN ${indexColumnDefinition(column)}`),
  ];
  if (apply && actions.length > 0)
    await executor.query(`ALTER TABLE ${layout.sql} ${actions.join(', ')}`);
  return stale;
}
