import {
  type BackendCapabilities,
  type BatchGetEntry,
  type BatchGetResult,
  type BatchWriteEntry,
  type BatchWriteResult,
  backendContractVersion,
  ConditionFailedError,
  capabilitiesProblem,
  checkBatchGetRequest,
  checkBatchWriteRequest,
  checkDeleteRequest,
  checkGetRequest,
  checkItemKey,
  checkOptionNames,
  checkQueryRequest,
  checkRequestCondition,
  checkRequestModel,
  checkScanRequest,
  checkTablesRequest,
  checkTransactionActions,
  checkTransactionRequest,
  checkUpdatePaths,
  cloneItemToWrite,
  cloneValue,
  type DeleteItemRequest,
  evaluateCondition,
  type GetItemRequest,
  type IndexDescriptor,
  InvalidRequestError,
  type ItemKey,
  indexRead,
  keyOfItem,
  optionNames,
  type Page,
  type PutItemRequest,
  type QueryRequest,
  type ScanRequest,
  type StorageBackend,
  type StoredItem,
  setOwnProperty,
  type TableDescriptor,
  TableMismatchError,
  type TransactionAction,
  TransactionCanceledError,
  type TransactionCancelReason,
  tablesOfOneCall,
  UnreachableError,
  UnsupportedOperationError,
  type UpdateItemRequest,
  type UpdateOperation,
  updatedItem,
  withOverrides,
} from '@macaron/core/backend';
import { describeRefusal, refusedIndexKey } from './store/index-key-values.js';
import { MemoryTable, positionAfter, type SortedRun } from './store/memory-table.js';
import { copyStoredItem } from './store/stored-copy.js';
import { listingsDifference } from './store/table-differences.js';

/** Options of `createMemoryBackend`. */
export interface MemoryBackendOptions {
  /** Overrides of the declared capabilities, e.g. smaller batch limits to exercise chunking. */
  capabilities?: Partial<BackendCapabilities> | undefined;
}

// Any other key is refused (P-110): a misspelt `capabilities` would leave the defaults.
const memoryOptionNames = optionNames('capabilities');

/** The in-memory backend, with direct access to what it stores for tests. */
export interface MemoryBackend extends StorageBackend {
  /** Makes the tables (a table is also made the first time a request uses it). */
  ensureTables(tables: readonly TableDescriptor[]): Promise<void>;
  /**
   * A copy of the item stored under a key of a table (physical name), bypassing models;
   * undefined when there is none (or no such table). A key value of another type than the
   * table's key is an `InvalidRequestError`, as `getItem` gives.
   */
  readItem(table: string, key: ItemKey): StoredItem | undefined;
  /**
   * Stores a copy of an item in a table (physical name) as another client could, bypassing
   * models and validation: what DynamoDB refuses from any client (a key or index key value
   * missing, empty or of another type, NaN, an empty set, an item over `maxItemBytes`…) is
   * refused with the error `putItem` gives, nothing stored.
   */
  writeItem(table: string, item: StoredItem): void;
  /**
   * Returns the backend to new: every table is emptied, and forgets the key and indexes its
   * specs gave it. The first spec to use a table afterwards (`ensureTables`, a request), while
   * `writeItem` has put nothing in it, makes it again as its own; `writeItem` seeds it with the
   * key and indexes of the spec that made it.
   */
  clear(): void;
  /**
   * Refuses every later request with `UnreachableError`, as the other backends do once closed
   * (nothing to release here); `readItem`, `writeItem` and `clear` stay usable. Safe to call
   * more than once.
   */
  close(): Promise<void>;
}

/** DynamoDB's limits, which the memory backend keeps so that code moves between them unchanged. */
export const memoryCapabilities: BackendCapabilities = {
  transactions: true,
  ttl: false,
  maxBatchGet: 100,
  maxBatchWrite: 25,
  maxTransactionActions: 100,
  maxItemBytes: 400 * 1024,
  // A page without a limit is the whole partition here: walks read 1,000 items at a time.
  walkPageLimit: 1000,
};

