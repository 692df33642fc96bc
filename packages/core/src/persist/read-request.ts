import { InvalidRequestError } from '../errors/persistence-errors.js';
import { quotedName, shownName } from '../errors/shown-name.js';
import { bigintBySize } from '../errors/shown-number.js';
import { isBytes } from '../schema/builtin-values.js';
import { isPlainObject } from '../schema/same-value.js';
import {
  checkQueryFilter,
  checkRequestCondition,
  checkSortCondition,
  takenToCheck,
} from './check-condition.js';
import type { SortKeyCondition } from './condition.js';
import { checkEntryCount } from './entry-count.js';
import { checkItemKey, keyValueProblem } from './item-key.js';
import { checkOptionNames, type OptionNames } from './option-names.js';
import type { RequestFields } from './request-fields.js';
import { checkStartKey } from './start-key.js';
import type {
  BatchGetEntry,
  GetItemRequest,
  QueryRequest,
  ScanRequest,
} from './storage-backend.js';
import type {
  IndexDescriptor,
  KeyAttribute,
  ModelDescriptor,
  TableDescriptor,
} from './table-descriptor.js';

/**
 * Refuses, with `InvalidRequestError` and before anything is read, a `getItem` request DynamoDB
 * would refuse, so that every backend refuses it alike (an engine that looks keys up would
 * otherwise answer "no item"): a key that is not the table's (`checkItemKey`), a projection
 * that is not a non-empty list of distinct, non-empty attribute names, `consistent` that is
 * not a boolean.
 *
 * Returns the request as it was checked, for the backend to run instead of the one it was
 * given: each field read once, the key and the projection copied (see `checkRequestModel`).
 */
export function checkGetRequest(request: GetItemRequest): GetItemRequest {
  const taken: RequestFields<GetItemRequest> = requestTakenNow(request, 'getItem', getFields);
  taken.key = checkItemKey(taken.model.table, taken.key, 'getItem');
  checkFlag(taken.consistent, 'getItem consistent');
  const { attributes } = taken;
  if (attributes === undefined) return taken;
  const count = Array.isArray(attributes) ? attributes.length : 0;
  if (count === 0)
    throw new InvalidRequestError('getItem attributes takes a non-empty list of attribute names');
  const names: string[] = [];
  const seen = new Set<string>();
  for (let position = 0; position < count; position++) {
    const name = attributes[position];
    if (typeof name !== 'string' || name.length === 0)
      throw new InvalidRequestError('getItem attributes takes a non-empty list of attribute names');
    if (seen.has(name))
      throw new InvalidRequestError(`getItem attributes names ${quotedName(name)} twice`);
    seen.add(name);
    names.push(name);
  }
  taken.attributes = names;
  return taken;
}

/** A `batchGet` as `checkBatchGetRequest` checked it, to run instead of the one given. */
export interface CheckedBatchGet {
  /**
   * Each entry as it was checked (read once, its key copied), at its position in the list the
   * backend was given: the backend answers with the entries it was given, by position.
   */
  readonly entries: readonly BatchGetEntry[];
  /** The `consistent` option, as it was read. */
  readonly consistent: boolean;
}

/**
 * Refuses, with `InvalidRequestError` and before anything is read, a `batchGet` DynamoDB would
 * refuse: an entry's key that is not its table's (`checkItemKey`), `consistent` that is not a
 * boolean, more than `maxEntries` entries (the backend's `maxBatchGet`, across tables).
 * Repeated keys are the backend's to check. Returns the entries and the option as checked
 * (`CheckedBatchGet`), each read once, for the backend to run instead of what it was given.
 */
export function checkBatchGetRequest(
  entries: readonly BatchGetEntry[],
  options: { readonly consistent?: boolean } | undefined,
  maxEntries = Number.POSITIVE_INFINITY,
): CheckedBatchGet {
  if (!Array.isArray(entries)) throw new InvalidRequestError('batchGet takes a list of entries');
  if (options !== undefined && !isPlainObject(options))
    throw new InvalidRequestError('batchGet options must be an object');
  const consistent = options?.consistent;
  checkFlag(consistent, 'batchGet consistent');
  const count = entries.length;
  const taken: BatchGetEntry[] = [];
  for (let position = 0; position < count; position++) {
    const where = `batchGet entry ${position}`;
    const entry: RequestFields<BatchGetEntry> = requestTakenNow(
      entries[position]!,
      where,
      entryFields,
    );
    entry.key = checkItemKey(entry.model.table, entry.key, where);
    taken.push(entry);
  }
  checkEntryCount(count, maxEntries, 'BatchGetItem');
  return { entries: taken, consistent: consistent === true };
}

