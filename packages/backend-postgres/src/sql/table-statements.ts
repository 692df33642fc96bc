import type { ItemKey, KeyValue, StoredItem, TableDescriptor } from '@macaron/core';
import { encodeItem } from '../values/encode-item.js';
import { indexColumnParameter, keyParameter } from '../values/key-parameter.js';
import {
  itemColumn,
  type KeyColumn,
  type TableLayout,
  tableLayout,
  typesColumn,
} from './table-layout.js';

/**
 * What every read selects: the item's JSON and its type annotations, as text (parsed exactly).
 * The item is read as jsonb's text, whose numbers never have an exponent (see
 * `parseJsonbTextExactly`); the cast costs nothing on the jsonb column the layout creates.
 */
const itemText = `${itemColumn}::jsonb::text`;
export const selectItem = `${itemText} AS item, ${typesColumn}::text AS types`;

/**
 * What a read of many items selects to get them as one row (see `decodeItemPage`): their
 * item texts and their annotations (empty for none), each aggregated in `order` and separated
 * by U+0001, which JSON text never holds unescaped. The client then handles one protocol
 * message instead of one per item.
 */
export function selectItemsAsOneRow(order = ''): string {
  return (
    `string_agg(${itemText}, chr(1)${order}) AS items, ` +
    `string_agg(coalesce(${typesColumn}::text, ''), chr(1)${order}) AS types`
  );
}

/** The statements of one table, built once from its layout. */
export class TableStatements {
  /** The item under a key. */
  readonly select: string;
  /** The item under a key, locked until the transaction ends. */
  readonly selectForUpdate: string;
  /** Writes a whole item, replacing any under its key. */
  readonly upsert: string;
  /** Writes an item only if its key is free; returns a row when it did. */
  readonly insertIfAbsent: string;
  /** Replaces the item under a key (known to exist). */
  readonly replace: string;
  /** Deletes the item under a key and returns it. */
  readonly delete: string;
  /** All columns written, in parameter order. */
  private readonly writeColumns: readonly KeyColumn[];

  constructor(readonly layout: TableLayout) {
    const table = layout.sql;
    const keyMatch = this.keyMatch(1);
    this.select = `SELECT ${selectItem} FROM ${table} WHERE ${keyMatch}`;
    this.selectForUpdate = `${this.select} FOR UPDATE`;
    this.writeColumns = [...layout.keyColumns, ...layout.indexColumns];
    const names = [...this.writeColumns.map((column) => column.sql), itemColumn, typesColumn];
    const values = [
      ...this.writeColumns.map((column, position) => `$${position + 1}${column.cast}`),
      `$${this.writeColumns.length + 1}::text::jsonb`,
      `$${this.writeColumns.length + 2}::text::jsonb`,
    ];
    const insert = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${values.join(', ')})`;
    const conflict = layout.keyColumns.map((column) => column.sql).join(', ');
    const updated = [...layout.indexColumns.map((column) => column.sql), itemColumn, typesColumn];
    this.upsert = `${insert} ON CONFLICT (${conflict}) DO UPDATE SET ${updated
      .map((name) => `${name} = EXCLUDED.${name}`)
      .join(', ')}`;
    this.insertIfAbsent = `${insert} ON CONFLICT (${conflict}) DO NOTHING RETURNING 1 AS inserted`;
    const keyCount = layout.keyColumns.length;
    this.replace = `UPDATE ${table} SET ${[
      ...layout.indexColumns.map(
        (column, position) => `${column.sql} = $${keyCount + position + 1}${column.cast}`,
      ),
      `${itemColumn} = $${this.writeColumns.length + 1}::text::jsonb`,
      `${typesColumn} = $${this.writeColumns.length + 2}::text::jsonb`,
    ].join(', ')} WHERE ${keyMatch}`;
    this.delete = `DELETE FROM ${table} WHERE ${keyMatch} RETURNING ${selectItem}`;
  }

  /** `pk = $n AND sk = $n+1`: the table key, from parameter `first` on. */
  keyMatch(first: number): string {
    return this.layout.keyColumns
      .map((column, position) => `${column.sql} = $${first + position}${column.cast}`)
      .join(' AND ');
  }

  /** The parameters of a key, for `keyMatch`. */
  keyParameters(key: ItemKey): (string | Uint8Array)[] {
    return this.layout.keyColumns.map((column) => keyParameter(key[column.attribute] as KeyValue));
  }

  /** The parameters of `upsert`, `insertIfAbsent` and `replace` for an item. */
  writeParameters(item: StoredItem): unknown[] {
    const parameters: unknown[] = this.layout.keyColumns.map((column) =>
      keyParameter(item[column.attribute] as KeyValue),
    );
    for (const column of this.layout.indexColumns)
      parameters.push(
        indexColumnParameter(
          column,
          Object.hasOwn(item, column.attribute) ? item[column.attribute] : undefined,
        ),
      );
    const encoded = encodeItem(item);
    parameters.push(encoded.json, encoded.types);
    return parameters;
  }

  /** A multi-row upsert of `count` items (parameters: `writeParameters` of each, in order). */
  upsertMany(count: number): string {
    if (count === 1) return this.upsert;
    const width = this.writeColumns.length + 2;
    const rows = Array.from({ length: count }, (_, row) => {
      const values = [
        ...this.writeColumns.map(
          (column, position) => `$${row * width + position + 1}${column.cast}`,
        ),
        `$${row * width + this.writeColumns.length + 1}::text::jsonb`,
        `$${row * width + this.writeColumns.length + 2}::text::jsonb`,
      ];
      return `(${values.join(', ')})`;
    });
    const head = this.upsert.slice(0, this.upsert.indexOf(' VALUES ('));
    const tail = this.upsert.slice(this.upsert.indexOf(' ON CONFLICT'));
    return `${head} VALUES ${rows.join(', ')}${tail}`;
  }

  /** `(key of item 1) OR (key of item 2) …`, parameters from `first` on. */
  keysMatch(count: number, first = 1): string {
    const width = this.layout.keyColumns.length;
    return Array.from(
      { length: count },
      (_, row) => `(${this.keyMatch(first + row * width)})`,
    ).join(' OR ');
  }
}

const statements = new WeakMap<TableDescriptor, TableStatements>();

/** The statements of a table (cached per descriptor). */
export function tableStatements(table: TableDescriptor): TableStatements {
  let found = statements.get(table);
  if (!found) {
    found = new TableStatements(tableLayout(table));
    statements.set(table, found);
  }
  return found;
}