/** Creates an in-memory backend with DynamoDB's semantics: for unit tests and development. */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  checkOptionNames(options, memoryOptionNames, 'createMemoryBackend', TypeError);
  const problem =
    options.capabilities === undefined
      ? undefined
      : capabilitiesProblem(options.capabilities, true);
  if (problem) throw new TypeError(`createMemoryBackend: ${problem}`);
  return new InMemoryBackend(withOverrides(memoryCapabilities, options.capabilities));
}

class InMemoryBackend implements MemoryBackend {
  readonly contractVersion = backendContractVersion;
  readonly name = 'memory';
  private readonly tables = new Map<string, MemoryTable>();
  // Descriptors found to fit their table (those of other API instances, and the one a table was
  // made from), with the indexes they had: checked once, not per request, and again when one
  // gains an index (see `perTable`); forgotten by clear(), which makes the tables again.
  private fitting = new WeakMap<TableDescriptor, readonly IndexDescriptor[]>();
  // Tables clear() emptied, until a spec uses them: the first one to, while nothing has been
  // written since, makes the table again as its own (another key, other indexes).
  private cleared = new WeakSet<MemoryTable>();
  private closed = false;

  constructor(readonly capabilities: BackendCapabilities) {}

  // Each method runs the request its checks return, read once (see `checkRequestModel`),
  // never the caller's object again: a getter or Proxy answering otherwise later changes
  // nothing that was checked.
  async getItem(request: GetItemRequest): Promise<StoredItem | undefined> {
    this.checkOpen('GetItem');
    const { model, key, attributes } = checkGetRequest(request);
    const item = this.table(model.table).get(key);
    if (!item) return undefined;
    if (!attributes) return copyStoredItem(item);
    const projected: StoredItem = {};
    for (const name of attributes)
      if (Object.hasOwn(item, name)) setOwnProperty(projected, name, item[name]);
    return copyStoredItem(projected);
  }

  async putItem(request: PutItemRequest): Promise<void> {
    this.checkOpen('PutItem');
    const taken = checkRequestModel(request, 'putItem');
    const { model } = taken;
    // What DynamoDB would refuse, refused before anything is read or written.
    const item = cloneItemToWrite(
      taken.item,
      model.table,
      'putItem',
      this.capabilities.maxItemBytes,
    );
    const condition = checkRequestCondition(taken.condition, 'putItem condition');
    const table = this.table(model.table);
    this.checkUndeclaredIndexKeys(table, item, model.table, 'putItem');
    if (condition) this.checkCondition(condition, table.get(keyOfItem(model, item)));
    table.put(item);
  }

  async deleteItem(request: DeleteItemRequest): Promise<StoredItem | undefined> {
    this.checkOpen('DeleteItem');
    const taken = checkDeleteRequest(request);
    const condition = checkRequestCondition(taken.condition, 'deleteItem condition');
    const table = this.table(taken.model.table);
    this.checkCondition(condition, table.get(taken.key));
    const previous = table.delete(taken.key);
    return previous && copyStoredItem(previous);
  }

  async updateItem(request: UpdateItemRequest): Promise<StoredItem> {
    this.checkOpen('UpdateItem');
    // The update expression is checked before the condition is evaluated, as DynamoDB does.
    const taken = checkRequestModel(request, 'updateItem');
    const { model } = taken;
    const key = checkItemKey(model.table, taken.key, 'updateItem');
    // The operations as they read now, checked once: what is run is what was checked.
    const operations = checkUpdatePaths(
      taken.operations,
      key,
      model.table,
      this.capabilities.maxItemBytes,
    );
    const condition = checkRequestCondition(taken.condition, 'updateItem condition');
    const table = this.table(model.table);
    const current = table.get(key);
    this.checkCondition(condition, current);
    const updated = updatedItem(current, key, operations, this.capabilities.maxItemBytes);
    this.checkUpdatedIndexKeys(table, updated, operations, model, 'updateItem');
    table.put(updated);
    return copyStoredItem(updated);
  }