/**
 * The index of its table a query or scan reads; none for the table. One the table does not
 * have, or a name that is not a string, is an `InvalidRequestError`, as DynamoDB refuses it.
 */
export function indexRead(table: TableDescriptor, name: unknown): IndexDescriptor | undefined {
  if (name === undefined) return undefined;
  checkIndexName(name);
  const index = table.indexes.find((candidate) => candidate.name === name);
  if (!index)
    throw new InvalidRequestError(`Table ${table.specName} has no index ${shownName(name)}`);
  return index;
}

/** Refuses an index name that is not a string (a symbol would not even print). */
export function checkIndexName(name: unknown): asserts name is string {
  if (typeof name !== 'string')
    throw new InvalidRequestError(
      `An index is named by a string, not ${name === null ? 'null' : `a ${typeof name}`}`,
    );
}

/**
 * Refuses, with `InvalidRequestError` and before anything is read, a query DynamoDB would
 * refuse, so that every backend refuses it alike rather than answer an empty page or an
 * engine's own error: a partition value that is not one of the partition key (its type, not
 * empty, not too long), a sort condition where the table or index read has no sort key, of
 * another shape (`checkSortCondition`) or with values that are not the sort key's, a filter
 * naming a key (`checkQueryFilter`), a `startKey` no page of this read ends with
 * (`checkStartKey`), and the options `checkScanRequest` checks too. `index` is the index read,
 * found by the backend (which refuses an unknown one); none for the table.
 *
 * Returns the request as it was checked, for the backend to run instead of the one it was
 * given: each field read once, the partition, sort condition, filter and start key copied as
 * they read then (see `checkRequestModel`), and `index` the name of the index given here (the
 * request's `index` is not read again).
 */
export function checkQueryRequest(
  request: QueryRequest,
  index: IndexDescriptor | undefined,
): QueryRequest {
  const taken: RequestFields<QueryRequest> = requestTakenNow(request, 'query', pageFields);
  takeIndex(taken, index, 'query');
  const keys = index ?? taken.model.table;
  checkPageOptions(taken, index, 'query');
  taken.partition = takenToCheck(taken.partition);
  const problem = keyValueProblem(keys.partitionKey, taken.partition);
  if (problem)
    throw new InvalidRequestError(
      `query partition (${shownName(keys.partitionKey.name)}) ${problem}`,
    );
  if (taken.sort !== undefined) {
    taken.sort = takenToCheck(taken.sort);
    checkSortKeyCondition(keys, taken.sort, 'query sort');
  }
  checkFlag(taken.reverse, 'query reverse');
  if (taken.filter !== undefined) taken.filter = checkQueryFilter(taken.filter, keys)!;
  if (taken.startKey !== undefined) {
    taken.startKey = takenToCheck(taken.startKey);
    checkStartKey(taken.model, index, taken.startKey, taken.partition, taken.sort);
  }
  return taken;
}

/**
 * Refuses, with `InvalidRequestError` and before anything is read, a scan DynamoDB would refuse:
 * a `limit` that is not a whole number of at least 1, `consistent` that is not a boolean or is
 * asked of an index, a filter `checkRequestCondition` refuses, a `startKey` no page of this read
 * ends with. `index` as for `checkQueryRequest`. Returns the request as it was checked, for the
 * backend to run instead (as `checkQueryRequest`).
 */
export function checkScanRequest(
  request: ScanRequest,
  index: IndexDescriptor | undefined,
): ScanRequest {
  const taken: RequestFields<ScanRequest> = requestTakenNow(request, 'scan', pageFields);
  takeIndex(taken, index, 'scan');
  checkPageOptions(taken, index, 'scan');
  if (taken.filter !== undefined)
    taken.filter = checkRequestCondition(taken.filter, 'scan filter')!;
  if (taken.startKey !== undefined) {
    taken.startKey = takenToCheck(taken.startKey);
    checkStartKey(taken.model, index, taken.startKey);
  }
  return taken;
}

// The index the backend found (by the request's `index`, read then) is the one read: the name
// is set from it, not read again. It must be one of the model's table as the request was taken.
function takeIndex(
  taken: { index?: string | undefined; readonly model: ModelDescriptor },
  index: IndexDescriptor | undefined,
  kind: 'query' | 'scan',
): void {
  if (index === undefined) {
    if (taken.index !== undefined) delete taken.index;
    return;
  }
  if (!taken.model.table.indexes.includes(index))
    throw new InvalidRequestError(
      `${kind}: the index read is not one of the table of the request's model`,
    );
  taken.index = index.name;
}

