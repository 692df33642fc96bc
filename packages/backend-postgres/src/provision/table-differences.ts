import { itemColumn, type KeyColumn, type TableLayout, typesColumn } from '../sql/table-layout.js';
import type { ColumnInfo } from './table-catalog.js';

function describeType(type: string, collation: string): string {
  return type === 'text' ? `text COLLATE "${collation || 'default'}"` : type;
}

/** True when an existing column has the key column's SQL type (collation included). */
export function hasColumnType(actual: ColumnInfo, column: KeyColumn): boolean {
  return describeType(actual.type, actual.collation) === column.sqlType;
}

/**
 * How an existing table's primary key differs from the spec's key columns (names, order,
 * types and collations), or undefined when it is the spec's. A table without one (a unique
 * constraint instead, or none, made by hand) differs: the writes' `ON CONFLICT` needs the
 * constraint, and without it a key may hold two rows, one read by a load and both deleted.
 */
export function primaryKeyDifference(
  layout: TableLayout,
  columns: Map<string, ColumnInfo>,
): string | undefined {
  const actualKey = [...columns.values()]
    .filter((column) => column.keyPosition > 0)
    .sort((left, right) => left.keyPosition - right.keyPosition)
    .map((column) => `${column.name} ${describeType(column.type, column.collation)}`);
  const expectedKey = layout.keyColumns.map((column) => `${column.name} ${column.sqlType}`);
  return actualKey.join(', ') === expectedKey.join(', ')
    ? undefined
    : `primary key: table has (${actualKey.join(', ')}), spec has (${expectedKey.join(', ')})`;
}

/**
 * The index key columns the table has with another type than the spec's (an index key whose
 * type the spec changed): a query or a scan of that index would compare values of one type
 * with a column of another. A column the table lacks is an index not made yet, which pages
 * read from the table instead.
 */
export function indexColumnDifferences(
  layout: TableLayout,
  columns: Map<string, ColumnInfo>,
): string[] {
  const found: string[] = [];
  for (const column of layout.indexColumns) {
    const actual = columns.get(column.name);
    if (actual && !hasColumnType(actual, column))
      found.push(
        `column ${column.name}: table has ${describeType(actual.type, actual.collation)}, spec has ${column.sqlType}`,
      );
  }
  return found;
}

/**
 * How the item columns differ from what reads and writes need: `item` and `item_types` must be
 * `jsonb` (`json` too, without index key columns, which are generated from the item). A `text`
 * item column would take the writes only through PostgreSQL's assignment cast of jsonb to text
 * (retyped silently) and hold whatever text another client writes, read through a cast to
 * jsonb: refused, by provisioning and at a table's first use alike. `generated`: a `json` item
 * column is accepted where there are no generated
 * index key columns, so only provisioning, which makes them, refuses it beside index keys;
 * a table's first use (see `KeyFit`) reads the index's rows from the item itself.
 */
export function itemColumnDifferences(
  layout: TableLayout,
  columns: Map<string, ColumnInfo>,
  generated: boolean,
): string[] {
  const found: string[] = [];
  const indexed = generated && layout.indexColumns.length > 0;
  const item = columns.get(itemColumn);
  if (!item) found.push(`no ${itemColumn} column`);
  else if (item.type !== 'jsonb' && (item.type !== 'json' || indexed))
    found.push(
      `column ${itemColumn}: table has ${item.type}, spec needs jsonb${indexed ? ' (index key columns are generated from it)' : ' or json'}`,
    );
  const types = columns.get(typesColumn);
  if (!types) found.push(`no ${typesColumn} column`);
  else if (types.type !== 'jsonb' && types.type !== 'json')
    found.push(`column ${typesColumn}: table has ${types.type}, spec needs jsonb`);
  return found;
}

/**
 * What provisioning cannot fix in an existing table, so that it reports it as a
 * `TableMismatchError` instead of letting every later operation fail: the primary key, the
 * item columns, index columns of another type (the spec changed an index key's type: old and
 * new instances would disagree on the index, as DynamoDB refuses to change a GSI's keys in
 * place), and columns Macaron's writes cannot fill.
 */
export function tableDifferences(layout: TableLayout, columns: Map<string, ColumnInfo>): string[] {
  const found: string[] = [];
  const primary = primaryKeyDifference(layout, columns);
  if (primary) found.push(primary);
  found.push(...indexColumnDifferences(layout, columns));
  found.push(...itemColumnDifferences(layout, columns, true));
  const known = new Set([
    itemColumn,
    typesColumn,
    ...layout.keyColumns.map((column) => column.name),
    ...layout.indexColumns.map((column) => column.name),
  ]);
  for (const column of columns.values())
    if (
      !known.has(column.name) &&
      column.keyPosition === 0 && // the primary key is compared above
      column.notNull &&
      !column.filledByDefault
    )
      found.push(
        `column ${column.name} is NOT NULL without a default: Macaron's writes do not set it`,
      );
  return found;
}
