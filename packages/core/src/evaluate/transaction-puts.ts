import { checkRequestCondition } from '../persist/check-condition.js';
import type { RequestFields } from '../persist/request-fields.js';
import type { TransactionAction } from '../persist/storage-backend.js';
import type { StoredItem } from '../persist/stored-value.js';
import type { UpdateOperation } from '../persist/update-operation.js';
import { checkTransactionSize } from '../persist/write-request.js';
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
  return checkTransactionActions(actions, maxItemBytes).puts;
}

/** What `checkTransactionActions` returns, by action position. */
export interface CheckedTransactionActions {
  /** The items put, copied (undefined for the other actions). */
  readonly puts: (StoredItem | undefined)[];
  /**
   * The operations of each update as `checkUpdatePaths` returned them, checked (with
   * `maxItemBytes`, their own values' size too), to run instead of the action's (undefined for
   * the other actions).
   */
  readonly operations: (readonly UpdateOperation[] | undefined)[];
  /**
   * The actions as checked, to run instead of those given: each one's condition as
   * `checkRequestCondition` returned it, a put's item its copy, an update's operations as
   * checked.
   */
  readonly actions: readonly TransactionAction[];
}

/**
 * `cloneTransactionPuts`, which also returns each update's operations as they were checked, for
 * the backend to apply them (`updatedItem` does not check them again), and the actions as
 * checked. Given the actions `checkTransactionRequest` returned (their keys checked and copied):
 * what the backend runs is then what was checked, read once.
 */
export function checkTransactionActions(
  actions: readonly TransactionAction[],
  maxItemBytes?: number,
): CheckedTransactionActions {
  const puts: (StoredItem | undefined)[] = [];
  const operations: (readonly UpdateOperation[] | undefined)[] = [];
  const checked: TransactionAction[] = [];
  for (let index = 0; index < actions.length; index++) {
    const action = actions[index]!;
    const where = `transactWrite action ${index}`;
    const item =
      action.kind === 'put'
        ? cloneItemToWrite(action.item, action.model.table, where, maxItemBytes)
        : undefined;
    puts.push(item);
    const condition = checkRequestCondition(action.condition, `${where} condition`);
    const updates =
      action.kind === 'update'
        ? checkUpdatePaths(action.operations, action.key, action.model.table, maxItemBytes)
        : undefined;
    operations.push(updates);
    const taken = { ...action, condition } as RequestFields<TransactionAction>;
    if (condition === undefined) delete taken.condition;
    if (item) (taken as { item: StoredItem }).item = item;
    if (updates) (taken as { operations: readonly UpdateOperation[] }).operations = updates;
    checked.push(taken as TransactionAction);
  }
  // Held to 4 MB together as taken, not only as `checkTransactionRequest` first measured the
  // actions: a getter read again, or one that threw then (unmeasured), could have answered more.
  checkTransactionSize(checked);
  return { puts, operations, actions: checked };
}