/** A query's sort condition held to the sort key of the table or index read. */
export function checkSortKeyCondition(
  keys: { readonly sortKey?: KeyAttribute | undefined; readonly name: string },
  condition: SortKeyCondition,
  where: string,
): void {
  const { sortKey } = keys;
  if (!sortKey)
    throw new InvalidRequestError(`${where} condition given, but ${keys.name} has no sort key`);
  checkSortCondition(condition, where);
  const [operator, operand] = Object.entries(condition)[0]!;
  if (operator === 'beginsWith') {
    if (sortKey.type === 'number')
      throw new InvalidRequestError(
        `${where} beginsWith needs a string or binary sort key; ${shownName(sortKey.name)} is a number`,
      );
    // Every key begins with an empty prefix: the condition selects the whole partition.
    if (isEmptyPrefix(condition)) return;
  }
  const values = operator === 'between' ? (operand as unknown[]) : [operand];
  for (const value of values) {
    const problem = keyValueProblem(sortKey, value, 'sort');
    if (problem)
      throw new InvalidRequestError(`${where} value for ${shownName(sortKey.name)} ${problem}`);
  }
}

/** True for `beginsWith` an empty string or no bytes, which every sort key begins with. */
export function isEmptyPrefix(sort: SortKeyCondition): boolean {
  if (!Object.hasOwn(sort, 'beginsWith')) return false;
  const prefix = (sort as { beginsWith: unknown }).beginsWith;
  return prefix === '' || (isBytes(prefix) && prefix.length === 0);
}

/** The `limit` a page may be given: DynamoDB's `Limit`, a whole number of at least 1. */
export function isPageLimit(limit: unknown): boolean {
  return Number.isSafeInteger(limit) && (limit as number) >= 1;
}

/**
 * Why `limit` is no page's limit, for `where` (`query()`, `scan`…): the range, and the value
 * when it is a number or a bigint (an int64 parameter beyond 2^53 is one), its type else.
 */
export function pageLimitProblem(where: string, limit: unknown): string {
  const shown =
    typeof limit === 'number'
      ? String(limit)
      : typeof limit === 'bigint'
        ? (bigintBySize(limit) ?? `the bigint ${limit}`)
        : limit === null
          ? 'null'
          : Array.isArray(limit)
            ? 'an array'
            : typeof limit === 'object'
              ? 'an object'
              : `a ${typeof limit}`;
  return `${where} limit must be a whole number of at least 1 and at most 2^53 − 1, not ${shown}`;
}

function checkPageOptions(
  request: QueryRequest | ScanRequest,
  index: IndexDescriptor | undefined,
  kind: 'query' | 'scan',
): void {
  if (request.limit !== undefined && !isPageLimit(request.limit))
    throw new InvalidRequestError(pageLimitProblem(kind, request.limit));
  checkFlag(request.consistent, `${kind} consistent`);
  if (request.consistent && index)
    throw new InvalidRequestError('Consistent reads are not available on secondary indexes');
}

/**
 * Refuses, with `InvalidRequestError`, a request (or a batch entry, a transaction action) that
 * is not an object naming a model of a table (its name, partition key and indexes): what every
 * other check reads first.
 *
 * Returns the request as it reads now, for the other checks and then the backend to read
 * instead of the caller's object: a plain object of the fields a request has (those of
 * `StorageBackend`'s requests, entries and actions), each read once, whether the request holds
 * it or inherits it (a class's getter), so that a getter or Proxy that answers otherwise later
 * cannot make what is run differ from what was checked. Other fields are left out.
 */
export function checkRequestModel<T extends { readonly model: ModelDescriptor }>(
  request: T,
  where: string,
): T {
  return requestTakenNow(request, where, anyRequestFields);
}

type Fields = Record<string, unknown>;

/**
 * `checkRequestModel` of a request of one kind: its fields as `take` reads them, once each.
 * Read by name, never spread: a spread leaves out what a request inherits (a class's getters,
 * a prototype's `condition`), which a backend would then run without, as before requests were
 * read once it ran with it. Each kind names its own fields, in code: a read per field and
 * site, which the engine caches, rather than a loop over every name a request may have.
 */
export function requestTakenNow<T extends { readonly model: ModelDescriptor }>(
  request: T,
  where: string,
  take: (request: Fields) => Fields,
): T {
  const taken = isPlainObject(request) ? take(request) : undefined;
  const model = taken?.model;
  if (!isTableShaped(isPlainObject(model) ? model.table : undefined))
    throw new InvalidRequestError(`${where} must be an object naming the model it reads or writes`);
  return taken as unknown as T;
}

