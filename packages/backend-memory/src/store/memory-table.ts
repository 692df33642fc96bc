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
  private readonly items = new Map<string, StoredItem>();
  private readonly partitions = new Map<string, StoredItem[]>();
  private readonly derived = new Map<string, StoredItem[]>();
  // Where each item last stood in its partition: a replacement (most writes) finds its place
  // without a binary search. Inserts and deletes shift others, so a hint is used only when
  // the item it names is found there.
  private readonly positions = new Map<string, number>();

  constructor(readonly descriptor: TableDescriptor) {}

  /** The id of an item's (or key's) full table key. */
  idOf(key: ItemKey | StoredItem): string {
    const { partitionKey, sortKey } = this.descriptor;
    const partition = keyValueId(key[partitionKey.name] as KeyValue);
    return sortKey ? fullKeyId(partition, keyValueId(key[sortKey.name] as KeyValue)) : partition;
  }

  /** The stored item under a key (not a copy). */
  get(key: ItemKey): StoredItem | undefined {
    return this.items.get(this.idOf(key));
  }

  /** Stores an item (taking ownership of it), replacing any under the same key. */
  put(item: StoredItem): void {
    const { partitionKey, sortKey } = this.descriptor;
    const partitionId = keyValueId(item[partitionKey.name] as KeyValue);
    const id = sortKey
      ? fullKeyId(partitionId, keyValueId(item[sortKey.name] as KeyValue))
      : partitionId;
    const previous = this.items.get(id);
    this.items.set(id, item);
    if (this.derived.size > 0) this.derived.clear();
    if (!sortKey) return;
    let partition = this.partitions.get(partitionId);
    if (!partition) {
      partition = [];
      this.partitions.set(partitionId, partition);
    }
    if (previous) {
      const hint = this.positions.get(id);
      if (hint !== undefined && partition[hint] === previous) {
        partition[hint] = item;
        return;
      }
    }
    const position = this.position(partition, item[sortKey.name] as KeyValue);
    if (previous) partition[position] = item;
    else partition.splice(position, 0, item);
    this.positions.set(id, position);
  }

  /** Deletes the item under a key; returns it. */
  delete(key: ItemKey): StoredItem | undefined {
    const id = this.idOf(key);
    const previous = this.items.get(id);
    if (!previous) return undefined;
    this.items.delete(id);
    this.positions.delete(id);
    this.derived.clear();
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
    this.items.clear();
    this.positions.clear();
    this.partitions.clear();
    this.derived.clear();
  }

  /** The items of one table partition, in sort-key order (not copies). */
  partition(value: KeyValue): readonly StoredItem[] {
    const sortKey = this.descriptor.sortKey;
    if (sortKey) return this.partitions.get(keyValueId(value)) ?? [];
    const item = this.items.get(keyValueId(value));
    return item ? [item] : [];
  }

  /** The items of one index partition, in index sort-key order; items without the index keys are not in it. */
  indexPartition(index: IndexDescriptor, value: KeyValue): readonly StoredItem[] {
    const cacheKey = `i:${index.name}:${keyValueId(value)}`;
    let entries = this.derived.get(cacheKey);
    if (!entries) {
      const wanted = keyValueId(value);
      entries = [...this.items.values()].filter((item) => {
        const partition = item[index.partitionKey.name];
        if (!isKeyOfType(partition, index.partitionKey) || keyValueId(partition) !== wanted)
          return false;
        return !index.sortKey || isKeyOfType(item[index.sortKey.name], index.sortKey);
      });
      entries.sort((left, right) => this.compareInIndex(index, left, right));
      this.derived.set(cacheKey, entries);
    }
    return entries;
  }

  /** Every item of the table (or of an index), in the stable order of `compareForScan`. */
  scanOrder(index?: IndexDescriptor): readonly StoredItem[] {
    const cacheKey = `s:${index?.name ?? ''}`;
    let entries = this.derived.get(cacheKey);
    if (!entries) {
      const keys: KeySchema = index ?? this.descriptor;
      entries = [...this.items.values()].filter(
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
