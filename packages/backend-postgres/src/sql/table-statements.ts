import type { ItemKey, KeyValue, StoredItem, TableDescriptor } from '@macaron/core';
import { perTable } from '@macaron/core/backend';
import { encodeItem } from '../values/encode-item.js';
import { keyParameter } from '../values/key-parameter.js';
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
 * `parseJsonbTextExactly`). On a table whose item column was found `jsonb` (as the layout
 * creates it), by `jsonb_out`, which costs what the cast to text does but takes jsonb alone:
 * a column a DBA altered since (to `json`, `text`) fails the statement (42883, nothing read or
 * written) rather than being read through a cast, which would give a member a `json` column
 * names twice as its last alone (and a write back would store that alone). The backend then
 * checks the table again (see `tableChanged`).
 */
const itemText = `jsonb_out(${itemColumn})::text`;
export const selectItem = `${itemText} AS item, ${typesColumn}::text AS types`;

/** The item as jsonb's text, cast from a `json` (or `text`) item column another client made. */
const castItemText = `${itemColumn}::jsonb::text`;

/**
 * `selectItem` with `key_item_stored`, the item's text as its column holds it: for a `json` item
 * column another client made, which may name a member twice where jsonb's text names it once
 * (see `checkMembersNamedOnce`). Never read from a `jsonb` column, which cannot.
 */
export const selectItemAndStored = `${castItemText} AS item, ${typesColumn}::text AS types, ${itemColumn}::text AS key_item_stored`;

/** `selectItem` or `selectItemAndStored`, for a table whose item column is `json` or not. */
export function itemSelection(storedItem: boolean): string {
  return storedItem ? selectItemAndStored : selectItem;
}

/**
 * Whether a row's item is one jsonb takes (PostgreSQL 16 and later): false for a `json` (or
 * `text`) item column another client made holding what the cast refuses (see `unreadableItem`).
 */
export const itemCastable = `pg_input_is_valid(${itemColumn}::text, 'jsonb')`;

/**
 * `selectItem` for the rows of a read that failed on such an item: `item` (and `types`) as
 * `selectItem` reads them, NULL where the cast would fail, and `stored`, the item's text as its
 * column holds it, there alone. Used only once a read has failed so.
 */
export const selectItemOrStored = `CASE WHEN ${itemCastable} THEN ${castItemText} END AS item, CASE WHEN NOT ${itemCastable} THEN ${itemColumn}::text END AS stored, ${typesColumn}::text AS types`;

/**
 * The most text bytes a read of many items takes as one row: far below V8's largest string
 * (2^29 UTF-16 units, which a byte count bounds) and PostgreSQL's 1 GB. A page of 100 items of
 * DynamoDB's largest size holds 40 MB; rows other clients wrote may hold far more.
 */
export const maxOneRowBytes = 64 * 1024 * 1024;

// `pageItemSeparator` (see `decodeItemPage`) in SQL: a comma and a line feed.
const itemSeparator = "E',\\n'";

/**
 * A read of many items as one row (see `decodeItemPage`): of the rows `rows` selects (with
 * `item`, `item_types`, `key_held` and the columns `order` names), their item texts and their
 * annotations (empty for none), each aggregated in `order`, the items separated by
 * `pageItemSeparator` (a comma and a line feed: the page is then one JSON list), the
 * annotations by U+0001, which JSON text never holds unescaped; a NULL item (in a table another
 * client made) is the empty text, which no JSON is. The client then handles one protocol
 * message instead of one per item.
 * `storedItem` (a `json` item column): the items' texts as the column holds them too, as
 * `key_item_stored`, aggregated so (see `selectItemAndStored`).
 * Rows whose texts add up to more than `maxOneRowBytes` are not aggregated: `oversized` says
 * so, and they are read row by row. The aliases start with `key_`, which no key column's name
 * does unless its attribute's name is reserved or starts so (see `columnName`).
 */
