import type {
  IndexDescriptor,
  ItemKey,
  KeyValue,
  SortKeyCondition,
  StoredItem,
} from '@macaron/core';
import { cloneValue, isEmptyPrefix } from '@macaron/core/backend';
import { keyParameter } from '../values/key-parameter.js';
import { keyColumnHeld } from './index-column-expression.js';
import {
  type IndexLayout,
  itemColumn,
  type KeyColumn,
  type TableLayout,
  typesColumn,
} from './table-layout.js';
import { selectItem, selectItemsAsOneRow } from './table-statements.js';

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
  readonly parameters: unknown[];
  readonly aggregated: boolean;
}

interface PageTexts {
  readonly text: string;
  readonly byRow: string;
}

class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
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

function sparse(index: IndexLayout | undefined): string[] {
  if (!index) return [];
  const conditions = [`${index.partition.sql} IS NOT NULL`];
  if (index.sort) conditions.push(`${index.sort.sql} IS NOT NULL`);
  return conditions;
}

function after(
  columns: readonly KeyColumn[],
  startKey: ItemKey | undefined,
  descending: boolean,
  parameters: Parameters,
): string[] {
  if (!startKey) return [];
  // A partition of one item (no sort key): the cursor is past it.
  if (columns.length === 0) return ['FALSE'];
  const values = columns.map((column) =>
    parameters.add(keyParameter(startKey[column.attribute] as KeyValue), column.cast),
  );
  const names = columns.map((column) => column.sql);
  return [`(${names.join(', ')}) ${descending ? '<' : '>'} (${values.join(', ')})`];
}

function sortCondition(column: KeyColumn, condition: SortKeyCondition, parameters: Parameters) {
  const value = (operator: string) =>
    parameters.add(
      keyParameter((condition as Record<string, KeyValue>)[operator] as KeyValue),
      column.cast,
    );
  if ('eq' in condition) return `${column.sql} = ${value('eq')}`;
  if ('lt' in condition) return `${column.sql} < ${value('lt')}`;
  if ('lte' in condition) return `${column.sql} <= ${value('lte')}`;
  if ('gt' in condition) return `${column.sql} > ${value('gt')}`;
  if ('gte' in condition) return `${column.sql} >= ${value('gte')}`;
  if ('between' in condition) {
    const [low, high] = condition.between as readonly [KeyValue, KeyValue];
    return `${column.sql} BETWEEN ${parameters.add(keyParameter(low), column.cast)} AND ${parameters.add(keyParameter(high), column.cast)}`;
  }
  const prefix = condition.beginsWith;
  if (typeof prefix === 'string')
    return `starts_with(${column.sql}, ${parameters.add(keyParameter(prefix), '::text')})`;
  const bytes = parameters.add(keyParameter(prefix), '::bytea');
  return `substr(${column.sql}, 1, length(${bytes})) = ${bytes}`;
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

// One text per page shape, built once: a text built for every page would cost more than
// the rest of the request, and the client's statement cache would hash it in full and compare
// it in full with the text its connection prepared under that name. The shape says everything
// the text depends on besides the table (the index name last: nothing else in it holds a `|`).
const pageTexts = new WeakMap<TableLayout, Map<string, PageTexts>>();

function textOfShape(layout: TableLayout, shape: string, build: () => PageTexts): PageTexts {
  let texts = pageTexts.get(layout);
  if (texts === undefined) {
    texts = new Map();
    pageTexts.set(layout, texts);
  }
  let text = texts.get(shape);
  if (text === undefined) {
    text = build();
    texts.set(shape, text);
  }
  return text;
}

function requestShape(request: {
  startKey?: ItemKey | undefined;
  reverse?: boolean | undefined;
  limit?: number | undefined;
  aggregate?: boolean | undefined;
}): string {
  return `${request.startKey ? 'after' : ''}|${request.reverse === true ? 'desc' : ''}|${request.limit === undefined ? '' : 'limit'}|${request.aggregate ? 'aggregate' : ''}`;
}

// The placeholders of `conditions` were added to `parameters` in their order; the limit's comes last.
function select(
  layout: TableLayout,
  shape: string,
  conditions: string[],
  columns: readonly KeyColumn[],
  descending: boolean,
  request: { limit?: number; aggregate?: boolean },
  parameters: Parameters,
): PageQuery {
  const limit = request.limit === undefined ? undefined : parameters.add(request.limit, '::bigint');
  const aggregated = request.aggregate === true;
  const texts = textOfShape(layout, shape, () => {
    const filtered = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const ordering = columns
      .map((column) => `${column.sql}${descending ? ' DESC' : ''}`)
      .join(', ');
    const order = ordering ? ` ORDER BY ${ordering}` : '';
    const limited = limit === undefined ? '' : ` LIMIT ${limit}`;
    const byRow = `SELECT ${selectItem}, ${keyHeld(layout)} AS key_held FROM ${layout.sql}${filtered}${order}${limited}`;
    if (!aggregated) return { text: byRow, byRow };
    // One row instead of one per item (a quarter of the backend's page CPU), for the same work
    // on the server. The aggregates order by the page's own order, which a subquery alone does
    // not promise.
    const carried = columns.map((column) => column.sql);
    const picked = [itemColumn, typesColumn, ...carried, `${keyHeld(layout)} AS key_held`].join(
      ', ',
    );
    const text = selectItemsAsOneRow(
      `SELECT ${picked} FROM ${layout.sql}${filtered}${order}${limited}`,
      carried,
      order,
    );
    return { text, byRow };
  });
  return { ...texts, parameters: parameters.values, aggregated };
}

function sortShape(condition: SortKeyCondition | undefined): string {
  if (condition === undefined) return '';
  for (const operator of ['eq', 'lt', 'lte', 'gt', 'gte', 'between'])
    if (operator in condition) return operator;
  const prefix = (condition as { beginsWith?: unknown }).beginsWith;
  return typeof prefix === 'string' ? 'text-prefix' : 'bytes-prefix';
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
    aggregate?: boolean;
  },
): PageQuery {
  const parameters = new Parameters();
  const partitionColumn = index ? index.partition : layout.partition;
  const sortColumn = index ? index.sort : layout.sort;
  // The placeholders are added in the text's order, whether or not the text is built.
  const conditions = [
    `${partitionColumn.sql} = ${parameters.add(keyParameter(request.partition), partitionColumn.cast)}`,
    ...sparse(index).slice(1),
  ];
  // Every key begins with an empty prefix, of either type: the whole partition, as on DynamoDB.
  const sort =
    request.sort && sortColumn && !isEmptyPrefix(request.sort) ? request.sort : undefined;
  if (sort && sortColumn) conditions.push(sortCondition(sortColumn, sort, parameters));
  const columns = orderColumns(layout, index, true);
  const descending = request.reverse === true;
  conditions.push(...after(columns, request.startKey, descending, parameters));
  return select(
    layout,
    `partition|${sortShape(sort)}|${requestShape(request)}|${index?.name ?? ''}`,
    conditions,
    columns,
    descending,
    request,
    parameters,
  );
}

/** The SQL of one page of a whole table or index. */
export function scanQuery(
  layout: TableLayout,
  index: IndexLayout | undefined,
  request: { startKey?: ItemKey; limit?: number; aggregate?: boolean },
): PageQuery {
  const parameters = new Parameters();
  const columns = orderColumns(layout, index, false);
  const conditions = [...sparse(index), ...after(columns, request.startKey, false, parameters)];
  return select(
    layout,
    `scan|${requestShape(request)}|${index?.name ?? ''}`,
    conditions,
    columns,
    false,
    request,
    parameters,
  );
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
