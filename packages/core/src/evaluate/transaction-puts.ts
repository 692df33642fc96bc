import { checkRequestCondition } from '../persist/check-condition.js';
import type { TransactionAction } from '../persist/storage-backend.js';
import type { StoredItem } from '../persist/stored-value.js';
import { cloneItemToWrite } from './clone-value.js';
import { checkUpdatePaths } from './update-paths.js';

/**
 * For a backend that evaluates a transaction itself: checks every action (its condition, an
 * update's paths, a put's item as `cloneItemToWrite` does) before any condition is evaluated,
 * as DynamoDB checks the whole request first, and returns the items put, copied (the caller may
 * change them before they are written), at their action's position (undefined for the others).
 * The request's shape is `checkTransactionRequest`'s to check, first.
 */
export function cloneTransactionPuts(
  actions: readonly TransactionAction[],
  maxItemBytes?: number,
): (StoredItem | undefined)[] {
  return actions.map((action, index) => {
    const where = `transactWrite action ${index}`;
    const item =
      action.kind === 'put'
        ? cloneItemToWrite(action.item, action.model.table, where, maxItemBytes)
        : undefined;
    checkRequestCondition(action.condition, `${where} condition`);
    if (action.kind === 'update')
      checkUpdatePaths(action.operations, action.key, action.model.table);
    return item;
  });
}
