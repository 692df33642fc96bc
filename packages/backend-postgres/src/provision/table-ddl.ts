import type { TableDescriptor } from '@macaron/core';
import {
  type IndexLayout,
  itemColumn,
  type TableLayout,
  tableLayout,
  typesColumn,
} from '../sql/table-layout.js';

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** `CREATE INDEX` of a secondary index: partial, so items without its keys are not in it. */
export function createIndexSql(layout: TableLayout, index: IndexLayout): string {
  const columns = [index.partition, ...(index.sort ? [index.sort] : [])];
  for (const column of layout.keyColumns) if (!columns.includes(column)) columns.push(column);
  const present = [index.partition, ...(index.sort ? [index.sort] : [])]
    .map((column) => `${column.sql} IS NOT NULL`)
    .join(' AND ');
  return `CREATE INDEX IF NOT EXISTS ${index.sql} ON ${layout.sql} (${columns
    .map((column) => column.sql)
    .join(', ')}) WHERE ${present}`;
}

/** The statements that create a table, its index columns and indexes (idempotent). */
export function createTableStatements(table: TableDescriptor): string[] {
  const layout = tableLayout(table);
  const columns = [
    ...layout.keyColumns.map((column) => `${column.sql} ${column.sqlType} NOT NULL`),
    ...layout.indexColumns.map((column) => `${column.sql} ${column.sqlType}`),
    `${itemColumn} jsonb NOT NULL`,
    `${typesColumn} jsonb`,
    `PRIMARY KEY (${layout.keyColumns.map((column) => column.sql).join(', ')})`,
  ];
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${layout.sql} (\n  ${columns.join(',\n  ')}\n)`,
    `COMMENT ON TABLE ${layout.sql} IS ${quoteLiteral(
      `Macaron x-persist table ${table.specName}: each row is one item, ${itemColumn} holds it as JSON, ${typesColumn} what JSON cannot say (bytes, sets, U+0000); key and index columns are copies of the item's key attributes.`,
    )}`,
  ];
  for (const index of layout.indexes.values()) statements.push(createIndexSql(layout, index));
  return statements;
}

/**
 * The SQL DDL of a set of tables, for review or for a migration tool (`macaron tables export
 * --format sql`): the statements `createTables` runs, each ending with `;`.
 */
export function postgresTablesDdl(tables: readonly TableDescriptor[]): string {
  return `${tables
    .flatMap((table) => createTableStatements(table))
    .map((statement) => `${statement};`)
    .join('\n\n')}\n`;
}
