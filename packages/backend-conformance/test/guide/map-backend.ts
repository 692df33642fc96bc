import {
  type BackendCapabilities,
  type BatchGetEntry,
  type BatchGetResult,
  type BatchWriteEntry,
  type BatchWriteResult,
  backendContractVersion,
  type Condition,
  ConditionFailedError,
  checkBatchGetRequest,
  checkBatchWriteRequest,
  checkDeleteRequest,
  checkGetRequest,
  checkItemKey,
  checkQueryRequest,
  checkRequestCondition,
  checkRequestModel,
  checkScanRequest,
  checkUpdatePaths,
  cloneItem,
  cloneItemToWrite,
  cloneValue,
  compareKeyValues,
  type DeleteItemRequest,
  evaluateCondition,
  evaluateSortCondition,
  type GetItemRequest,
  type IndexDescriptor,
  InvalidRequestError,
  type ItemKey,
  indexRead,
  isEmptyPrefix,
  type KeyAttribute,
  type KeyValue,
  keyFingerprint,
  keyOfItem,
  type Page,
  type PutItemRequest,
  type QueryRequest,
  type ScanRequest,
  type StorageBackend,
  type StoredItem,
  setOwnProperty,
  type TableDescriptor,
  TableMismatchError,
  tablesOfOneCall,
  UnsupportedOperationError,
  type UpdateItemRequest,
  updatedItem,
} from '@macaron/core/backend';

/** The limits DynamoDB has, so that code moves between backends unchanged. */
const capabilities: BackendCapabilities = {
  transactions: false,
  ttl: false,
  maxBatchGet: 100,
  maxBatchWrite: 25,
  maxTransactionActions: 100,
  maxItemBytes: 400 * 1024,
  // A page without a limit holds the whole partition here: walks read 1,000 items at a time.
  walkPageLimit: 1000,
};

/** A table: its items by key fingerprint. */
type Table = Map<string, StoredItem>;

/**
 * A minimal backend on Maps: every read scans the table and sorts, which is fine for a
 * guide and for small data. Conditions, updates, ordering and sizes come from
 * `@macaron/core/backend`, so the semantics are exactly the contract's.
 */
