import type { TableDescriptor } from '@macaron/core';
import type { SqlExecutor } from '../client/sql-client.js';
import { itemColumn, type TableLayout, typesColumn } from '../sql/table-layout.js';

// What the comment says of a table Macaron makes, for whoever reads the catalog.
function tableComment(table: TableDescriptor): string {
  return `Macaron x-persist table ${table.specName}: each row is one item, ${itemColumn} holds it as JSON, ${typesColumn} what JSON cannot say (bytes, sets, U+0000); key columns are copies of the item's key attributes, index key columns are generated from it (never written).`;
}

// The comment of versions before generated index columns (2026-12-01), untrue once converted.
function earlierTableComment(table: TableDescriptor): string {
  return `Macaron x-persist table ${table.specName}: each row is one item, ${itemColumn} holds it as JSON, ${typesColumn} what JSON cannot say (bytes, sets, U+0000); key and index columns are copies of the item's key attributes.`;
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The `COMMENT ON TABLE` statement of this version's comment. */
export function commentOnTable(layout: TableLayout): string {
  return `COMMENT ON TABLE ${layout.sql} IS ${quoteLiteral(tableComment(layout.descriptor))}`;
}

/**
 * Gives a table whose index columns were just made generated this version's comment, where it
 * holds an earlier version's word for word (a comment of the team's stays).
 */
export async function updateEarlierComment(
  executor: SqlExecutor,
  layout: TableLayout,
): Promise<void> {
  const [row] = await executor.query(
    `SELECT obj_description($1::text::regclass, 'pg_class') AS comment`,
    [layout.sql],
  );
  if (row?.comment !== earlierTableComment(layout.descriptor)) return;
  await executor.query(commentOnTable(layout));
}
