import { InvalidRequestError } from '../errors/persistence-errors.js';
import { checkItemNesting } from '../evaluate/item-nesting.js';
import { unconstrained } from '../schema/schema-node.js';
import { validateValue } from '../schema/validate-value.js';
import { keyValueProblems } from './index-key-values.js';
import type { StoredItem } from './stored-value.js';
import type { TableDescriptor } from './table-descriptor.js';

// What core built and checked for a backend (a model's item to save, an update's operations):
// nothing else adds to it, so what is found here holds what core validated. Another copy of
// core has its own, and its requests are then checked again: slower, never wrong.
const checkedByCore = new WeakSet<object>();

/** Records that core built and checked `value` (an item, update operations) for a backend. */
export function markCheckedByCore(value: object): void {
  checkedByCore.add(value);
}

/** True for what core built and checked for a backend: its direct-call checks may be skipped. */
export function isCheckedByCore(value: object): boolean {
  return checkedByCore.has(value);
}

/**
 * Refuses, with `InvalidRequestError`, an item given to `putItem`, `batchWrite` or a
 * `transactWrite` put that DynamoDB would refuse, so that every backend refuses it alike and
 * before anything is written: an attribute nested deeper than 32 levels (`checkItemNesting`),
 * a key attribute of the table or of an index missing (the table's), empty, too long or of
 * another type than the table declares, and a value no engine stores (not finite, `-0`, more
 * than 38 digits, an integer beyond 2^53 held in a number, an empty, mixed or repeating set, a
 * lone surrogate, `undefined` in a list, a function, a Date or a Map). An item core built for a
 * model's write was checked already, and is not walked again.
 */
export function checkItemToWrite(item: StoredItem, table: TableDescriptor, where: string): void {
  if (checkedByCore.has(item)) return;
  checkItemNesting(item, where);
  for (const attribute of [table.partitionKey, table.sortKey])
    if (attribute && !Object.hasOwn(item, attribute.name))
      throw new InvalidRequestError(`${where}: the item has no key attribute ${attribute.name}`);
  const [keyProblem] = keyValueProblems(table, item);
  if (keyProblem)
    throw new InvalidRequestError(
      `${where}: the key attribute ${keyProblem.pointer.slice(1)} ${keyProblem.message}`,
    );
  const [problem] = validateValue(unconstrained, item);
  if (problem)
    throw new InvalidRequestError(
      `${where}: the item's ${problem.pointer || 'value'} ${problem.message}`,
    );
}