export function createMapBackend(): StorageBackend {
  const tables = new Map<string, Table>();
  // The keys each table was made with, by table name.
  const keySchemas = new Map<string, string>();
  const tableOf = (descriptor: TableDescriptor): Table => {
    let table = tables.get(descriptor.name);
    if (!table) tables.set(descriptor.name, (table = new Map()));
    return table;
  };
  const idOf = (descriptor: TableDescriptor, key: ItemKey) => keyFingerprint(descriptor.name, key);
  const ensure = (condition: Condition | undefined, item: StoredItem | undefined) => {
    if (condition && !evaluateCondition(condition, item))
      throw new ConditionFailedError('The conditional request failed');
  };

  return {
    contractVersion: backendContractVersion,
    name: 'map',
    capabilities,

    async getItem(request: GetItemRequest) {
      // A key or projection DynamoDB refuses is refused, not looked up.
      // Each check returns the request as it read it, once: run that, never `request` again.
      const { model, key, attributes } = checkGetRequest(request);
      const item = tableOf(model.table).get(idOf(model.table, key));
      if (!item || !attributes) return item && cloneItem(item);
      const projected: StoredItem = {};
      for (const name of attributes)
        if (Object.hasOwn(item, name)) setOwnProperty(projected, name, item[name]);
      return cloneItem(projected);
    },

    async putItem(request: PutItemRequest) {
      // Items and conditions DynamoDB refuses are refused before anything is read or written.
      const { model, item: given, condition: asked } = checkRequestModel(request, 'putItem');
      // The copy checked is the item stored (a getter read again could answer otherwise).
      const item = cloneItemToWrite(given, model.table, 'putItem', capabilities.maxItemBytes);
      const condition = checkRequestCondition(asked, 'putItem condition');
      const table = tableOf(model.table);
      const id = idOf(model.table, keyOfItem(model, item));
      ensure(condition, table.get(id));
      table.set(id, item);
    },

    async deleteItem(request: DeleteItemRequest) {
      const { model, key, condition: asked } = checkDeleteRequest(request);
      const condition = checkRequestCondition(asked, 'deleteItem condition');
      const table = tableOf(model.table);
      const id = idOf(model.table, key);
      const previous = table.get(id);
      ensure(condition, previous);
      table.delete(id);
      return previous && cloneItem(previous);
    },

    async updateItem(request: UpdateItemRequest) {
      // Keys and paths DynamoDB refuses are refused before the condition is evaluated, as it does.
      const taken = checkRequestModel(request, 'updateItem');
      const { model } = taken;
      const key = checkItemKey(model.table, taken.key, 'updateItem');
      // The operations as read once, checked (their own values' size too): the ones to run.
      const operations = checkUpdatePaths(
        taken.operations,
        key,
        model.table,
        capabilities.maxItemBytes,
      );
      const condition = checkRequestCondition(taken.condition, 'updateItem condition');
      const table = tableOf(model.table);
      const id = idOf(model.table, key);
      const current = table.get(id);
      ensure(condition, current);
      // A missing item is created from its key, and one grown past the limit refused.
      const next = updatedItem(current, key, operations, capabilities.maxItemBytes);
      table.set(id, next);
      return cloneItem(next);
    },

    async query(request: QueryRequest) {
      const given = checkRequestModel(request, 'query');
      const index = indexRead(given.model.table, given.index);
      // What DynamoDB refuses (a partition or sort condition not of the keys, a filter naming
      // them, a limit below 1, a start key no page of this read ends with) is refused here.
      const taken = checkQueryRequest(given, index);
      const { model, partition, sort, reverse } = taken;
      const keys = index ?? model.table;
      const items = [...tableOf(model.table).values()].filter(
        (item) =>
          hasKeys(item, keys) &&
          compareKeyValues(item[keys.partitionKey.name] as KeyValue, partition) === 0 &&
          (!sort ||
            !keys.sortKey ||
            isEmptyPrefix(sort) ||
            evaluateSortCondition(sort, item[keys.sortKey.name])),
      );
      const order = inKeyOrder(model.table, index);
      return page(
        items,
        reverse ? (left, right) => order(right, left) : order,
        taken,
        model.table,
        index,
      );
    },

    async scan(request: ScanRequest) {
      const given = checkRequestModel(request, 'scan');
      const index = indexRead(given.model.table, given.index);
      const taken = checkScanRequest(given, index);
      const { table } = taken.model;
      const items = [...tableOf(table).values()].filter((item) => hasKeys(item, index ?? table));
      return page(items, inKeyOrder(table, index), taken, table, index);
    },

    async batchGet(
      entries: readonly BatchGetEntry[],
      options?: { consistent?: boolean },
    ): Promise<BatchGetResult> {
      // The caller's list read once: the entry checked is the one the answer names.
      const given: readonly BatchGetEntry[] = Array.isArray(entries) ? entries.slice() : entries;
      const taken = checkBatchGetRequest(given, options).entries;
      checkBatch(
        taken.map((entry) => [entry.model.table, entry.key]),
        capabilities.maxBatchGet,
      );
      const found = [];
      for (const [position, entry] of taken.entries()) {
        const item = tableOf(entry.model.table).get(idOf(entry.model.table, entry.key));
        // Answered with the caller's own entry, at the position of the one checked.
        if (item) found.push({ entry: given[position]!, item: cloneItem(item) });
      }
      return { found, unprocessed: [] };
    },

    async batchWrite(entries: readonly BatchWriteEntry[]): Promise<BatchWriteResult> {
      const taken = checkBatchWriteRequest(entries);
      // Each item put, copied in the walk that checks it: the copy is the one stored.
      const puts = taken.map((entry, position) =>
        'put' in entry
          ? cloneItemToWrite(
              entry.put,
              entry.model.table,
              `batchWrite entry ${position}`,
              capabilities.maxItemBytes,
            )
          : undefined,
      );
      const keys = taken.map((entry, position) =>
        'put' in entry ? keyOfItem(entry.model, puts[position]!) : entry.delete,
      );
      checkBatch(
        taken.map((entry, position) => [entry.model.table, keys[position]!]),
        capabilities.maxBatchWrite,
      );
      for (const [position, entry] of taken.entries()) {
        const table = tableOf(entry.model.table);
        const id = idOf(entry.model.table, keys[position]!);
        const put = puts[position];
        if (put) table.set(id, put);
        else table.delete(id);
      }
      return { unprocessed: [] };
    },

    async transactWrite() {
      throw new UnsupportedOperationError('The map backend has no transactions');
    },

    async ensureTables(descriptors: readonly TableDescriptor[]) {
      // A table made with other keys cannot hold these items, nor can one table be made with
      // the keys of two specs that list it (tablesOfOneCall): refused before anything changes.
      for (const descriptor of tablesOfOneCall(descriptors)) {
        const made = keySchemas.get(descriptor.name);
        if (made !== undefined && made !== keySchemaOf(descriptor))
          throw new TableMismatchError(descriptor.name, [
            `table has ${made}, spec has ${keySchemaOf(descriptor)}`,
          ]);
      }
      for (const descriptor of descriptors) {
        keySchemas.set(descriptor.name, keySchemaOf(descriptor));
        tableOf(descriptor);
      }
    },
  };
}

