import type {
  IndexDescriptor,
  ItemKey,
  KeyValue,
  SortKeyCondition,
  StoredItem,
} from '@macaron/core';
import { cloneValue, isEmptyPrefix } from '@macaron/core/backend';
import type { RowUnfitness } from '../values/decode-item.js';
import { keyParameter } from '../values/key-parameter.js';
import { keyColumnHeld } from './index-column-expression.js';
import {
  type IndexLayout,
  itemColumn,
  type KeyColumn,
  type TableLayout,
  typesColumn,
} from './table-layout.js';
import {
  itemCastable,
  itemSelection,
  selectItemOrStored,
  selectItemsAsOneRow,
} from './table-statements.js';

/**
 * One page read: the SQL and its parameters. An aggregated page comes back as one row of two
 * texts, `items` (the items' JSON in page order) and `types` (their annotations, empty where
 * none), each separated by U+0001; any other page as a row per item (`item`, `types`). Either
 * way `key_held` is false when a row's item does not hold the key its key columns hold.
 */
export interface PageQuery {
  readonly text: string;
  /** The same page read as a row per item: `text` itself unless the page is aggregated. */
  readonly byRow: string;
  /**
   * `byRow` reading each item jsonb refuses as its column holds it (see `selectItemOrStored`),
   * for a page that failed on one.
   */
  readonly stored: string;
  /**
   * The page's rows as their key columns' text, each with what makes its item unfit (NULL, not
   * a JSON object, or holding another key; see `unfitRowsSql`): to name the row a failed read
   * could not.
   */
  readonly rowKeys: string;
  readonly parameters: unknown[];
  readonly aggregated: boolean;
}

interface PageTexts {
  readonly text: string;
  readonly byRow: string;
  readonly stored: string;
  readonly rowKeys: string;
}

// The placeholders of a page's text, numbered in the order `partitionQuery` and `scanQuery`
// list its parameters: the partition, the sort condition's values, the cursor's key, the limit.
class Placeholders {
  private count = 0;
  next(cast = ''): string {
    this.count += 1;
    return `$${this.count}${cast}`;
  }
}

// The columns a page is ordered by: the index keys then the table keys (a total order), or
// the table's sort key within a partition.
function orderColumns(layout: TableLayout, index: IndexLayout | undefined, partition: boolean) {
  const columns: KeyColumn[] = [];
  if (index) {
    if (!partition) columns.push(index.partition);
    if (index.sort) columns.push(index.sort);
    for (const column of layout.keyColumns) if (!columns.includes(column)) columns.push(column);
    return columns;
  }
  if (!partition) return [...layout.keyColumns];
  return layout.sort ? [layout.sort] : [];
}

// The conditions that select the rows of an index's partial SQL index (its keys present), in
// a form from which PostgreSQL proves the index's predicate, so that it reads the index.
function sparse(layout: TableLayout, index: IndexLayout | undefined): string[] {
  if (!index) return [];
  const conditions = [present(layout, index.partition)];
  if (index.sort) conditions.push(present(layout, index.sort));
  return conditions;
}

// PostgreSQL 17 and later drop a query's `IS NOT NULL` on a NOT NULL column (a table key column
// that keys an index too) before matching partial indexes, and then cannot prove a predicate
// that names it: such an index was never read, each page scanned and sorted the whole table.
// A strict comparison of the column with itself, true of every value, proves it and is kept.
function present(layout: TableLayout, column: KeyColumn): string {
  return layout.keyColumns.includes(column)
    ? `${column.sql} >= ${column.sql}`
    : `${column.sql} IS NOT NULL`;
}

function after(
  columns: readonly KeyColumn[],
  descending: boolean,
  placeholders: Placeholders,
): string[] {
  // A partition of one item (no sort key): the cursor is past it.
  if (columns.length === 0) return ['FALSE'];
  const values = columns.map((column) => placeholders.next(column.cast));
  const names = columns.map((column) => column.sql);
  return [`(${names.join(', ')}) ${descending ? '<' : '>'} (${values.join(', ')})`];
}