export function selectItemsAsOneRow(
  rows: string,
  carried: readonly string[],
  order = '',
  storedItem = false,
): string {
  const kept = carried.map((column) => `, ${column}`).join('');
  const stored = storedItem ? `, ${itemColumn}::text AS key_stored_text` : '';
  // OFFSET 0 keeps PostgreSQL from folding this query into the next, which would spell each
  // item's text twice (for its size, then for the aggregate): +130 µs a page of 100.
  const texts = `SELECT ${storedItem ? castItemText : itemText} AS key_item_text, ${typesColumn}::text AS key_types_text${stored}, key_held${kept} FROM (${rows}) AS picked OFFSET 0`;
  const storedBytes = storedItem ? ' + coalesce(octet_length(key_stored_text), 0) + 1' : '';
  // The page's size is known before anything is aggregated: an oversized page builds no text.
  const sized = `SELECT *, sum(coalesce(octet_length(key_item_text), 0) + coalesce(octet_length(key_types_text), 0) + 3${storedBytes}) OVER () AS key_page_bytes FROM (${texts}) AS texts`;
  const small = `FILTER (WHERE key_page_bytes <= ${maxOneRowBytes})`;
  return (
    `SELECT string_agg(coalesce(key_item_text, ''), ${itemSeparator}${order}) ${small} AS items, ` +
    `string_agg(coalesce(key_types_text, ''), chr(1)${order}) ${small} AS types, ` +
    (storedItem
      ? `string_agg(coalesce(key_stored_text, ''), chr(1)${order}) ${small} AS key_item_stored, `
      : '') +
    `bool_and(key_held) AS key_held, bool_or(key_page_bytes > ${maxOneRowBytes}) AS oversized FROM (${sized}) AS page`
  );
}

/**
 * A write whose rows the backend counts: `counted`, when there is one, for a client that reads
 * the count of its command tag (`SqlExecutor.rowsWritten`); `returning` returns a row for
 * each row written.
 */
export interface CountedWrite {
  readonly counted: string | undefined;
  readonly returning: string;
}

/**
 * An `INSERT … ON CONFLICT`: PostgreSQL refuses one on a table with an INSERT rule that does
 * something or any UPDATE rule, and an INSERT rule `DO INSTEAD NOTHING` only drops the row
 * (`INSERT 0 0`, a write skipped), so its command tag counts the rows it wrote in this table:
 * the tag is read instead of a row each.
 */
function countedInsert(write: string): CountedWrite {
  return { counted: write, returning: `${write} RETURNING true AS written` };
}

/**
 * An UPDATE or a DELETE: under a DBA's `DO INSTEAD` rule, its command tag counts the rows the
 * rule's statement wrote, in whatever table, so only rows returned count (a table with such a
 * rule refuses the statement, as before rows were counted at all).
 */
function returningWrite(write: string): CountedWrite {
  return { counted: undefined, returning: `${write} RETURNING true AS written` };
}

/** The statements of one table, built once from its layout. */
export class TableStatements {
  /** The item under a key. */
  readonly select: string;
  /** The item under a key, locked until the transaction ends. */
  readonly selectForUpdate: string;
  /**
   * The item under a key as its column holds it, not cast to jsonb: the text of a `json` (or
   * `text`) item column another client made, which a cast may refuse (see `unreadableItem`).
   */
  readonly selectStored: string;
  /** `selectStored`, locked until the transaction ends. */
  readonly selectStoredForUpdate: string;
  /** `select`, `selectForUpdate` and `delete` for a `json` item column (`selectItemAndStored`). */
  readonly storedItemReads: {
    readonly select: string;
    readonly selectForUpdate: string;
    readonly delete: string;
  };
  /** `select`, `selectForUpdate` and `delete`, or those of a `json` item column. */
  reads(storedItem: boolean): {
    readonly select: string;
    readonly selectForUpdate: string;
    readonly delete: string;
  } {
    return storedItem ? this.storedItemReads : this;
  }
  /** Writes a whole item, replacing any under its key, counted: a row when it stored it. */
  readonly countedUpsert: CountedWrite;
  /**
   * Writes an item only if its key is free (in a transaction): a row back when it did, whose
   * `exact` says whether the row holds the key, item and item_types given (see `writtenAsGiven`).
   */
  readonly insertIfAbsent: string;
  /** Replaces the item under a key (locked by the transaction): a row back, as `insertIfAbsent`. */
  readonly replace: string;
  /** Deletes the item under a key and returns it. */
  readonly delete: string;
  /** Deletes the item under a key, counted. */
  readonly countedDelete: CountedWrite;
  // `INSERT INTO table (columns)`, what follows an upsert's rows, and `upsertMany`'s texts.
  private readonly insertInto: string;
  private readonly conflictUpdate: string;
  private readonly upserts = new Map<number, CountedWrite>();
  private readonly deletes = new Map<number, CountedWrite>();

