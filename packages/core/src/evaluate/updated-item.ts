import { checkItemSize } from '../persist/item-size.js';
import type { ItemKey, StoredItem } from '../persist/stored-value.js';
import type { UpdateOperation } from '../persist/update-operation.js';
import { applyUpdate } from './apply-update.js';
import { cloneItem } from './clone-value.js';
import { checkUpdatePaths } from './update-paths.js';

/**
 * The item an update leaves: a copy of the current one (or of the key, for a missing item, as
 * DynamoDB's UpdateItem creates it) with the operations applied. Operations DynamoDB refuses
 * (see `checkUpdatePaths`) are an `InvalidRequestError`. An item grown past
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
  checkUpdatePaths(operations, key);
  const next = cloneItem(current ?? (key as StoredItem));
  applyUpdate(next, operations);
  if (operations.some((operation) => operation.action !== 'remove'))
    checkItemSize(next, maxItemBytes, 'Update');
  return next;
}
