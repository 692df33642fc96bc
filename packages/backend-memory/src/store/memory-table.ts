import type {
  IndexDescriptor,
  ItemKey,
  KeyAttribute,
  KeyValue,
  StoredItem,
  TableDescriptor,
} from '@macaron/core/backend';
import { compareKeyValues, compareStrings } from '@macaron/core/backend';
import { keyValueId } from './key-value-id.js';
import { tableDifferences } from './table-differences.js';

/** The key attributes of a table or index, in the order DynamoDB sorts by. */
export interface KeySchema {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

/**
 * One table: items by key, each partition kept in sort-key order, and the orders of
 * scans and index queries computed on demand and cached until the next write.
 */
export class MemoryTable {
  // Each item with where it last stood in its partition: a replacement (most writes) finds its
  // place without a binary search. Inserts and deletes shift others, so the position is a hint,
  // used only when the item is found there.
  private readonly entries = new Map<string, { item: StoredItem; position: number }>();
  private readonly partitions = new Map<string, StoredItem[]>();
  // Computed on demand, cleared by every write: the scan orders, and each index's partitions
  // (all of them at once, so that reads of partitions holding nothing cache nothing).
  private readonly derived = new Map<string, StoredItem[]>();
  private readonly indexes = new Map<string, Map<string, StoredItem[]>>();

  // Every index the table has: those of the descriptor it was made from, and those another
  // spec fitting it added since (as `ensureTables` adds an index on DynamoDB), by name.
  private readonly held = new Map<string, IndexDescriptor>();

  constructor(readonly descriptor: TableDescriptor) {
    for (const index of descriptor.indexes) this.held.set(index.name, index);
  }

  // Per spec's descriptor, the indexes the table has that it does not declare (core checks a
  // whole item's values for those it declares): dropped whenever an index is added.
  private undeclaredBy = new WeakMap<TableDescriptor, readonly IndexDescriptor[]>();

  /** The indexes the table has: its first spec's and those added since. */
  tableIndexes(): IterableIterator<IndexDescriptor> {
    return this.held.values();
  }

  /** Whether the table has an index. */
  hasIndexes(): boolean {
    return this.held.size > 0;
  }

  /** The indexes the table has that a spec's descriptor of it does not declare. */
  undeclaredIndexes(given: TableDescriptor): readonly IndexDescriptor[] {
    let found = this.undeclaredBy.get(given);
    if (!found) {
      const declared = new Set(given.indexes.map((index) => index.name));
      found = [...this.held.values()].filter((index) => !declared.has(index.name));
      this.undeclaredBy.set(given, found);
    }
    return found;
  }

  /**
   * What keeps another spec's descriptor from using this table (see `tableDifferences`),
   * compared with every index the table has, not only its first spec's; none, and the indexes
   * it declares that the table lacks are added.
   */
  fit(given: TableDescriptor): string[] {
    const differences = tableDifferences(
      { ...this.descriptor, indexes: [...this.held.values()] },
      given,
    );
    if (differences.length === 0)
      for (const index of given.indexes)
        if (!this.held.has(index.name)) {
          this.held.set(index.name, index);
          this.undeclaredBy = new WeakMap();
        }
    return differences;
  }

  /** The id of an item's (or key's) full table key. */
  idOf(key: ItemKey | StoredItem): string {
    const { partitionKey, sortKey } = this.descriptor;
    const partition = keyValueId(key[partitionKey.name] as KeyValue);
    return sortKey ? fullKeyId(partition, keyValueId(key[sortKey.name] as KeyValue)) : partition;
  }

  /** The stored item under a key (not a copy). */
  get(key: ItemKey): StoredItem | undefined {
    return this.entries.get(this.idOf(key))?.item;
  }

  /** Stores an item (taking ownership of it), replacing any under the same key. */
  put(item: StoredItem): void {
    const { partitionKey, sortKey } = this.descriptor;
    const partitionId = keyValueId(item[partitionKey.name] as KeyValue);
    const id = sortKey
      ? fullKeyId(partitionId, keyValueId(item[sortKey.name] as KeyValue))
      : partitionId;
    if (this.derived.size > 0) this.derived.clear();
    if (this.indexes.size > 0) this.indexes.clear();
    const entry = this.entries.get(id);
    if (entry) {
      const previous = entry.item;
      entry.item = item;
      if (!sortKey) return;
      const partition = this.partitions.get(partitionId)!;
      if (partition[entry.position] === previous) partition[entry.position] = item;
      else {
        entry.position = this.position(partition, item[sortKey.name] as KeyValue);
        partition[entry.position] = item;
      }
      return;
    }
    const added = { item, position: 0 };
    this.entries.set(id, added);
    if (!sortKey) return;
    let partition = this.partitions.get(partitionId);
    if (!partition) {
      partition = [];
      this.partitions.set(partitionId, partition);
    }
    added.position = this.position(partition, item[sortKey.name] as KeyValue);
    partition.splice(added.position, 0, item);
  }