// The operators of a sort condition, in the order they are looked for.
const sortOperators = ['eq', 'lt', 'lte', 'gt', 'gte', 'between'] as const;
type SortOperator = (typeof sortOperators)[number] | 'text-prefix' | 'bytes-prefix';
const comparisons = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function sortOperator(condition: SortKeyCondition): SortOperator {
  for (const operator of sortOperators) if (operator in condition) return operator;
  const prefix = (condition as { beginsWith?: unknown }).beginsWith;
  return typeof prefix === 'string' ? 'text-prefix' : 'bytes-prefix';
}

function sortCondition(column: KeyColumn, operator: SortOperator, placeholders: Placeholders) {
  if (operator === 'between')
    return `${column.sql} BETWEEN ${placeholders.next(column.cast)} AND ${placeholders.next(column.cast)}`;
  if (operator === 'text-prefix')
    return `starts_with(${column.sql}, ${placeholders.next('::text')})`;
  if (operator === 'bytes-prefix') {
    const bytes = placeholders.next('::bytea');
    return `substr(${column.sql}, 1, length(${bytes})) = ${bytes}`;
  }
  return `${column.sql} ${comparisons[operator]} ${placeholders.next(column.cast)}`;
}

// The values of a sort condition, in the order of its placeholders.
function sortValues(condition: SortKeyCondition, operator: SortOperator): KeyValue[] {
  const operands = condition as Record<string, KeyValue | readonly KeyValue[]>;
  if (operator === 'between') return [...(operands.between as readonly KeyValue[])];
  if (operator === 'text-prefix' || operator === 'bytes-prefix')
    return [operands.beginsWith as KeyValue];
  return [operands[operator] as KeyValue];
}

// Whether a row's item holds its key columns' key, computed by PostgreSQL with the expression
// of the generated index columns (on the item cast to jsonb, a no-op on the layout's own jsonb
// columns): a page over rows another client wrote inconsistently is then refused, as reads by
// key refuse them. (No key column is named `key_held`: see `columnName`.)
const keyHeldExpressions = new WeakMap<TableLayout, string>();
export function keyHeld(layout: TableLayout): string {
  let expression = keyHeldExpressions.get(layout);
  if (expression === undefined) {
    const source = { item: `${itemColumn}::jsonb`, types: `${typesColumn}::jsonb` };
    expression = layout.keyColumns.map((column) => keyColumnHeld(column, source)).join(' AND ');
    keyHeldExpressions.set(layout, expression);
  }
  return expression;
}

/**
 * The rows `rows` (`FROM … WHERE …`) selects, as their key columns' text (`key0`, `key1`),
 * each with what makes its item unfit (`unfit`: a `RowUnfitness`, NULL for none): to name the
 * row a failed read could not.
 */
export function unfitRowsSql(layout: TableLayout, rows: string): string {
  // Bytes in hex whatever the session's bytea_output (`escape` prints some bytes as they are).
  const keyTexts = layout.keyColumns.map((column, position) =>
    column.type === 'binary'
      ? `E'\\\\x' || encode(${column.sql}, 'hex') AS key${position}`
      : `${column.sql}::text AS key${position}`,
  );
  return `SELECT ${keyTexts.join(', ')}, CASE WHEN ${itemColumn} IS NULL THEN 'no-item' WHEN jsonb_typeof(${itemColumn}::jsonb) <> 'object' THEN 'not-object' WHEN (${keyHeld(layout)}) IS NOT TRUE THEN 'other-key' END AS unfit ${rows}`;
}

/**
 * The first row of `unfitRows` (an `unfitRowsSql`) unfit as `unfitness` says: the row a read
 * failed on, read alone rather than with the key of every row of the read (a page without a
 * limit holds the whole table). PostgreSQL keeps the order of the rows through the filter and
 * the LIMIT here: pushed down into a read without a LIMIT of its own, the filter is applied
 * before its ORDER BY.
 */
export function firstUnfitRowSql(unfitRows: string, unfitness: RowUnfitness): string {
  return `SELECT * FROM (${unfitRows}) AS unfit_rows WHERE unfit = '${unfitness}' LIMIT 1`;
}

/** Everything a page's text depends on besides its table and index. */
interface PageShape {
  readonly kind: 'partition' | 'scan';
  readonly sort: SortOperator | undefined;
  readonly after: boolean;
  readonly descending: boolean;
  readonly limited: boolean;
  readonly aggregated: boolean;
  /** The item column is `json`: its text as it holds it is read too (see `itemSelection`). */
  readonly storedItem: boolean;
}