// A table's keys as text, e.g. `channel (string), sent (string)`.
function keySchemaOf(table: TableDescriptor): string {
  return [table.partitionKey, table.sortKey]
    .map((key) => (key ? `${key.name} (${key.type})` : 'no sort key'))
    .join(', ');
}

// Sparse indexes: an item is in an index only when it holds the index's key attributes.
function hasKeys(
  item: StoredItem,
  keys: { partitionKey: KeyAttribute; sortKey?: KeyAttribute | undefined },
): boolean {
  return [keys.partitionKey, keys.sortKey].every(
    (attribute) => !attribute || isKeyValue(item[attribute.name], attribute),
  );
}

function isKeyValue(value: unknown, attribute: KeyAttribute): boolean {
  if (attribute.type === 'string') return typeof value === 'string';
  if (attribute.type === 'number') return typeof value === 'number' || typeof value === 'bigint';
  return value instanceof Uint8Array;
}

// A total order: the index's keys first (when reading an index), then the table's.
function inKeyOrder(table: TableDescriptor, index: IndexDescriptor | undefined) {
  const attributes = [index?.partitionKey, index?.sortKey, table.partitionKey, table.sortKey];
  return (left: StoredItem, right: StoredItem): number => {
    for (const attribute of attributes) {
      if (!attribute) continue;
      const order = compareKeyValues(
        left[attribute.name] as KeyValue,
        right[attribute.name] as KeyValue,
      );
      if (order !== 0) return order;
    }
    return 0;
  };
}

// One page: items after the start key, `limit` of them evaluated before the filter.
function page(
  items: StoredItem[],
  order: (left: StoredItem, right: StoredItem) => number,
  request: QueryRequest | ScanRequest,
  table: TableDescriptor,
  index: IndexDescriptor | undefined,
): Page {
  items.sort(order);
  const start = request.startKey
    ? items.findIndex((item) => order(item, request.startKey as StoredItem) > 0)
    : 0;
  const rest = start < 0 ? [] : items.slice(start);
  const limit = request.limit ?? Number.POSITIVE_INFINITY;
  const evaluated = rest.slice(0, limit);
  const { filter } = request;
  const found = (
    filter ? evaluated.filter((item) => evaluateCondition(filter, item)) : evaluated
  ).map(cloneItem);
  const last = evaluated.at(-1);
  // A page that reached its limit has a last key; at the very end too (P-53 allows either).
  if (!last || evaluated.length < limit) return { items: found };
  const lastKey: ItemKey = {};
  // A copy: the caller's lastKey must not hold the store's bytes.
  for (const attribute of [table.partitionKey, table.sortKey, index?.partitionKey, index?.sortKey])
    if (attribute) setOwnProperty(lastKey, attribute.name, cloneValue(last[attribute.name]!));
  return { items: found, lastKey };
}

// A batch takes at most `limit` entries and names each item once.
function checkBatch(targets: readonly [TableDescriptor, ItemKey][], limit: number): void {
  if (targets.length > limit)
    throw new InvalidRequestError(`A batch takes at most ${limit} entries, not ${targets.length}`);
  const ids = new Set(targets.map(([table, key]) => keyFingerprint(table.name, key)));
  if (ids.size < targets.length)
    throw new InvalidRequestError('A batch cannot name the same item twice');
}