  /** Deletes the item under a key; returns it. */
  delete(key: ItemKey): StoredItem | undefined {
    const id = this.idOf(key);
    const previous = this.entries.get(id)?.item;
    if (!previous) return undefined;
    this.entries.delete(id);
    this.derived.clear();
    this.indexes.clear();
    const sortKey = this.descriptor.sortKey;
    if (sortKey) {
      const partitionId = keyValueId(key[this.descriptor.partitionKey.name] as KeyValue);
      const partition = this.partitions.get(partitionId)!;
      partition.splice(this.position(partition, key[sortKey.name] as KeyValue), 1);
      if (partition.length === 0) this.partitions.delete(partitionId);
    }
    return previous;
  }

  /** Removes every item. */
  clear(): void {
    this.entries.clear();
    this.partitions.clear();
    this.derived.clear();
    this.indexes.clear();
  }

  /** The items of one table partition, in sort-key order (not copies). */
  partition(value: KeyValue): readonly StoredItem[] {
    const sortKey = this.descriptor.sortKey;
    if (sortKey) return this.partitions.get(keyValueId(value)) ?? [];
    const entry = this.entries.get(keyValueId(value));
    return entry ? [entry.item] : [];
  }

  /** The items of one index partition, in index sort-key order; items without the index keys are not in it. */
  indexPartition(index: IndexDescriptor, value: KeyValue): readonly StoredItem[] {
    let partitions = this.indexes.get(index.name);
    if (!partitions) {
      partitions = new Map();
      for (const { item } of this.entries.values()) {
        const partition = item[index.partitionKey.name];
        if (!isKeyOfType(partition, index.partitionKey)) continue;
        if (index.sortKey && !isKeyOfType(item[index.sortKey.name], index.sortKey)) continue;
        const id = keyValueId(partition);
        const members = partitions.get(id);
        if (members) members.push(item);
        else partitions.set(id, [item]);
      }
      for (const members of partitions.values())
        if (members.length > 1)
          members.sort((left, right) => this.compareInIndex(index, left, right));
      this.indexes.set(index.name, partitions);
    }
    return partitions.get(keyValueId(value)) ?? [];
  }

  private items(): StoredItem[] {
    return Array.from(this.entries.values(), (entry) => entry.item);
  }

  /** Every item of the table (or of an index), in the stable order of `compareForScan`. */
  scanOrder(index?: IndexDescriptor): readonly StoredItem[] {
    const cacheKey = `s:${index?.name ?? ''}`;
    let entries = this.derived.get(cacheKey);
    if (!entries) {
      const keys: KeySchema = index ?? this.descriptor;
      entries = this.items().filter(
        (item) =>
          isKeyOfType(item[keys.partitionKey.name], keys.partitionKey) &&
          (!keys.sortKey || isKeyOfType(item[keys.sortKey.name], keys.sortKey)),
      );
      entries.sort((left, right) => this.compareForScan(index, left, right));
      this.derived.set(cacheKey, entries);
    }
    return entries;
  }

  /** Scan order: by partition id, then as a query of that partition orders. */
  compareForScan(index: IndexDescriptor | undefined, left: StoredItem, right: StoredItem): number {
    if (!index) return this.compareTableKeys(left, right);
    const name = index.partitionKey.name;
    const partition = compareStrings(
      keyValueId(left[name] as KeyValue),
      keyValueId(right[name] as KeyValue),
    );
    return partition !== 0 ? partition : this.compareInIndex(index, left, right);
  }

  /** Orders items by index sort key, then by table key, so index order is total. */
  compareInIndex(index: IndexDescriptor, left: StoredItem, right: StoredItem): number {
    if (index.sortKey) {
      const order = compareKeyValues(
        left[index.sortKey.name] as KeyValue,
        right[index.sortKey.name] as KeyValue,
      );
      if (order !== 0) return order;
    }
    return this.compareTableKeys(left, right);
  }

  /** Orders items by table partition id, then sort key. */
  compareTableKeys(left: StoredItem, right: StoredItem): number {
    const { partitionKey, sortKey } = this.descriptor;
    const partition = compareStrings(
      keyValueId(left[partitionKey.name] as KeyValue),
      keyValueId(right[partitionKey.name] as KeyValue),
    );
    if (partition !== 0 || !sortKey) return partition;
    return compareKeyValues(left[sortKey.name] as KeyValue, right[sortKey.name] as KeyValue);
  }

  // Binary search: the index of the item with this sort-key value, or where it would go.
  private position(partition: readonly StoredItem[], value: KeyValue): number {
    const name = this.descriptor.sortKey!.name;
    let low = 0;
    let high = partition.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeyValues(partition[middle]![name] as KeyValue, value) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function isKeyOfType(value: unknown, attribute: KeyAttribute): value is KeyValue {
  switch (attribute.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' || typeof value === 'bigint';
    case 'binary':
      return value instanceof Uint8Array;
  }
}

// A partition and a sort key as one id: the partition's length first, since either may hold
// any character (`a\u0000sb` + `c` is not `a` + `b\u0000sc`).
function fullKeyId(partitionId: string, sortId: string): string {
  return `${partitionId.length}:${partitionId}${sortId}`;
}