// Every field of a request, a batch entry or a transaction action (`StorageBackend`'s).
function anyRequestFields(request: Fields): Fields {
  const { model, kind, key, item, condition, operations, attributes, consistent, answer } = request;
  const { index, partition, sort, filter, limit, startKey, reverse } = request;
  const taken: Fields = { model };
  if (kind !== undefined) taken.kind = kind;
  if (key !== undefined) taken.key = key;
  if (item !== undefined) taken.item = item;
  if (condition !== undefined) taken.condition = condition;
  if (operations !== undefined) taken.operations = operations;
  if (attributes !== undefined) taken.attributes = attributes;
  if (consistent !== undefined) taken.consistent = consistent;
  if (answer !== undefined) taken.answer = answer;
  if (index !== undefined) taken.index = index;
  if (partition !== undefined) taken.partition = partition;
  if (sort !== undefined) taken.sort = sort;
  if (filter !== undefined) taken.filter = filter;
  if (limit !== undefined) taken.limit = limit;
  if (startKey !== undefined) taken.startKey = startKey;
  if (reverse !== undefined) taken.reverse = reverse;
  return batchWriteChoice(request, taken);
}

// A batch write's put or delete, told apart by `in`: as its own property alone (see
// `checkBatchWriteRequest`).
export function batchWriteChoice(request: Fields, taken: Fields): Fields {
  if (Object.hasOwn(request, 'put')) taken.put = request.put;
  if (Object.hasOwn(request, 'delete')) taken.delete = request.delete;
  return taken;
}

function getFields(request: Fields): Fields {
  const { model, key, consistent, attributes } = request;
  const taken: Fields = { model, key };
  if (consistent !== undefined) taken.consistent = consistent;
  if (attributes !== undefined) taken.attributes = attributes;
  return taken;
}

function entryFields(request: Fields): Fields {
  const { model, key } = request;
  return { model, key };
}

function pageFields(request: Fields): Fields {
  const { model, index, partition, sort, filter, limit, startKey, reverse, consistent } = request;
  const taken: Fields = { model };
  if (index !== undefined) taken.index = index;
  if (partition !== undefined) taken.partition = partition;
  if (sort !== undefined) taken.sort = sort;
  if (filter !== undefined) taken.filter = filter;
  if (limit !== undefined) taken.limit = limit;
  if (startKey !== undefined) taken.startKey = startKey;
  if (reverse !== undefined) taken.reverse = reverse;
  if (consistent !== undefined) taken.consistent = consistent;
  return taken;
}

// A table descriptor as the API makes it: a name, a partition key named, a list of indexes.
function isTableShaped(table: unknown): boolean {
  return (
    isPlainObject(table) &&
    typeof table.name === 'string' &&
    isPlainObject(table.partitionKey) &&
    typeof table.partitionKey.name === 'string' &&
    Array.isArray(table.indexes)
  );
}

/**
 * Refuses what a provisioning call (`ensureTables`, `createTables`, `planTables`,
 * `deleteTables`) is given from JavaScript when it is no list of the descriptors
 * `api.tables()` returns: an `InvalidRequestError` naming the call, before anything is sent,
 * rather than a `TypeError` from inside the backend or an engine failure of an unnamed table.
 */
export function checkTablesRequest(tables: readonly TableDescriptor[], where: string): void {
  if (!Array.isArray(tables) || !tables.every(isTableShaped))
    throw new InvalidRequestError(
      `${where} takes a list of the table descriptors api.tables() returns`,
    );
}

/**
 * A call's options: `{}` when not given; `InvalidRequestError` for anything but a plain
 * object (`null`, a string, a list), which would otherwise be read as no options at all, and
 * for a key `known` does not have (a misspelt option, P-110).
 */
export function callOptions<T extends object>(
  options: T | undefined,
  where: string,
  known: OptionNames,
): T {
  if (options === undefined) return {} as T;
  if (!isOptionsObject(options))
    throw new InvalidRequestError(`${where}: options must be an object`);
  checkOptionNames(options, known, where);
  return options;
}

/** An object to read options from: not `null`, not a list, not a string or number. */
export function isOptionsObject(options: unknown): boolean {
  return typeof options === 'object' && options !== null && !Array.isArray(options);
}

/** Refuses, with `InvalidRequestError`, a flag that is given and not `true` or `false`. */
export function checkFlag(value: unknown, where: string): void {
  if (value !== undefined && typeof value !== 'boolean')
    throw new InvalidRequestError(`${where} takes true or false`);
}
