import type { TableDescriptor } from '@macaron/core';
import { quoteIdentifier } from '../sql/identifiers.js';
import { indexColumnDefinition } from '../sql/index-column-expression.js';
import {
  type IndexLayout,
  itemColumn,
  type KeyColumn,
  type TableLayout,
  tableLayout,
  typesColumn,
} from '../sql/table-layout.js';
import { checkDistinctNames } from './relation-names.js';
import { commentOnTable } from './table-comment.js';
import { tablesOfOneLayout } from './tables-of-one-layout.js';

/** The columns of a secondary index's SQL index: its keys, then the table keys. */
export function indexedColumns(layout: TableLayout, index: IndexLayout): KeyColumn[] {
  const columns = [index.partition, ...(index.sort ? [index.sort] : [])];
  for (const column of layout.keyColumns) if (!columns.includes(column)) columns.push(column);
  return columns;
}

/**
 * `CREATE INDEX` of a secondary index: partial, so items without its keys are not in it.
 * `ifNotExists` for the exported DDL only: provisioning checks the name itself, and an index
 * it meant to create must never be skipped silently.
 */
export function createIndexSql(
  layout: TableLayout,
  index: IndexLayout,
  ifNotExists = true,
): string {
  const present = [index.partition, ...(index.sort ? [index.sort] : [])]
    .map((column) => `${column.sql} IS NOT NULL`)
    .join(' AND ');
  return `CREATE INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${index.sql} ON ${layout.sql} (${indexedColumns(
    layout,
    index,
  )
    .map((column) => column.sql)
    .join(', ')}) WHERE ${present}`;
}

/**
 * The statements that create a table, its index columns and indexes; idempotent
 * (`IF NOT EXISTS`) for the exported DDL, strict for provisioning (see `createIndexSql`).
 */
export function createTableStatements(table: TableDescriptor, ifNotExists = true): string[] {
  const layout = tableLayout(table);
  const columns = [
    ...layout.keyColumns.map((column) => `${column.sql} ${column.sqlType} NOT NULL`),
    `${itemColumn} jsonb NOT NULL`,
    `${typesColumn} jsonb`,
    ...layout.indexColumns.map(indexColumnDefinition),
    `CONSTRAINT ${quoteIdentifier(layout.primaryKeyName)} PRIMARY KEY (${layout.keyColumns.map((column) => column.sql).join(', ')})`,
  ];
  const statements = [
    `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${layout.sql} (\n  ${columns.join(',\n  ')}\n)`,
    commentOnTable(layout),
  ];
  for (const index of layout.indexes.values())
    statements.push(createIndexSql(layout, index, ifNotExists));
  return statements;
}

/**
 * The SQL DDL of a set of tables, for review or for a migration tool (`macaron tables export
 * --format sql`): the statements `createTables` runs, each ending with `;`.
 */
export function postgresTablesDdl(tables: readonly TableDescriptor[]): string {
  // `IF NOT EXISTS` would skip the second of two tables' indexes of one name: refuse instead.
  const distinct = tablesOfOneLayout(tables);
  checkDistinctNames(distinct.map(tableLayout));
  return `${distinct
    .flatMap((table) => createTableStatements(table))
    .map((statement) => `${statement};`)
    .join('\n\n')}\n`;
}