const sortCodes: Readonly<Record<SortOperator, number>> = {
  eq: 1,
  lt: 2,
  lte: 3,
  gt: 4,
  gte: 5,
  between: 6,
  'text-prefix': 7,
  'bytes-prefix': 8,
};

// The shape as a small number, to find its text without building a string a page.
function shapeCode(shape: PageShape): number {
  return (
    (shape.kind === 'scan' ? 1 : 0) |
    (shape.after ? 2 : 0) |
    (shape.descending ? 4 : 0) |
    (shape.limited ? 8 : 0) |
    (shape.aggregated ? 16 : 0) |
    ((shape.sort === undefined ? 0 : sortCodes[shape.sort]) << 5) |
    (shape.storedItem ? 512 : 0)
  );
}

// One text per table or index and page shape, built once: a text built for every page
// would cost as much as the rest of the backend's work on a page, and the client's statement
// cache would hash it in full and compare it in full with the text its connection prepared
// under that name. Kept by the index's layout, or the table's for the table's own pages.
const builtTexts = new WeakMap<TableLayout | IndexLayout, Map<number, PageTexts>>();

function textsOf(layout: TableLayout, index: IndexLayout | undefined, shape: PageShape): PageTexts {
  const owner = index ?? layout;
  let byShape = builtTexts.get(owner);
  if (byShape === undefined) {
    byShape = new Map();
    builtTexts.set(owner, byShape);
  }
  const code = shapeCode(shape);
  let texts = byShape.get(code);
  if (texts === undefined) {
    texts = pageTexts(layout, index, shape);
    byShape.set(code, texts);
  }
  return texts;
}

function pageTexts(
  layout: TableLayout,
  index: IndexLayout | undefined,
  shape: PageShape,
): PageTexts {
  const placeholders = new Placeholders();
  const partition = shape.kind === 'partition';
  const columns = orderColumns(layout, index, partition);
  const conditions: string[] = [];
  if (partition) {
    const column = index ? index.partition : layout.partition;
    conditions.push(
      `${column.sql} = ${placeholders.next(column.cast)}`,
      ...sparse(layout, index).slice(1),
    );
    const sortColumn = index ? index.sort : layout.sort;
    if (shape.sort !== undefined && sortColumn)
      conditions.push(sortCondition(sortColumn, shape.sort, placeholders));
  } else conditions.push(...sparse(layout, index));
  if (shape.after) conditions.push(...after(columns, shape.descending, placeholders));
  const limit = shape.limited ? placeholders.next('::bigint') : undefined;
  const filtered = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const ordering = columns
    .map((column) => `${column.sql}${shape.descending ? ' DESC' : ''}`)
    .join(', ');
  const order = ordering ? ` ORDER BY ${ordering}` : '';
  const limited = limit === undefined ? '' : ` LIMIT ${limit}`;
  const rows = `FROM ${layout.sql}${filtered}${order}${limited}`;
  const byRow = `SELECT ${itemSelection(shape.storedItem)}, ${keyHeld(layout)} AS key_held ${rows}`;
  // `key_held` casts the item too: NULL (not known) where the cast would fail.
  const storedText = shape.storedItem ? `, ${itemColumn}::text AS key_item_stored` : '';
  const stored = `SELECT ${selectItemOrStored}${storedText}, CASE WHEN ${itemCastable} THEN ${keyHeld(layout)} END AS key_held ${rows}`;
  const rowKeys = unfitRowsSql(layout, rows);
  if (!shape.aggregated) return { text: byRow, byRow, stored, rowKeys };
  // One row instead of one per item (a quarter of the backend's page CPU), for the same work
  // on the server. The aggregates order by the page's own order, which a subquery alone does
  // not promise.
  const carried = columns.map((column) => column.sql);
  const picked = [itemColumn, typesColumn, ...carried, `${keyHeld(layout)} AS key_held`].join(', ');
  const text = selectItemsAsOneRow(
    `SELECT ${picked} FROM ${layout.sql}${filtered}${order}${limited}`,
    carried,
    order,
    shape.storedItem,
  );
  return { text, byRow, stored, rowKeys };
}

// The cursor's key, as the values of the page's order columns.
function afterValues(
  layout: TableLayout,
  index: IndexLayout | undefined,
  kind: 'partition' | 'scan',
  startKey: ItemKey,
): unknown[] {
  return cursorColumns(layout, index, kind).map((column) =>
    keyParameter(startKey[column.attribute] as KeyValue),
  );
}