  async query(request: QueryRequest): Promise<Page> {
    this.checkOpen('Query');
    // Read once: the index is found by the name the request is then checked with.
    const given = checkRequestModel(request, 'query');
    const index = indexRead(given.model.table, given.index);
    const taken = checkQueryRequest(given, index);
    const table = this.table(taken.model.table);
    // Only the run the sort condition keeps is read, from its end when reversed: a page costs
    // what it returns, not the partition.
    const run = table.partitionRun(index, taken.partition, taken.sort);
    const order = (left: StoredItem, right: StoredItem) =>
      index ? table.compareInIndex(index, left, right) : table.compareTableKeys(left, right);
    return this.page(table, index, run, order, taken.reverse === true, taken);
  }

  async scan(request: ScanRequest): Promise<Page> {
    this.checkOpen('Scan');
    // Read once: the index is found by the name the request is then checked with.
    const given = checkRequestModel(request, 'scan');
    const index = indexRead(given.model.table, given.index);
    const taken = checkScanRequest(given, index);
    const table = this.table(taken.model.table);
    const entries = table.scanOrder(index);
    const order = (left: StoredItem, right: StoredItem) => table.compareForScan(index, left, right);
    return this.page(table, index, { entries, low: 0, high: entries.length }, order, false, taken);
  }

  async batchGet(
    entries: readonly BatchGetEntry[],
    options?: { consistent?: boolean },
  ): Promise<BatchGetResult> {
    this.checkOpen('BatchGetItem');
    // The caller's entries, each read once: the one checked is the one the answer names.
    const given = entriesReadOnce(entries);
    const taken = checkBatchGetRequest(given, options, this.capabilities.maxBatchGet).entries;
    this.checkDistinct(taken.map((entry) => ({ table: entry.model.table, key: entry.key })));
    const found: { entry: BatchGetEntry; item: StoredItem }[] = [];
    taken.forEach((entry, position) => {
      const item = this.table(entry.model.table).get(entry.key);
      // Answered with the caller's entry, at the position of the one checked.
      if (item) found.push({ entry: given[position]!, item: copyStoredItem(item) });
    });
    return { found, unprocessed: [] };
  }

  async batchWrite(entries: readonly BatchWriteEntry[]): Promise<BatchWriteResult> {
    this.checkOpen('BatchWriteItem');
    const taken = checkBatchWriteRequest(entries, this.capabilities.maxBatchWrite);
    const admitted = taken.map((entry, position) =>
      'put' in entry
        ? cloneItemToWrite(
            entry.put,
            entry.model.table,
            `batchWrite entry ${position}`,
            this.capabilities.maxItemBytes,
          )
        : undefined,
    );
    this.checkDistinct(
      taken.map((entry, position) => ({
        table: entry.model.table,
        key: 'put' in entry ? keyOfItem(entry.model, admitted[position]!) : entry.delete,
      })),
    );
    taken.forEach((entry, position) => {
      if ('put' in entry)
        this.checkUndeclaredIndexKeys(
          this.table(entry.model.table),
          admitted[position]!,
          entry.model.table,
          `batchWrite entry ${position}`,
        );
    });
    taken.forEach((entry, position) => {
      const table = this.table(entry.model.table);
      if ('put' in entry) table.put(admitted[position]!);
      else table.delete(entry.delete);
    });
    return { unprocessed: [] };
  }

