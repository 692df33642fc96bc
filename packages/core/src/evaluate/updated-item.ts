import { checkItemSize } from '../persist/item-size.js';
import type { ItemKey, StoredItem } from '../persist/stored-value.js';
import type { UpdateOperation } from '../persist/update-operation.js';
import { setOwnProperty } from '../schema/own-property.js';
import { applyUpdate } from './apply-update.js';
import { pathSegments } from './attribute-path.js';
import { cloneItem, cloneValue } from './clone-value.js';
import { checkUpdatePaths, isCheckedSnapshot } from './update-paths.js';

/**
 * The item an update leaves: a copy of the current one (or of the key, for a missing item, as
 * DynamoDB's UpdateItem creates it) with the operations applied. Operations DynamoDB refuses
 * (see `checkUpdatePaths`, whose snapshot is applied) are an `InvalidRequestError`; operations
 * it returned are applied without a second check. An item grown past
 * `maxItemBytes` is a `ValidationError`, as DynamoDB refuses it; whole items arrive
 * size-checked by core, so only an update that is not all `remove`s can grow one (an `add`
 * makes its attribute, or lengthens a number).
 */
export function updatedItem(
  current: StoredItem | undefined,
  key: ItemKey,
  operations: readonly UpdateOperation[],
  maxItemBytes: number,
): StoredItem {
  // What the backend's `checkUpdatePaths` returned was checked already: checked once, run as is.
  if (!isCheckedSnapshot(operations)) operations = checkUpdatePaths(operations, key);
  const next = current ? copyForUpdate(current, operations) : cloneItem(key as StoredItem);
  applyUpdate(next, operations);
  if (operations.some((operation) => operation.action !== 'remove'))
    checkItemSize(next, maxItemBytes, 'Update');
  return next;
}

/**
 * A copy of the current item that `applyUpdate` may write into: the item itself is shallow
 * copied and only the attributes an operation's path starts at are copied deep. Every change
 * lands in those copies, so the attributes left shared with the current item are never written
 * to (a stored item is never changed in place), and an update of one counter no longer copies
 * the whole item.
 */
function copyForUpdate(current: StoredItem, operations: readonly UpdateOperation[]): StoredItem {
  // Spreading defines each property as an own data property, `__proto__` included.
  const next: StoredItem = { ...current };
  for (const operation of operations) {
    const name = pathSegments(operation.path)[0];
    if (typeof name !== 'string' || !Object.hasOwn(current, name)) continue;
    const value = current[name];
    if (typeof value === 'object' && value !== null && next[name] === value)
      setOwnProperty(next, name, cloneValue(value));
  }
  return next;
}