// `orderColumns` of the table's or an index's pages, made once: a page after a cursor reads
// the cursor's key by them.
const orderColumnLists = new WeakMap<
  TableLayout | IndexLayout,
  Partial<Record<'partition' | 'scan', readonly KeyColumn[]>>
>();

function cursorColumns(
  layout: TableLayout,
  index: IndexLayout | undefined,
  kind: 'partition' | 'scan',
): readonly KeyColumn[] {
  const owner = index ?? layout;
  let lists = orderColumnLists.get(owner);
  if (lists === undefined) {
    lists = {};
    orderColumnLists.set(owner, lists);
  }
  lists[kind] ??= orderColumns(layout, index, kind === 'partition');
  return lists[kind];
}

// Named members rather than a spread of the texts: a spread copy costs more than all the
// rest of a page's SQL.
function pageQuery(texts: PageTexts, parameters: unknown[], aggregated: boolean): PageQuery {
  return {
    text: texts.text,
    byRow: texts.byRow,
    stored: texts.stored,
    rowKeys: texts.rowKeys,
    parameters,
    aggregated,
  };
}

/** The SQL of one page of a partition of the table or an index. */
export function partitionQuery(
  layout: TableLayout,
  index: IndexLayout | undefined,
  request: {
    partition: KeyValue;
    sort?: SortKeyCondition;
    startKey?: ItemKey;
    reverse?: boolean;
    limit?: number;
  },
  aggregated: boolean,
  storedItem = false,
): PageQuery {
  const sortColumn = index ? index.sort : layout.sort;
  // Every key begins with an empty prefix, of either type: the whole partition, as on DynamoDB.
  const sort =
    request.sort && sortColumn && !isEmptyPrefix(request.sort) ? request.sort : undefined;
  const operator = sort ? sortOperator(sort) : undefined;
  const shape: PageShape = {
    kind: 'partition',
    sort: operator,
    after: request.startKey !== undefined,
    descending: request.reverse === true,
    limited: request.limit !== undefined,
    aggregated,
    storedItem,
  };
  // In the order of the text's placeholders (see `Placeholders`).
  const parameters: unknown[] = [keyParameter(request.partition)];
  if (sort) for (const value of sortValues(sort, operator!)) parameters.push(keyParameter(value));
  if (request.startKey !== undefined)
    parameters.push(...afterValues(layout, index, 'partition', request.startKey));
  if (request.limit !== undefined) parameters.push(request.limit);
  return pageQuery(textsOf(layout, index, shape), parameters, shape.aggregated);
}

/** The SQL of one page of a whole table or index. */
export function scanQuery(
  layout: TableLayout,
  index: IndexLayout | undefined,
  request: { startKey?: ItemKey; limit?: number },
  aggregated: boolean,
  storedItem = false,
): PageQuery {
  const shape: PageShape = {
    kind: 'scan',
    sort: undefined,
    after: request.startKey !== undefined,
    descending: false,
    limited: request.limit !== undefined,
    aggregated,
    storedItem,
  };
  const parameters: unknown[] = [];
  if (request.startKey !== undefined)
    parameters.push(...afterValues(layout, index, 'scan', request.startKey));
  if (request.limit !== undefined) parameters.push(request.limit);
  return pageQuery(textsOf(layout, index, shape), parameters, shape.aggregated);
}

/** The key attributes of the last item read, as DynamoDB's LastEvaluatedKey. */
export function lastKeyOf(
  layout: TableLayout,
  index: IndexDescriptor | undefined,
  last: StoredItem,
): ItemKey {
  const names = [
    layout.descriptor.partitionKey,
    layout.descriptor.sortKey,
    index?.partitionKey,
    index?.sortKey,
  ];
  const lastKey: ItemKey = {};
  for (const attribute of names) {
    if (!attribute || !Object.hasOwn(last, attribute.name)) continue;
    // An own property even under the name `__proto__`, which an assignment would not make.
    if (attribute.name === '__proto__')
      Object.defineProperty(lastKey, attribute.name, {
        value: cloneValue(last[attribute.name]!),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    // A copy: bytes shared with the page's item would change with it.
    else lastKey[attribute.name] = cloneValue(last[attribute.name]!) as KeyValue;
  }
  return lastKey;
}