  async transactWrite(given: readonly TransactionAction[]): Promise<void> {
    this.checkOpen('TransactWriteItems');
    const requested = checkTransactionRequest(given, this.capabilities.maxTransactionActions);
    // As the DynamoDB backend made for an engine without transactions: refused, nothing written.
    if (!this.capabilities.transactions)
      throw new UnsupportedOperationError(
        'TransactWriteItems: this backend was created with capabilities.transactions false',
      );
    // Each action is checked before any item it names is looked at, as on the other backends.
    const { puts, operations, actions } = checkTransactionActions(
      requested,
      this.capabilities.maxItemBytes,
    );
    const targets = actions.map((action) => ({
      table: this.table(action.model.table),
      key: action.kind === 'put' ? keyOfItem(action.model, action.item) : action.key,
    }));
    this.checkDistinct(
      targets.map((target) => ({ table: target.table.descriptor, key: target.key })),
    );
    actions.forEach((action, index) => {
      if (action.kind === 'put')
        this.checkUndeclaredIndexKeys(
          targets[index]!.table,
          puts[index]!,
          action.model.table,
          `transactWrite action ${index}`,
        );
    });
    const reasons: TransactionCancelReason[] = [];
    actions.forEach((action, index) => {
      const { table, key } = targets[index]!;
      if (action.condition && !evaluateCondition(action.condition, table.get(key))) {
        reasons.push({
          index,
          code: 'CONDITION_FAILED',
          message: 'The conditional request failed',
        });
      }
    });
    if (reasons.length > 0) throw new TransactionCanceledError(reasons);
    // Compute every new item before changing anything, so a failing action changes nothing.
    const results = actions.map((action, index) => {
      const { table, key } = targets[index]!;
      if (action.kind === 'put') return puts[index];
      if (action.kind === 'update') {
        const checked = operations[index]!;
        const updated = updatedItem(table.get(key), key, checked, this.capabilities.maxItemBytes);
        this.checkUpdatedIndexKeys(
          table,
          updated,
          checked,
          action.model,
          `transactWrite action ${index}`,
        );
        return updated;
      }
      return undefined;
    });
    actions.forEach((action, index) => {
      const { table, key } = targets[index]!;
      if (action.kind === 'delete') table.delete(key);
      else if (action.kind !== 'check') table.put(results[index]!);
    });
  }

  async ensureTables(tables: readonly TableDescriptor[]): Promise<void> {
    this.checkOpen('ensureTables');
    checkTablesRequest(tables, 'ensureTables');
    // Every table of the call checked before any is made or gains an index, as the other
    // backends do: a call refused changes nothing (P-106). Two listings of one table that
    // cannot both be made are refused by `tablesOfOneCall`, or, keying one attribute with two
    // types, here.
    // The memory backend has no time to live: listings that name other TTL attributes are one
    // table, as calls in turn make it.
    for (const table of tablesOfOneCall(tables, undefined, { timeToLive: false })) {
      const clash = listingsDifference(
        table.name,
        tables.filter((listed) => listed.name === table.name),
      );
      if (clash !== undefined) throw new TableMismatchError(table.name, [clash]);
      const differences = this.differences(table);
      if (differences.length > 0) throw new TableMismatchError(table.name, differences);
    }
    for (const table of tables) this.table(table);
  }

  async close(): Promise<void> {
    // Nothing to release; every call runs to its end before another starts, so none is in
    // flight. What a test inspects (readItem, writeItem, clear) stays usable.
    this.closed = true;
  }

  // A call after close() fails as on the other backends, so that code that goes on using a
  // backend it closed fails in its unit tests too: a 503, nothing read or written.
  private checkOpen(operation: string): void {
    if (this.closed)
      throw new UnreachableError(`memory ${operation}: the backend is closed (nothing was sent)`);
  }

  readItem(table: string, key: ItemKey): StoredItem | undefined {
    const found = this.tables.get(table);
    if (!found) return undefined;
    // A key value of another type than the table's names no item (a string key's id is the
    // string itself: `'n5'` would find the item under the number 5): refused, as getItem does.
    // The key as checked, read once: a getter answering otherwise later finds nothing else.
    const item = found.get(checkItemKey(found.descriptor, key, 'readItem'));
    return item && copyStoredItem(item);
  }

