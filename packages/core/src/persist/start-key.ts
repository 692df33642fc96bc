import { InvalidRequestError } from '../errors/persistence-errors.js';
import { quotedName, shownName } from '../errors/shown-name.js';
import { evaluateSortCondition } from '../evaluate/evaluate-condition.js';
import { isBytes } from '../schema/builtin-values.js';
import { isPlainObject, sameValue } from '../schema/same-value.js';
import type { SortKeyCondition } from './condition.js';
import type { ItemKey, KeyValue } from './stored-value.js';
import type { IndexDescriptor, KeyAttribute, ModelDescriptor } from './table-descriptor.js';

// No engine stores NaN, an infinity or a lone surrogate (DynamoDB's strings are UTF-8, as
// PostgreSQL's text is), so no page ends on one: engines would order such a key each their own way.
const keyTypes: Record<KeyAttribute['type'], (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string' && value.isWellFormed(),
  number: (value) =>
    (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint',
  binary: (value) => isBytes(value),
};

/**
 * Refuses a page's `startKey` that no page of this read could have ended with, as DynamoDB
 * refuses such an `ExclusiveStartKey`: it holds the table's key attributes and, reading an
 * index, the index's, each of its type, and nothing else; reading a partition, its value is
 * the partition's, and its sort key value meets the read's sort condition. Values past the contract's limits pass: pages over items another client
 * wrote may end on them; NaN, infinities and lone surrogates, which no item holds, do not. For backends, whose `query` and `scan` may be called directly
 * (core's own cursors are authenticated, so always hold such a key).
 */
export function checkStartKey(
  model: ModelDescriptor,
  index: IndexDescriptor | undefined,
  startKey: ItemKey,
  partition?: KeyValue,
  sort?: SortKeyCondition,
): void {
  const { table } = model;
  const attributes = [table.partitionKey, table.sortKey, index?.partitionKey, index?.sortKey];
  const expected = new Map<string, KeyAttribute>();
  for (const attribute of attributes) if (attribute) expected.set(attribute.name, attribute);
  const refuse = (why: string) =>
    new InvalidRequestError(
      `The start key is not a key of ${index ? `index ${index.name} of ` : ''}table ${table.specName}: ${why}`,
    );
  if (!isPlainObject(startKey)) throw refuse('it is not an object');
  for (const name of Object.keys(startKey))
    if (!expected.has(name)) throw refuse(`${quotedName(name)} is not a key attribute`);
  for (const [name, attribute] of expected) {
    if (!Object.hasOwn(startKey, name)) throw refuse(`${shownName(name)} is missing`);
    if (!keyTypes[attribute.type](startKey[name]))
      throw refuse(`${shownName(name)} is not a ${attribute.type} a stored key can hold`);
  }
  const partitionName = (index ?? table).partitionKey.name;
  if (partition !== undefined && !sameValue(startKey[partitionName], partition))
    throw refuse(`its ${shownName(partitionName)} is not the partition read`);
  const sortName = (index ?? table).sortKey?.name;
  if (
    sort !== undefined &&
    sortName !== undefined &&
    !evaluateSortCondition(sort, startKey[sortName])
  )
    throw refuse(`its ${shownName(sortName)} does not meet the sort condition read`);
}
