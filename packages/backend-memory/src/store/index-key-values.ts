import type { IndexDescriptor, KeyAttribute, StoredItem } from '@macaron/core/backend';

/** Why an index key value is one DynamoDB refuses to write. */
export type IndexKeyProblem = 'type' | 'empty' | 'length';

/** A refused index key value of an item: the index, the attribute and why. */
export interface IndexKeyRefusal {
  index: IndexDescriptor;
  attribute: KeyAttribute;
  problem: IndexKeyProblem;
}

/**
 * The first key value of one of `indexes` that DynamoDB refuses in an item it writes: of
 * another type than the index takes, empty, or longer than a partition key's 2048 bytes or a
 * sort key's 1024 (UTF-8). An absent attribute is no problem: it leaves the item out of the
 * index. With `only`, the attributes of those names alone (those an update sets).
 */
export function refusedIndexKey(
  item: StoredItem,
  indexes: Iterable<IndexDescriptor>,
  only?: ReadonlySet<string>,
): IndexKeyRefusal | undefined {
  for (const index of indexes) {
    for (const [attribute, maxBytes] of [
      [index.partitionKey, 2048],
      [index.sortKey, 1024],
    ] as const) {
      if (!attribute || !Object.hasOwn(item, attribute.name)) continue;
      if (only && !only.has(attribute.name)) continue;
      const problem = valueProblem(attribute, item[attribute.name], maxBytes);
      if (problem) return { index, attribute, problem };
    }
  }
  return undefined;
}

function valueProblem(
  attribute: KeyAttribute,
  value: unknown,
  maxBytes: number,
): IndexKeyProblem | undefined {
  switch (attribute.type) {
    case 'string':
      if (typeof value !== 'string') return 'type';
      if (value.length === 0) return 'empty';
      return value.length * 3 > maxBytes && Buffer.byteLength(value) > maxBytes
        ? 'length'
        : undefined;
    case 'number':
      return typeof value === 'number' || typeof value === 'bigint' ? undefined : 'type';
    case 'binary':
      if (!(value instanceof Uint8Array)) return 'type';
      if (value.length === 0) return 'empty';
      return value.length > maxBytes ? 'length' : undefined;
  }
}

/** What is said of a refused index key value, after the request's name. */
export function describeRefusal({ index, attribute, problem }: IndexKeyRefusal): string {
  const name = attribute.name;
  switch (problem) {
    case 'type':
      return `the item's ${name} is not of the type the table's index ${index.name} takes as its key`;
    case 'empty':
      return `the item's ${name} is empty, which the table's index ${index.name} does not take as a key value`;
    case 'length':
      return `the item's ${name} is longer than the ${attribute === index.sortKey ? 1024 : 2048} bytes the table's index ${index.name} takes as a key value`;
  }
}
