import { InvalidCursorError, InvalidRequestError } from '../errors/persistence-errors.js';
import { shownList, shownName } from '../errors/shown-name.js';
import { setOwnProperty } from '../schema/own-property.js';
import { builtByCore, checkCondition, conditionTakenNow } from './check-condition.js';
import type { Condition, SortKeyCondition } from './condition.js';
import { CursorCodec, invalidMessage } from './cursor.js';
import { keyValueProblem } from './item-key.js';
import { checkOptionNames, optionNames } from './option-names.js';
import { type PersistenceContext, requireBackend } from './persistence-context.js';
import type { CursorQuery } from './query-fingerprint.js';
import {
  checkFlag,
  checkIndexName,
  checkSortKeyCondition,
  isEmptyPrefix,
  isOptionsObject,
  isPageLimit,
  pageLimitProblem,
} from './read-request.js';
import type { RequestFields } from './request-fields.js';
import { checkStartKey } from './start-key.js';
import type { Page, QueryRequest, ScanRequest } from './storage-backend.js';
import type { ItemKey, KeyValue, StoredItem } from './stored-value.js';
import type { IndexDescriptor, KeyAttribute, ModelDescriptor } from './table-descriptor.js';

/** A query: one partition of the table or of an index, in sort-key order. */
export interface QueryOptions {
  /** The partition key value (of the index, when `index` is given). */
  partition: KeyValue;
  /** Index name; the table itself when absent. */
  index?: string | undefined;
  /** Condition on the sort key. */
  sort?: SortKeyCondition | undefined;
  /** Filter on other attributes, applied after `limit` (as DynamoDB does): pages may hold fewer items. */
  filter?: Condition | undefined;
  /** Most items read for this page. */
  limit?: number | undefined;
  /** Where to go on from: the `cursor` of the previous page. */
  cursor?: string | undefined;
  /** Descending sort-key order. */
  reverse?: boolean | undefined;
  /** Strongly consistent read (not on indexes). */
  consistent?: boolean | undefined;
}

/** A scan: the whole table or index. */
export interface ScanOptions {
  /** Index name; the table itself when absent. */
  index?: string | undefined;
  /** Filter applied after `limit`. */
  filter?: Condition | undefined;
  /** Most items read for this page. */
  limit?: number | undefined;
  /** The `cursor` of the previous page. */
  cursor?: string | undefined;
  /** Strongly consistent read (not on indexes). */
  consistent?: boolean | undefined;
}

// The keys a query's and a scan's options may have; any other is refused (P-110): a misspelt
// `reverse` or `limit`, or a scan given a `partition`, would otherwise read another result.
const scanOptionNames = optionNames('index', 'filter', 'limit', 'cursor', 'consistent');
const queryOptionNames = optionNames(...scanOptionNames, 'partition', 'sort', 'reverse');

/** One page of results. */
export interface ResultPage<M> {
  /** The objects of this page, in order. */
  items: M[];
  /**
   * Present when the read may go on: pass it as `cursor` for the next page. Encrypted when
   * first read (a page never paged on from pays no cipher), from the last key as it was read.
   */
  cursor?: string;
}

interface StoredPage {
  items: StoredItem[];
  /** The cursor of the next page, made when called (see `QueryCursors.encodeWhenRead`). */
  cursor?: () => string;
}