  writeItem(table: string, item: StoredItem): void {
    const found = this.tables.get(table);
    if (!found)
      throw new InvalidRequestError(
        `The memory backend has no table ${table} yet: ensureTables, or a request of a model that uses it, makes it`,
      );
    // Another client's item: nothing the schema says is checked, but what DynamoDB refuses
    // from any client (the checks of putItem, against every index the table has) is refused.
    let copy: StoredItem;
    try {
      copy = cloneItemToWrite(item, found.descriptor, 'writeItem', this.capabilities.maxItemBytes);
      this.checkUndeclaredIndexKeys(found, copy, found.descriptor, 'writeItem');
    } catch (error) {
      // Seeding for another spec right after clear(): the table still has its old spec's key.
      // The refusal keeps its class and code; its message says why the key is not the one
      // the test may expect.
      if (this.cleared.has(found) && InvalidRequestError.isInstance(error))
        error.message += ` (since clear(), table ${table} keeps the key and indexes of the spec that made it until a spec uses it: to seed it for another spec, call ensureTables(api.tables()) of that spec first)`;
      throw error;
    }
    found.put(copy);
  }

  clear(): void {
    // Emptying the tables alone kept their specs' key and indexes: a test resetting between
    // specs met a TableMismatchError, or an index no spec of it declared. Each table is made
    // again, empty, with the key and indexes of the spec it was made for (writeItem seeds it as
    // before); the first spec to use it, while empty, takes it as its own.
    this.cleared = new WeakSet();
    for (const [name, table] of this.tables) {
      const emptied = new MemoryTable(table.descriptor);
      this.tables.set(name, emptied);
      this.cleared.add(emptied);
    }
    this.fitting = new WeakMap();
  }

  // What `table(descriptor)` would refuse, without making or changing the table.
  private differences(descriptor: TableDescriptor): string[] {
    const table = this.tables.get(descriptor.name);
    if (!table || this.fitting.get(descriptor) === descriptor.indexes) return [];
    // An emptied table the next spec takes as its own (see `clear`).
    if (this.cleared.has(table) && table.descriptor !== descriptor && table.isEmpty()) return [];
    return table.differences(descriptor);
  }

  private table(descriptor: TableDescriptor): MemoryTable {
    let table = this.tables.get(descriptor.name);
    if (table && this.cleared.has(table)) {
      this.cleared.delete(table);
      if (table.descriptor !== descriptor && table.isEmpty()) table = undefined;
    }
    if (!table) {
      table = new MemoryTable(descriptor);
      this.tables.set(descriptor.name, table);
      this.fitting.set(descriptor, descriptor.indexes);
    } else if (this.fitting.get(descriptor) !== descriptor.indexes) {
      // Another API's descriptor, or the one the table was made from once it gained an index
      // (see `perTable`): that index may be one another spec added already, with another key.
      const differences = table.fit(descriptor);
      if (differences.length > 0) throw new TableMismatchError(descriptor.name, differences);
      this.fitting.set(descriptor, descriptor.indexes);
    }
    return table;
  }

