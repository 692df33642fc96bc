import type { IndexDescriptor, KeyAttribute, TableDescriptor } from '@macaron/core';
import { keyAttributes, keyTypeClash } from '@macaron/core/backend';

function describeKey(key: KeyAttribute | undefined): string {
  return key ? `${key.name} (${key.type})` : 'none';
}

function keyDifferences(
  what: string,
  held: { partitionKey: KeyAttribute; sortKey?: KeyAttribute },
  given: { partitionKey: KeyAttribute; sortKey?: KeyAttribute },
): string[] {
  const differences: string[] = [];
  for (const [part, left, right] of [
    ['partition key', held.partitionKey, given.partitionKey],
    ['sort key', held.sortKey, given.sortKey],
  ] as const)
    if (left?.name !== right?.name || left?.type !== right?.type)
      differences.push(
        `${what}${part}: table has ${describeKey(left)}, spec has ${describeKey(right)}`,
      );
  return differences;
}

/**
 * What the memory table made for `held` cannot hold for `given`, as DynamoDB and PostgreSQL
 * refuse it: another key (name or type), an index of the same name on another key, or a new
 * index keying an attribute the table's keys or indexes key with another type (a DynamoDB table
 * types each attribute once, as a PostgreSQL column does). An index only one of them has is not
 * otherwise a difference: provisioning adds indexes.
 */
export function tableDifferences(held: TableDescriptor, given: TableDescriptor): string[] {
  const heldIndexes = new Map<string, IndexDescriptor>(
    held.indexes.map((index) => [index.name, index]),
  );
  const heldTypes = new Map(keyAttributes(held).map((key) => [key.name, key]));
  return [
    ...keyDifferences('', held, given),
    ...given.indexes.flatMap((index) => {
      const before = heldIndexes.get(index.name);
      if (before) return keyDifferences(`index ${index.name} `, before, index);
      return (
        [
          ['partition key', index.partitionKey],
          ['sort key', index.sortKey],
        ] as const
      ).flatMap(([part, key]) => {
        const typed = key && heldTypes.get(key.name);
        return typed && typed.type !== key.type
          ? [
              `index ${index.name} ${part}: table has ${describeKey(typed)}, spec has ${describeKey(key)}`,
            ]
          : [];
      });
    }),
  ];
}

/**
 * Listings of one table in one call (two specs, one prefix) whose keys and indexes key one
 * attribute as a string in one and as a number in another: only one can be made, as DynamoDB
 * and PostgreSQL find (`TableMismatchError`, nothing made). The difference, or undefined. One
 * listing that does so alone is left as it was.
 */
export function listingsDifference(
  name: string,
  listings: readonly TableDescriptor[],
): string | undefined {
  if (listings.length < 2 || listings.some((listed) => keyTypeClash([listed]) !== undefined))
    return undefined;
  const clash = keyTypeClash(listings);
  if (clash === undefined) return undefined;
  const specNames = listings.map((listed) => listed.specName).join(' and ');
  return `two tables of the call are named ${name}, with ${clash} (${specNames}, from two specs?): only one can be made`;
}