function keysOf(
  model: ModelDescriptor,
  index: string | undefined,
): {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  names: string[];
  index?: IndexDescriptor;
} {
  const table = model.table;
  const tableNames = [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
  if (index === undefined)
    return {
      partitionKey: table.partitionKey,
      ...(table.sortKey ? { sortKey: table.sortKey } : {}),
      names: tableNames,
    };
  checkIndexName(index);
  const found = table.indexes.find((candidate) => candidate.name === index);
  if (!found) {
    throw new InvalidRequestError(
      `${shownName(model.name)} has no index ${shownName(index)} (indexes: ${shownList(table.indexes, (i) => shownName(i.name)) || 'none'})`,
    );
  }
  const names = new Set([
    ...tableNames,
    found.partitionKey.name,
    ...(found.sortKey ? [found.sortKey.name] : []),
  ]);
  return {
    partitionKey: found.partitionKey,
    ...(found.sortKey ? { sortKey: found.sortKey } : {}),
    names: [...names],
    index: found,
  };
}

function withDiscriminator(
  model: ModelDescriptor,
  filter: Condition | undefined,
): Condition | undefined {
  const discriminator = model.table.discriminatorAttribute;
  if (!discriminator || model.discriminatorValue === undefined) return filter;
  const own: Condition = { attr: discriminator, eq: model.discriminatorValue };
  return filter ? { and: [own, filter] } : own;
}

/**
 * Every option read once, the partition and the conditions as they read now (see
 * `conditionTakenNow`): what is checked is what the backend is given, and what the cursor is
 * bound to, whatever the caller's object answers later.
 */
function optionsTakenNow(
  options: QueryOptions | ScanOptions,
  kind: 'query' | 'scan',
): QueryOptions | ScanOptions {
  const { index, filter, limit, cursor, consistent } = options;
  const taken: ScanOptions = {
    index,
    filter: conditionTakenNow(filter),
    limit,
    cursor,
    consistent,
  };
  if (kind === 'scan') return taken;
  const { partition, sort, reverse } = options as QueryOptions;
  return {
    ...taken,
    partition: conditionTakenNow(partition),
    sort: conditionTakenNow(sort),
    reverse,
  };
}

/** Reads one page of a query or scan, checking every option and the cursor first. */
export async function readPage(
  context: PersistenceContext,
  model: ModelDescriptor,
  kind: 'query' | 'scan',
  given: QueryOptions | ScanOptions,
): Promise<StoredPage> {
  if (!isOptionsObject(given)) throw new InvalidRequestError(`${kind}() takes an options object`);
  checkOptionNames(given, kind === 'query' ? queryOptionNames : scanOptionNames, `${kind}()`);
  const options = optionsTakenNow(given, kind);
  const keys = keysOf(model, options.index);
  if (options.limit !== undefined && !isPageLimit(options.limit)) {
    throw new InvalidRequestError(pageLimitProblem(`${kind}()`, options.limit));
  }
  checkFlag(options.consistent, `${kind}() consistent`);
  if (kind === 'query') checkFlag((options as QueryOptions).reverse, 'query() reverse');
  if (options.consistent && options.index !== undefined) {
    throw new InvalidRequestError('Consistent reads are not available on secondary indexes');
  }
  let partition: KeyValue | undefined;
  if (kind === 'query') {
    const query = options as QueryOptions;
    const problem = keyValueProblem(keys.partitionKey, query.partition);
    if (problem)
      throw new InvalidRequestError(
        `query() partition (${shownName(keys.partitionKey.name)}) ${problem}`,
      );
    partition = query.partition;
    if (query.sort !== undefined) {
      const read = { name: options.index ?? model.table.specName, sortKey: keys.sortKey };
      checkSortKeyCondition(read, query.sort, 'query() sort');
    }
  }
  if (options.filter !== undefined) {
    const forbidden =
      kind === 'query'
        ? [keys.partitionKey.name, ...(keys.sortKey ? [keys.sortKey.name] : [])]
        : [];
    checkCondition(options.filter, `${kind}() filter`, forbidden);
  }
  const backend = requireBackend(context);
  // The cursor is bound to everything that decides the result set, so that it never goes
  // on with another query (engines differ there: DynamoDB refuses some, others read on),
  // nor on another engine (which orders index and scan pages its own way).
  const cursorQuery: CursorQuery = {
    kind,
    model: model.name,
    table: model.table.name,
    index: options.index ?? '',
    partition,
    filter: options.filter,
    backend: backend.name,
  };
  // An index's keys as the spec has them now: a cursor made while it had others is refused.
  if (keys.index)
    cursorQuery.indexKeys = keys.index.sortKey
      ? [keys.index.partitionKey.name, keys.index.sortKey.name]
      : [keys.index.partitionKey.name];
  if (kind === 'query') {
    cursorQuery.sort = (options as QueryOptions).sort;
    cursorQuery.reverse = Boolean((options as QueryOptions).reverse);
  }
  const cursors = context.cursors.forQuery(cursorQuery);
  let startKey: ItemKey | undefined;
  if (options.cursor !== undefined) {
    startKey = cursors.decode(options.cursor, keys.names);
    if (
      partition !== undefined &&
      !CursorCodec.keyInPartition(startKey, keys.partitionKey.name, partition)
    ) {
      // An authentic cursor of this query's text whose key is of another partition (the spec
      // swapped an index's key and sort since): the one message of every refused cursor.
      throw new InvalidCursorError(invalidMessage);
    }
    // An authentic cursor whose key no longer fits the spec's (an index key retyped since
    // it was made) does not open for this query either.
    const sort = kind === 'query' ? (options as QueryOptions).sort : undefined;
    try {
      checkStartKey(model, keys.index, startKey, partition, sort);
    } catch {
      throw new InvalidCursorError(invalidMessage);
    }
  }
  const filter = withDiscriminator(model, options.filter);
  const request: RequestFields<ScanRequest> & Partial<RequestFields<QueryRequest>> = { model };
  if (options.index !== undefined) request.index = options.index;
  // The filter, sort condition and start key are core's, taken and checked above: the
  // backend's check need not copy them again.
  if (filter) request.filter = builtByCore(filter);
  if (options.limit !== undefined) request.limit = options.limit;
  if (startKey) request.startKey = builtByCore(startKey);
  if (options.consistent) request.consistent = true;
  let page: Page;
  if (kind === 'query') {
    const { sort, reverse } = options as QueryOptions;
    request.partition = partition as KeyValue;
    // Every key begins with an empty prefix (`''` or no bytes, whatever the key's type): the
    // whole partition, which every backend reads the same without a condition.
    if (sort && !isEmptyPrefix(sort)) request.sort = builtByCore(sort);
    if (reverse) request.reverse = true;
    page = await backend.query(request as QueryRequest);
  } else page = await backend.scan(request);
  const result: StoredPage = { items: page.items };
  if (page.lastKey) result.cursor = cursors.encodeWhenRead(page.lastKey);
  return result;
}

/**
 * Walks every page of a query or scan; only one page is held at a time. The options are
 * taken at the call (every key read once, the conditions copied), and every page reads the
 * query as it was then: a caller changing its options during the walk does not break it
 * partway (P-56, P-57). They are checked when the walk starts, as its first page is read, and
 * so is a failure to take them (a getter that throws): that failure is the walk's.
 */
export function pagesOf(
  context: PersistenceContext,
  model: ModelDescriptor,
  kind: 'query' | 'scan',
  options: QueryOptions | ScanOptions,
): AsyncGenerator<StoredItem[]> {
  return walkPages(context, model, kind, walkOptionsTakenNow(options));
}

// Every key of an options object as it reads now (anything else as it is, for the walk's
// checks to refuse), or what failed when it was read.
function walkOptionsTakenNow(options: unknown): { options: unknown } | { failure: unknown } {
  try {
    if (!isOptionsObject(options)) return { options };
    const taken = {};
    for (const name of Object.keys(options as object))
      setOwnProperty(taken, name, conditionTakenNow((options as Record<string, unknown>)[name]));
    return { options: taken };
  } catch (failure) {
    return { failure };
  }
}

async function* walkPages(
  context: PersistenceContext,
  model: ModelDescriptor,
  kind: 'query' | 'scan',
  taken: { options: unknown } | { failure: unknown },
): AsyncGenerator<StoredItem[]> {
  if ('failure' in taken) throw taken.failure;
  const { options } = taken;
  if (!isOptionsObject(options))
    throw new InvalidRequestError(`${kind}All() takes an options object`);
  checkOptionNames(
    options as QueryOptions | ScanOptions,
    kind === 'query' ? queryOptionNames : scanOptionNames,
    `${kind}All()`,
  );
  // Without a limit, an engine that never ends a page early would read everything as one
  // page: its `walkPageLimit` bounds what the walk holds at a time. (No backend: the first
  // page's checks come before saying so, as for `query()`.)
  const walkPageLimit = context.backend?.capabilities.walkPageLimit;
  const pageOptions =
    (options as QueryOptions).limit === undefined && walkPageLimit !== undefined
      ? { ...(options as QueryOptions), limit: walkPageLimit }
      : (options as QueryOptions);
  let cursor: string | undefined;
  do {
    const page = await readPage(context, model, kind, {
      ...pageOptions,
      ...(cursor ? { cursor } : {}),
    });
    yield page.items;
    cursor = page.cursor?.();
  } while (cursor);
}
