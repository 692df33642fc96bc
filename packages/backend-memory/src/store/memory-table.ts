import { types } from 'node:util';
import type {
  IndexDescriptor,
  ItemKey,
  KeyAttribute,
  KeyValue,
  SortKeyCondition,
  StoredItem,
  TableDescriptor,
} from '@macaron/core/backend';
import {
  compareKeyValues,
  compareStrings,
  evaluateSortCondition,
  isEmptyPrefix,
} from '@macaron/core/backend';
import { keyValueId } from './key-value-id.js';
import { tableDifferences } from './table-differences.js';

/** The key attributes of a table or index, in the order DynamoDB sorts by. */
export interface KeySchema {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

/** A run of a sorted list: the entries at `low` up to (not including) `high`. */
export interface SortedRun {
  entries: readonly StoredItem[];
  low: number;
  high: number;
}

// A partition of a table with a sort key: its items in sort-key order, and each by its sort
// key's id with where it last stood in that order.
interface Partition {
  readonly members: StoredItem[];
  readonly entries: Map<string, { item: StoredItem; position: number }>;
}

/**
 * One table: items by key, each partition kept in sort-key order, and the orders of scans and
 * index queries made at their first read and kept in order by every write since: a write
 * costs a binary search and an insertion in each, not a sort of the table at the next read.
 */
export class MemoryTable {
  // Items by key. Without a sort key, each item by its partition's id. With one, each
  // partition's items in sort-key order, and each by its sort key's id with where it last stood
  // in that order: a replacement (most writes) finds its place without a binary search. Inserts
  // and deletes shift others, so the position is a hint, used only when the item is found there.
  // Two look-ups of the key values' own ids, not one of an id made of both: joining them built
  // a string to hash on every read and write, as much as the rest of a put.
  private readonly items = new Map<string, StoredItem>();
  private readonly partitions = new Map<string, Partition>();
  private count = 0;
  // Made at their first read, then kept up to date by every write: the scan orders (by index
  // name, '' for the table's), and each index's partitions (all of them at once, so that reads
  // of partitions holding nothing keep nothing; a partition emptied is dropped).
  private readonly derived = new Map<string, StoredItem[]>();
  private readonly indexes = new Map<string, Map<string, StoredItem[]>>();
  // The index each of those views was made for, by name.
  private readonly viewed = new Map<string, IndexDescriptor>();

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

  /** What keeps another spec's descriptor from using this table, as `fit` finds it; changes nothing. */
  differences(given: TableDescriptor): string[] {
    return tableDifferences({ ...this.descriptor, indexes: [...this.held.values()] }, given);
  }

