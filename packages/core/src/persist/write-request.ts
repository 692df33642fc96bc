import { InvalidRequestError } from '../errors/persistence-errors.js';
import { isPlainObject } from '../schema/same-value.js';
import { checkItemKey } from './item-key.js';
import type { BatchWriteEntry, TransactionAction } from './storage-backend.js';

const actionKinds = new Set(['put', 'delete', 'update', 'check']);

/**
 * Refuses, with `InvalidRequestError`, a `batchWrite` entry that is not exactly one put or one
 * delete, or whose delete key is not its table's (`checkItemKey`). The item of a put is the
 * backend's to check (`checkItemToWrite`, or `cloneItemToWrite` as it copies it).
 */
export function checkBatchWriteEntry(entry: BatchWriteEntry, where: string): void {
  if (!isPlainObject(entry) || Object.hasOwn(entry, 'put') === Object.hasOwn(entry, 'delete'))
    throw new InvalidRequestError(`${where} must hold either put or delete`);
  if ('delete' in entry) checkItemKey(entry.model.table, entry.delete, where);
}

/**
 * Refuses, with `InvalidRequestError`, a `transactWrite` action of no known kind, a key that is
 * not its table's (`checkItemKey`, for a delete, an update or a check), or a check without a
 * condition. A put's item, a condition and update operations are the backend's to check.
 */
export function checkTransactionAction(action: TransactionAction, where: string): void {
  if (!isPlainObject(action) || !actionKinds.has(action.kind as string))
    throw new InvalidRequestError(`${where} must be of kind put, delete, update or check`);
  if (action.kind === 'put') return;
  checkItemKey(action.model.table, action.key, where);
  if (action.kind === 'check' && action.condition === undefined)
    throw new InvalidRequestError(`${where}: a check takes a condition`);
}
