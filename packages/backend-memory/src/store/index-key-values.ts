import type { IndexDescriptor, KeyAttribute, StoredItem } from '@macaron/core/backend';
import { keyValueProblem, shownName } from '@macaron/core/backend';

/** A refused index key value of an item: the index, the attribute and why (core's words). */
export interface IndexKeyRefusal {
  index: IndexDescriptor;
  attribute: KeyAttribute;
  problem: string;
}

/**
 * The first key value of one of `indexes` that DynamoDB refuses in an item it writes, as core's
 * `keyValueProblem` reads it (of another type than the index takes, empty, too long). An absent
 * attribute is no problem: it leaves the item out of the index. With `only`, the attributes of
 * those names alone (those an update sets).
 */
export function refusedIndexKey(
  item: StoredItem,
  indexes: Iterable<IndexDescriptor>,
  only?: ReadonlySet<string>,
): IndexKeyRefusal | undefined {
  for (const index of indexes) {
    for (const [attribute, role] of [
      [index.partitionKey, 'partition'],
      [index.sortKey, 'sort'],
    ] as const) {
      if (!attribute || !Object.hasOwn(item, attribute.name)) continue;
      if (only && !only.has(attribute.name)) continue;
      const problem = keyValueProblem(attribute, item[attribute.name], role);
      if (problem) return { index, attribute, problem };
    }
  }
  return undefined;
}

/** What is said of a refused index key value, after the request's name. */
export function describeRefusal({ index, attribute, problem }: IndexKeyRefusal): string {
  return `the item's ${shownName(attribute.name)} ${problem}, as a key of the table's index ${shownName(index.name)}`;
}