  /**
   * What keeps another spec's descriptor from using this table (see `tableDifferences`),
   * compared with every index the table has, not only its first spec's; none, and the indexes
   * it declares that the table lacks are added.
   */
  fit(given: TableDescriptor): string[] {
    const differences = this.differences(given);
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

  /** Whether the table holds no item. */
  isEmpty(): boolean {
    return this.count === 0;
  }

  /** The stored item under a key (not a copy). */
  get(key: ItemKey): StoredItem | undefined {
    const { partitionKey, sortKey } = this.descriptor;
    const partitionId = keyValueId(key[partitionKey.name] as KeyValue);
    if (!sortKey) return this.items.get(partitionId);
    const partition = this.partitions.get(partitionId);
    return partition?.entries.get(keyValueId(key[sortKey.name] as KeyValue))?.item;
  }

  /** Stores an item (taking ownership of it), replacing any under the same key. */
  put(item: StoredItem): void {
    const { partitionKey, sortKey } = this.descriptor;
    const partitionId = keyValueId(item[partitionKey.name] as KeyValue);
    const reordered = this.derived.size > 0 || this.indexes.size > 0;
    if (!sortKey) {
      const previous = this.items.get(partitionId);
      if (reordered) this.reorder(previous, item);
      if (!previous) this.count += 1;
      this.items.set(partitionId, item);
      return;
    }
    const sortValue = item[sortKey.name] as KeyValue;
    const sortId = keyValueId(sortValue);
    let partition = this.partitions.get(partitionId);
    const entry = partition?.entries.get(sortId);
    if (reordered) this.reorder(entry?.item, item);
    if (entry) {
      const { members } = partition!;
      if (members[entry.position] !== entry.item)
        entry.position = this.position(members, sortValue);
      entry.item = item;
      members[entry.position] = item;
      return;
    }
    if (!partition) {
      partition = { members: [], entries: new Map() };
      this.partitions.set(partitionId, partition);
    }
    const position = this.position(partition.members, sortValue);
    partition.members.splice(position, 0, item);
    partition.entries.set(sortId, { item, position });
    this.count += 1;
  }

  /** Deletes the item under a key; returns it. */
  delete(key: ItemKey): StoredItem | undefined {
    const { partitionKey, sortKey } = this.descriptor;
    const partitionId = keyValueId(key[partitionKey.name] as KeyValue);
    let previous: StoredItem | undefined;
    if (!sortKey) {
      previous = this.items.get(partitionId);
      if (!previous) return undefined;
      this.items.delete(partitionId);
    } else {
      const partition = this.partitions.get(partitionId);
      const sortId = keyValueId(key[sortKey.name] as KeyValue);
      previous = partition?.entries.get(sortId)?.item;
      if (!previous) return undefined;
      const { members, entries } = partition!;
      entries.delete(sortId);
      members.splice(this.position(members, key[sortKey.name] as KeyValue), 1);
      if (members.length === 0) this.partitions.delete(partitionId);
    }
    this.count -= 1;
    if (this.derived.size > 0 || this.indexes.size > 0) this.reorder(previous, undefined);
    return previous;
  }

  /** The items of one table partition, in sort-key order (not copies). */
  partition(value: KeyValue): readonly StoredItem[] {
    if (this.descriptor.sortKey) return this.partitions.get(keyValueId(value))?.members ?? [];
    const item = this.items.get(keyValueId(value));
    return item ? [item] : [];
  }

  // Every item the table holds, in no particular order.
  private *everyItem(): IterableIterator<StoredItem> {
    yield* this.items.values();
    for (const { members } of this.partitions.values()) yield* members;
  }

  /** The items of one index partition, in index sort-key order; items without the index keys are not in it. */
  indexPartition(index: IndexDescriptor, value: KeyValue): readonly StoredItem[] {
    return this.indexPartitions(this.held.get(index.name) ?? index).get(keyValueId(value)) ?? [];
  }

  /**
   * The run of a table partition (without `index`) or of an index partition, in the order a
   * query reads it, whose sort-key values meet `sort` (all of it without): found by binary
   * search, since they stand together in that order, so a page costs what it returns.
   */
  partitionRun(
    index: IndexDescriptor | undefined,
    value: KeyValue,
    sort: SortKeyCondition | undefined,
  ): SortedRun {
    const entries = index ? this.indexPartition(index, value) : this.partition(value);
    const sortKey = index ? index.sortKey : this.descriptor.sortKey;
    if (!sort || !sortKey) return { entries, low: 0, high: entries.length };
    const [low, high] = sortKeyRange(entries, sortKey.name, sort);
    return { entries, low, high };
  }

  private indexPartitions(index: IndexDescriptor): Map<string, StoredItem[]> {
    let partitions = this.indexes.get(index.name);
    if (!partitions) {
      partitions = new Map();
      for (const item of this.everyItem()) {
        if (!hasKeys(item, index)) continue;
        const id = keyValueId(item[index.partitionKey.name] as KeyValue);
        const members = partitions.get(id);
        if (members) members.push(item);
        else partitions.set(id, [item]);
      }
      for (const members of partitions.values())
        if (members.length > 1)
          members.sort((left, right) => this.compareInIndex(index, left, right));
      this.indexes.set(index.name, partitions);
      this.viewed.set(index.name, index);
    }
    return partitions;
  }

  /** Every item of the table (or of an index), in the stable order of `compareForScan`. */
  scanOrder(given?: IndexDescriptor): readonly StoredItem[] {
    const index = given && (this.held.get(given.name) ?? given);
    const name = index?.name ?? '';
    let entries = this.derived.get(name);
    if (!entries) {
      const keys: KeySchema = index ?? this.descriptor;
      entries = [];
      for (const item of this.everyItem()) if (hasKeys(item, keys)) entries.push(item);
      entries.sort((left, right) => this.compareForScan(index, left, right));
      this.derived.set(name, entries);
      if (index) this.viewed.set(name, index);
    }
    return entries;
  }

  // Keeps every sorted view made so far in order through a write: `previous` leaves it (if it
  // was in it), `next` enters it (if it has the keys). A replacement that keeps its place (the
  // same keys) takes it without moving anything.
  private reorder(previous: StoredItem | undefined, next: StoredItem | undefined): void {
    for (const [name, entries] of this.derived) {
      const index = name === '' ? undefined : this.viewed.get(name);
      const keys: KeySchema = index ?? this.descriptor;
      const order = (left: StoredItem, right: StoredItem) =>
        this.compareForScan(index, left, right);
      replaceInOrder(
        entries,
        previous && hasKeys(previous, keys) ? previous : undefined,
        next && hasKeys(next, keys) ? next : undefined,
        order,
      );
    }
    for (const [name, partitions] of this.indexes) {
      const index = this.viewed.get(name)!;
      const order = (left: StoredItem, right: StoredItem) =>
        this.compareInIndex(index, left, right);
      const left = previous && hasKeys(previous, index) ? previous : undefined;
      const entering = next && hasKeys(next, index) ? next : undefined;
      const leftId = left && keyValueId(left[index.partitionKey.name] as KeyValue);
      const enteringId = entering && keyValueId(entering[index.partitionKey.name] as KeyValue);
      if (left && leftId === enteringId) {
        replaceInOrder(partitions.get(leftId!)!, left, entering, order);
        continue;
      }
      if (left) {
        const members = partitions.get(leftId!)!;
        replaceInOrder(members, left, undefined, order);
        if (members.length === 0) partitions.delete(leftId!);
      }
      if (entering) {
        const members = partitions.get(enteringId!);
        if (members) replaceInOrder(members, undefined, entering, order);
        else partitions.set(enteringId!, [entering]);
      }
    }
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

function hasKeys(item: StoredItem, keys: KeySchema): boolean {
  return (
    isKeyOfType(item[keys.partitionKey.name], keys.partitionKey) &&
    (!keys.sortKey || isKeyOfType(item[keys.sortKey.name], keys.sortKey))
  );
}

// The first position in `entries[low..high)` where `after` holds, `after` being false then true
// along the list.
function firstWhere(
  entries: readonly StoredItem[],
  low: number,
  high: number,
  after: (item: StoredItem) => boolean,
): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (after(entries[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The first position in `run` of an entry that `order` puts after `key` (`inclusive`: or at it). */
export function positionAfter(
  run: SortedRun,
  key: StoredItem,
  order: (left: StoredItem, right: StoredItem) => number,
  inclusive: boolean,
): number {
  return firstWhere(run.entries, run.low, run.high, (item) =>
    inclusive ? order(item, key) >= 0 : order(item, key) > 0,
  );
}

// Takes `previous` out of a list in `order` and puts `next` in its place: each found by binary
// search (the order is total: no two items of a table share a key).
function replaceInOrder(
  entries: StoredItem[],
  previous: StoredItem | undefined,
  next: StoredItem | undefined,
  order: (left: StoredItem, right: StoredItem) => number,
): void {
  let at = -1;
  if (previous) {
    at = firstWhere(entries, 0, entries.length, (item) => order(item, previous) >= 0);
    if (entries[at] !== previous) at = entries.indexOf(previous);
    if (next && at >= 0 && order(previous, next) === 0) {
      entries[at] = next;
      return;
    }
    if (at >= 0) entries.splice(at, 1);
  }
  if (next)
    entries.splice(
      firstWhere(entries, 0, entries.length, (item) => order(item, next) > 0),
      0,
      next,
    );
}

/**
 * The range `[low, high)` of entries in ascending order of their `name` attribute (a sort
 * key) whose values meet a sort-key condition: DynamoDB's conditions each hold on one run of
 * that order (`beginsWith` too: what starts with a prefix sorts from the prefix on, together).
 */
export function sortKeyRange(
  entries: readonly StoredItem[],
  name: string,
  sort: SortKeyCondition,
): [number, number] {
  if (isEmptyPrefix(sort)) return [0, entries.length];
  const value = (item: StoredItem) => item[name] as KeyValue;
  const compare = (item: StoredItem, bound: unknown) =>
    compareKeyValues(value(item), bound as KeyValue);
  let low = 0;
  let high = entries.length;
  const from = (bound: unknown, inclusive: boolean) => {
    low = firstWhere(entries, 0, entries.length, (item) =>
      inclusive ? compare(item, bound) >= 0 : compare(item, bound) > 0,
    );
  };
  const to = (bound: unknown, inclusive: boolean) => {
    high = firstWhere(entries, low, entries.length, (item) =>
      inclusive ? compare(item, bound) > 0 : compare(item, bound) >= 0,
    );
  };
  if (Object.hasOwn(sort, 'eq')) {
    const bound = (sort as { eq: unknown }).eq;
    from(bound, true);
    to(bound, true);
  } else if (Object.hasOwn(sort, 'between')) {
    const [lower, upper] = (sort as { between: readonly [unknown, unknown] }).between;
    from(lower, true);
    to(upper, true);
  } else if (Object.hasOwn(sort, 'lt')) to((sort as { lt: unknown }).lt, false);
  else if (Object.hasOwn(sort, 'lte')) to((sort as { lte: unknown }).lte, true);
  else if (Object.hasOwn(sort, 'gt')) from((sort as { gt: unknown }).gt, false);
  else if (Object.hasOwn(sort, 'gte')) from((sort as { gte: unknown }).gte, true);
  else {
    const prefix = (sort as { beginsWith: unknown }).beginsWith;
    from(prefix, true);
    high = firstWhere(
      entries,
      low,
      entries.length,
      (item) => compare(item, prefix) > 0 && !evaluateSortCondition(sort, value(item)),
    );
  }
  return [low, high];
}

function isKeyOfType(value: unknown, attribute: KeyAttribute): value is KeyValue {
  switch (attribute.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' || typeof value === 'bigint';
    case 'binary':
      return types.isUint8Array(value);
  }
}

// A partition and a sort key as one id: the partition's length first, since either may hold
// any character (`a\u0000sb` + `c` is not `a` + `b\u0000sc`).
function fullKeyId(partitionId: string, sortId: string): string {
  return `${partitionId.length}:${partitionId}${sortId}`;
}