  // A page of a sorted run (in `order`, ascending), read forwards or backwards from after the
  // start key.
  private page(
    table: MemoryTable,
    index: IndexDescriptor | undefined,
    run: SortedRun,
    order: (left: StoredItem, right: StoredItem) => number,
    reverse: boolean,
    request: QueryRequest | ScanRequest,
  ): Page {
    let { low, high } = run;
    if (request.startKey) {
      const startKey = request.startKey as StoredItem;
      // Binary search for the entries after the start key in the direction read.
      if (reverse) high = positionAfter(run, startKey, order, true);
      else low = positionAfter(run, startKey, order, false);
    }
    const limit = request.limit ?? Number.POSITIVE_INFINITY;
    const count = Math.min(limit, high - low);
    const evaluated = new Array<StoredItem>(count);
    for (let position = 0; position < count; position++)
      evaluated[position] = run.entries[reverse ? high - 1 - position : low + position]!;
    const items = (
      request.filter
        ? evaluated.filter((item) => evaluateCondition(request.filter!, item))
        : evaluated
    ).map(copyStoredItem);
    const last = evaluated[evaluated.length - 1];
    // As DynamoDB: a page that reached its limit has a last key, even at the very end.
    if (!last || evaluated.length < limit) return { items };
    const keyNames = [
      table.descriptor.partitionKey,
      table.descriptor.sortKey,
      index?.partitionKey,
      index?.sortKey,
    ];
    const lastKey: ItemKey = {};
    for (const attribute of keyNames)
      if (attribute && Object.hasOwn(last, attribute.name))
        setOwnProperty(lastKey, attribute.name, cloneValue(last[attribute.name]!));
    return { items, lastKey };
  }

  // Core checks a whole item's key values for the indexes its spec declares; the table may have
  // others (added by a newer spec, during a rolling deploy): DynamoDB refuses a value they
  // cannot take, as the DynamoDB backend reports it.
  private checkUndeclaredIndexKeys(
    table: MemoryTable,
    item: StoredItem,
    declared: TableDescriptor,
    where: string,
  ): void {
    if (!table.hasIndexes()) return;
    const indexes = table.undeclaredIndexes(declared);
    if (indexes.length === 0) return;
    const refusal = refusedIndexKey(item, indexes);
    if (refusal)
      throw new InvalidRequestError(
        `${where}: ${describeRefusal(refusal)} (an index the spec does not declare)`,
      );
  }

  // Core checks the values an update sets against the indexes the request's spec declares
  // (`checkUpdatePaths`): the item an update leaves is checked here against every index the
  // table has (one another spec added, during a rolling deploy), in the attributes the update
  // sets, as DynamoDB refuses it: an InvalidRequestError.
  private checkUpdatedIndexKeys(
    table: MemoryTable,
    item: StoredItem,
    operations: readonly UpdateOperation[],
    model: UpdateItemRequest['model'],
    where: string,
  ): void {
    if (!table.hasIndexes()) return;
    const set = new Set<string>();
    for (const operation of operations)
      if (operation.action !== 'remove')
        set.add(typeof operation.path === 'string' ? operation.path : String(operation.path[0]));
    const refusal = refusedIndexKey(item, table.tableIndexes(), set);
    if (!refusal) return;
    const declared = model.table.indexes.some((index) => index.name === refusal.index.name);
    const what = `${where}: ${describeRefusal(refusal)}`;
    // A request's refusal, whichever index (core's checkUpdatePaths refuses the values set on a
    // declared one before this): the table is as its spec says.
    throw new InvalidRequestError(declared ? what : `${what} (an index the spec does not declare)`);
  }

  private checkCondition(
    condition: PutItemRequest['condition'],
    item: StoredItem | undefined,
  ): void {
    if (condition && !evaluateCondition(condition, item))
      throw new ConditionFailedError('The conditional request failed');
  }

  private checkDistinct(targets: readonly { table: TableDescriptor; key: ItemKey }[]): void {
    const seen = new Set<string>();
    for (const { table, key } of targets) {
      const id = `${table.name}\u0000${this.table(table).idOf(key)}`;
      if (seen.has(id))
        throw new InvalidRequestError('A batch or transaction cannot name the same item twice');
      seen.add(id);
    }
  }
}

// A batch's entries as the caller's list holds them now, each read once (`undefined` or a
// non-list is left for the check to refuse): the entry checked is the one an answer names,
// whatever the list (a Proxy, one changed later) answers on another read.
function entriesReadOnce<Entry>(entries: readonly Entry[]): readonly Entry[] {
  return Array.isArray(entries) ? Array.prototype.slice.call(entries) : entries;
}
