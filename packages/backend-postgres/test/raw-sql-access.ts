import type { RawAccess } from '@macaron/backend-conformance';
import type { ItemKey, KeyValue, StoredItem, StoredValue } from '@macaron/core';
import type { SqlExecutor } from '../src/client/sql-client.js';
import { decodeItem } from '../src/values/decode-item.js';
import { encodeItem } from '../src/values/encode-item.js';
import { escapeKeyText } from '../src/values/nul-escape.js';

interface Column {
  name: string;
  type: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

// The attribute a key or index column copies: its name, less the `key_` prefix if it has one.
const attributeOf = (column: string) => (column.startsWith('key_') ? column.slice(4) : column);

function columnValue(column: Column, value: StoredValue | undefined): unknown {
  if (column.type === 'text') return typeof value === 'string' ? escapeKeyText(value) : null;
  if (column.type === 'numeric')
    return typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;
  return value instanceof Uint8Array ? value : null;
}

/**
 * Another client of the same tables: plain SQL over the documented layout, found in the
 * catalog (not in the backend's descriptors). Reads `item` and `item_types`; writes every
 * key and index column from the item, as a hand-written INSERT would.
 */
export function createRawSqlAccess(sql: SqlExecutor): RawAccess {
  const columnsOf = async (table: string) =>
    (
      await sql.query(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped
            AND attname NOT IN ('item', 'item_types') ORDER BY attnum`,
        [quote(table)],
      )
    ).map((row) => ({ name: row.name as string, type: row.type as string }));
  return {
    async get(table: string, key: ItemKey): Promise<StoredItem | undefined> {
      const names = Object.keys(key);
      const columns = (await columnsOf(table)).filter((column) =>
        names.includes(attributeOf(column.name)),
      );
      const where = columns.map((column, position) => `${quote(column.name)} = $${position + 1}`);
      const rows = await sql.query(
        `SELECT item::text AS item, item_types::text AS types FROM ${quote(table)} WHERE ${where.join(' AND ')}`,
        columns.map((column) => columnValue(column, key[attributeOf(column.name)] as KeyValue)),
      );
      const row = rows[0];
      return row ? decodeItem(row.item as string, row.types as string | null) : undefined;
    },
    async put(table: string, item: StoredItem): Promise<void> {
      const columns = await columnsOf(table);
      const encoded = encodeItem(item);
      const names = [...columns.map((column) => quote(column.name)), 'item', 'item_types'];
      const values = columns.map((column) =>
        columnValue(
          column,
          Object.hasOwn(item, attributeOf(column.name))
            ? item[attributeOf(column.name)]
            : undefined,
        ),
      );
      const placeholders = names.map((_, position) => `$${position + 1}`);
      const keyNames = (
        await sql.query(
          `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a
             ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::text::regclass AND i.indisprimary`,
          [quote(table)],
        )
      ).map((row) => quote(row.name as string));
      await sql.query(
        `INSERT INTO ${quote(table)} (${names.join(', ')}) VALUES (${placeholders.join(', ')})
         ON CONFLICT (${keyNames.join(', ')}) DO UPDATE SET ${names
           .map((name) => `${name} = EXCLUDED.${name}`)
           .join(', ')}`,
        [...values, encoded.json, encoded.types],
      );
    },
  };
}
