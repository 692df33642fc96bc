import {
  type IndexDescriptor,
  InvalidRequestError,
  type KeyAttribute,
  type KeyType,
  type TableDescriptor,
} from '@macaron/core';
import { perTable, quotedName, shownName } from '@macaron/core/backend';
import { derivedIdentifier, identifierProblem, quoteIdentifier } from './identifiers.js';

/** The column that holds the item, as the object's own JSON. */
export const itemColumn = 'item';
/** The column that says what JSON cannot (bytes, sets, U+0000), or NULL. */
export const typesColumn = 'item_types';

/** A key attribute (of the table or an index) and the typed column that holds it. */
export interface KeyColumn {
  /** The attribute name. */
  readonly attribute: string;
  /** Its scalar type. */
  readonly type: KeyType;
  /** The column name, unquoted. */
  readonly name: string;
  /** The column name, quoted for SQL. */
  readonly sql: string;
  /** The SQL type of the column. */
  readonly sqlType: string;
  /** The cast a parameter of this column takes, e.g. `::numeric`. */
  readonly cast: string;
}

/** A secondary index as a partial SQL index on its key columns. */
export interface IndexLayout {
  /** The index as the spec describes it. */
  readonly descriptor: IndexDescriptor;
  /** Index name in SQL, quoted (unique in the schema: see `indexName`). */
  readonly sql: string;
  /** Its name unquoted. */
  readonly name: string;
  /** The index partition key column. */
  readonly partition: KeyColumn;
  /** The index sort key column, if any. */
  readonly sort?: KeyColumn;
}

/** How one `x-persist` table is laid out in SQL. */
export interface TableLayout {
  /** The table as core describes it. */
  readonly descriptor: TableDescriptor;
  /** The table name, quoted. */
  readonly sql: string;
  /** The partition key column. */
  readonly partition: KeyColumn;
  /** The sort key column, if any. */
  readonly sort?: KeyColumn;
  /** The table key columns, partition first. */
  readonly keyColumns: readonly KeyColumn[];
  /** The columns indexes need beyond the table key: generated from the item by PostgreSQL. */
  readonly indexColumns: readonly KeyColumn[];
  /** The primary key constraint's name (and its index's), unquoted. */
  readonly primaryKeyName: string;
  /** Secondary indexes by name. */
  readonly indexes: ReadonlyMap<string, IndexLayout>;
}

/*
 * Tables, indexes and the primary key's index share one namespace in PostgreSQL. Macaron's
 * table and index names are made of A-Z a-z 0-9 _ - . only, so a derived name holding `:` or
 * `#` (or the hash's `~`) is never a table's, and `:` / `#` keep indexes and primary keys apart.
 * (PostgreSQL's own `<table>_pkey`, and the `<table>.<index>` of earlier versions, could be.)
 */

/** The name of a secondary index: `<table>:<index>`. */
export function indexName(table: string, index: string): string {
  return derivedIdentifier(`${table}:${index}`);
}

/** The name of a table's primary key constraint: `<table>#pkey`. */
export function primaryKeyName(table: string): string {
  return derivedIdentifier(`${table}#pkey`);
}

const sqlTypes: Record<KeyType, { sqlType: string; cast: string }> = {
  // COLLATE "C": text compares by code point, which is UTF-8 byte order (DynamoDB's).
  string: { sqlType: 'text COLLATE "C"', cast: '::text' },
  number: { sqlType: 'numeric', cast: '::numeric' },
  binary: { sqlType: 'bytea', cast: '::bytea' },
};

/*
 * PostgreSQL's system columns: a user column cannot take these names (42701). Matched as the
 * exact (quoted) names: `CTID` is free. `oid` is not among them since PostgreSQL 12, which
 * generated columns need anyway, so an `oid` key keeps its column name.
 */
const systemColumns = ['tableoid', 'xmin', 'cmin', 'xmax', 'cmax', 'ctid'];

const reserved = new Set([itemColumn, typesColumn, ...systemColumns]);

// Key columns are named after their attributes; names that would meet the item columns or a
// system column take a `key_` prefix (so do names that start with it, which keeps the mapping
// one-to-one: `key_ctid` is the column of `ctid`, `key_key_ctid` that of `key_ctid`). Names that
// worked before keep their columns: only names PostgreSQL refused are mapped anew.
function columnName(attribute: string): string {
  return reserved.has(attribute) || attribute.startsWith('key_') ? `key_${attribute}` : attribute;
}

function keyColumn(table: string, attribute: KeyAttribute): KeyColumn {
  const name = columnName(attribute.name);
  // Checked here, so that provisioning and a table's first use both name what is wrong.
  const problem = identifierProblem(name);
  if (problem !== undefined)
    throw new InvalidRequestError(
      `Table ${shownName(table)}: key attribute ${quotedName(attribute.name)} cannot have a PostgreSQL column (${quotedName(name)}): ${problem}`,
    );
  return {
    attribute: attribute.name,
    type: attribute.type,
    name,
    sql: quoteIdentifier(name),
    ...sqlTypes[attribute.type],
  };
}

/** The SQL layout of a table (made once a descriptor, and again when its indexes change). */
export const tableLayout: (table: TableDescriptor) => TableLayout = perTable((table) =>
  deriveLayout(table),
);

function deriveLayout(table: TableDescriptor): TableLayout {
  const columns = new Map<string, KeyColumn>();
  const use = (attribute: KeyAttribute): KeyColumn => {
    const existing = columns.get(attribute.name);
    if (existing) {
      if (existing.type !== attribute.type)
        throw new InvalidRequestError(
          `Table ${shownName(table.name)}: attribute ${quotedName(attribute.name)} is a ${existing.type} key in one place and a ${attribute.type} key in another`,
        );
      return existing;
    }
    const column = keyColumn(table.name, attribute);
    columns.set(attribute.name, column);
    return column;
  };
  const partition = use(table.partitionKey);
  const sort = table.sortKey && use(table.sortKey);
  const keyColumns = sort ? [partition, sort] : [partition];
  const indexes = new Map<string, IndexLayout>();
  const named = new Map<string, string>([[primaryKeyName(table.name), 'the primary key']]);
  for (const index of table.indexes) {
    const name = indexName(table.name, index.name);
    // Long names are shortened with a hash: two could meet, and PostgreSQL would refuse one.
    const taken = named.get(name);
    if (taken !== undefined)
      throw new InvalidRequestError(
        `Table ${shownName(table.name)}: index ${shownName(index.name)} and ${taken} would have the same PostgreSQL name ${shownName(name)}; rename one`,
      );
    named.set(name, `index ${shownName(index.name)}`);
    const indexSort = index.sortKey && use(index.sortKey);
    indexes.set(index.name, {
      descriptor: index,
      name,
      sql: quoteIdentifier(name),
      partition: use(index.partitionKey),
      ...(indexSort ? { sort: indexSort } : {}),
    });
  }
  const indexColumns = [...columns.values()].filter((column) => !keyColumns.includes(column));
  return {
    descriptor: table,
    sql: quoteIdentifier(table.name),
    partition,
    ...(sort ? { sort } : {}),
    keyColumns,
    indexColumns,
    primaryKeyName: primaryKeyName(table.name),
    indexes,
  };
}
