import type { IndexDescriptor, KeyAttribute, TableDescriptor } from '@macaron/core';

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
 * refuse it: another key (name or type), or an index of the same name on another key. An index
 * only one of them has is not a difference: provisioning adds indexes.
 */
export function tableDifferences(held: TableDescriptor, given: TableDescriptor): string[] {
  const heldIndexes = new Map<string, IndexDescriptor>(
    held.indexes.map((index) => [index.name, index]),
  );
  return [
    ...keyDifferences('', held, given),
    ...given.indexes.flatMap((index) => {
      const before = heldIndexes.get(index.name);
      return before ? keyDifferences(`index ${index.name} `, before, index) : [];
    }),
  ];
}