  /**
   * `cleared`: index key columns an earlier version made and wrote itself (not generated),
   * which this version's writes set to their default, NULL, rather than leave as they were (an
   * index answering the item under the key it held before). On a generated column, which the
   * conversion by `ensureTables` makes of it under the same name, DEFAULT computes it as usual.
   */
  constructor(
    readonly layout: TableLayout,
    cleared: readonly KeyColumn[] = [],
  ) {
    const table = layout.sql;
    const clear = cleared.map((column) => `, ${column.sql} = DEFAULT`).join('');
    const keyMatch = this.keyMatch(1);
    this.select = `SELECT ${selectItem} FROM ${table} WHERE ${keyMatch}`;
    this.selectForUpdate = `${this.select} FOR UPDATE`;
    this.selectStored = `SELECT ${itemColumn}::text AS item, ${typesColumn}::text AS types FROM ${table} WHERE ${keyMatch}`;
    this.selectStoredForUpdate = `${this.selectStored} FOR UPDATE`;
    // Index key columns are generated by PostgreSQL from the item: writes never set them.
    const keyCount = layout.keyColumns.length;
    const names = [...layout.keyColumns.map((column) => column.sql), itemColumn, typesColumn];
    this.insertInto = `INSERT INTO ${table} (${names.join(', ')})`;
    const insert = `${this.insertInto} VALUES ${this.valuesRow(0)}`;
    const conflict = layout.keyColumns.map((column) => column.sql).join(', ');
    // A row back, or a row counted, says the write was stored: a trigger can skip it (see
    // WriteSkipped).
    this.conflictUpdate = `ON CONFLICT (${conflict}) DO UPDATE SET ${itemColumn} = EXCLUDED.${itemColumn}, ${typesColumn} = EXCLUDED.${typesColumn}${clear}`;
    const upsert = `${insert} ${this.conflictUpdate}`;
    this.countedUpsert = countedInsert(upsert);
    const exact = `RETURNING ${this.writtenAsGiven()} AS exact`;
    this.insertIfAbsent = `${insert} ON CONFLICT (${conflict}) DO NOTHING ${exact}`;
    this.replace = `UPDATE ${table} SET ${itemColumn} = $${keyCount + 1}::text::jsonb, ${typesColumn} = $${keyCount + 2}::text::jsonb${clear} WHERE ${keyMatch} ${exact}`;
    const deleteKey = `DELETE FROM ${table} WHERE ${keyMatch}`;
    this.delete = `${deleteKey} RETURNING ${selectItem}`;
    const selectAndStored = `SELECT ${selectItemAndStored} FROM ${table} WHERE ${keyMatch}`;
    this.storedItemReads = {
      select: selectAndStored,
      selectForUpdate: `${selectAndStored} FOR UPDATE`,
      delete: `${deleteKey} RETURNING ${selectItemAndStored}`,
    };
    this.countedDelete = returningWrite(deleteKey);
  }

  /** `($1, $2, $3::text::jsonb, $4::text::jsonb)`: the values of the `row`-th item written. */
  private valuesRow(row: number): string {
    const columns = this.layout.keyColumns;
    const first = row * (columns.length + 2) + 1;
    const values = [
      ...columns.map((column, position) => `$${first + position}${column.cast}`),
      `$${first + columns.length}::text::jsonb`,
      `$${first + columns.length + 1}::text::jsonb`,
    ];
    return `(${values.join(', ')})`;
  }

  /**
   * Whether a row written (as RETURNING sees it, after the table's BEFORE triggers) holds the
   * key, item and item_types of `writeParameters`: a trigger may have changed them (a member
   * added, item_types replaced, the key column rewritten, which puts the row under another
   * key). Compared as jsonb, as `unstoredOf` does; NULL, as false, where a trigger set NULL.
   */
  private writtenAsGiven(): string {
    const item = this.layout.keyColumns.length + 1;
    return `(${this.keyMatch(1)} AND ${itemColumn}::jsonb = $${item}::text::jsonb AND ${typesColumn}::jsonb IS NOT DISTINCT FROM $${item + 1}::text::jsonb)`;
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

  /**
   * The parameters of `countedUpsert`, `insertIfAbsent` and `replace` for an item; `jsonAlone`,
   * as for `encodeItem`.
   */
  writeParameters(item: StoredItem, jsonAlone = false): unknown[] {
    const parameters: unknown[] = this.layout.keyColumns.map((column) =>
      keyParameter(item[column.attribute] as KeyValue),
    );
    const encoded = encodeItem(item, jsonAlone);
    parameters.push(encoded.json, encoded.types);
    return parameters;
  }

  /**
   * A multi-row upsert of `count` items (parameters: `writeParameters` of each, in order),
   * counted: a row for each item stored. Built once per count.
   */
  upsertMany(count: number): CountedWrite {
    if (count === 1) return this.countedUpsert;
    let write = this.upserts.get(count);
    if (write === undefined) {
      const rows = Array.from({ length: count }, (_, row) => this.valuesRow(row));
      // `paddedItems` fills the rows past the items with NULLs, left out here; the others go
      // in as given, in the order the backend sorted them (the order rows are locked in).
      const keys = this.layout.keyColumns.map((column) => column.sql);
      const columns = [...keys, itemColumn, typesColumn].join(', ');
      write = countedInsert(
        `${this.insertInto} SELECT * FROM (VALUES ${rows.join(', ')}) AS given (${columns}) WHERE ${keys[0]} IS NOT NULL ${this.conflictUpdate}`,
      );
      this.upserts.set(count, write);
    }
    return write;
  }

  /**
   * A delete of `count` keys (parameters as for `keysMatch`), counted: a row for each deleted.
   * Built once per count.
   */
  deleteMany(count: number): CountedWrite {
    if (count === 1) return this.countedDelete;
    let write = this.deletes.get(count);
    if (write === undefined) {
      write = returningWrite(`DELETE FROM ${this.layout.sql} WHERE ${this.keysMatch(count)}`);
      this.deletes.set(count, write);
    }
    return write;
  }

  /**
   * Which of the `count` items of an `upsertMany` (same parameters) are not stored as given:
   * their positions, one row each. The item and its annotations are compared as jsonb: a
   * hand-made table may keep either as `json`, which has no equality (`json = jsonb` does not
   * exist, so the check itself would fail, and a write known as skipped or stored would be
   * reported as unknown).
   */
  unstoredOf(count: number): string {
    const width = this.layout.keyColumns.length + 2;
    return Array.from({ length: count }, (_, row) => {
      const first = row * width + 1;
      const item = first + width - 2;
      return `SELECT ${row} AS position WHERE NOT EXISTS (SELECT 1 FROM ${this.layout.sql} WHERE ${this.keyMatch(first)} AND ${itemColumn}::jsonb = $${item}::text::jsonb AND ${typesColumn}::jsonb IS NOT DISTINCT FROM $${item + 1}::text::jsonb)`;
    }).join(' UNION ALL ');
  }

  /** Which of `count` keys (parameters as for `keysMatch`) still have a row: their positions. */
  presentOf(count: number): string {
    const width = this.layout.keyColumns.length;
    return Array.from(
      { length: count },
      (_, row) =>
        `SELECT ${row} AS position WHERE EXISTS (SELECT 1 FROM ${this.layout.sql} WHERE ${this.keyMatch(row * width + 1)})`,
    ).join(' UNION ALL ');
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

// The key counts statements of many keys are written for. Each distinct text is a statement
// prepared on every connection that runs it, and one of 100 keys holds some 200 KB of the
// server's memory: a batch of any size from 1 to 100 would prepare 100 of them per table.
const keyCounts = [1, 2, 4, 8, 16, 25, 32, 64, 100];

/**
 * `count` keys' parameters (`width` each, as for `keysMatch`) padded to one of a few counts
 * by repeating the last key: a statement matching any of the keys reads (or deletes) the same
 * rows. With the count its text is written for.
 */
export function paddedKeys(
  parameters: readonly unknown[],
  width: number,
  count: number,
): { count: number; parameters: unknown[] } {
  const padded = paddedCount(count);
  const all = [...parameters];
  const last = parameters.slice(parameters.length - width);
  for (let row = count; row < padded; row++) all.push(...last);
  return { count: padded, parameters: all };
}

/**
 * `count` items' parameters (as for `upsertMany`) padded to one of the same counts with rows
 * of NULLs, which `upsertMany` leaves out: nothing more is sent than a NULL a row.
 */
export function paddedItems(
  parameters: readonly unknown[],
  width: number,
  count: number,
): { count: number; parameters: unknown[] } {
  const padded = paddedCount(count);
  const all = [...parameters];
  for (let filler = (padded - count) * width; filler > 0; filler--) all.push(null);
  return { count: padded, parameters: all };
}

function paddedCount(count: number): number {
  return keyCounts.find((candidate) => candidate >= count) ?? count;
}

/** The statements of a table (made once a descriptor, and again when its indexes change). */
export const tableStatements: (table: TableDescriptor) => TableStatements = perTable(
  (table) => new TableStatements(tableLayout(table)),
);
