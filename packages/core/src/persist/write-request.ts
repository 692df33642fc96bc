import { InvalidRequestError } from '../errors/persistence-errors.js';
import { checkEntryCount } from './entry-count.js';
import { checkItemKey } from './item-key.js';
import { itemSize, valueSizeBound } from './item-size.js';
import { batchWriteChoice, requestTakenNow } from './read-request.js';
import type { RequestFields } from './request-fields.js';
import type { BatchWriteEntry, DeleteItemRequest, TransactionAction } from './storage-backend.js';
import type { ItemKey, StoredItem, StoredValue } from './stored-value.js';

const actionKinds = new Set(['put', 'delete', 'update', 'check']);

/**
 * Refuses, with `InvalidRequestError`, a `deleteItem` request whose key is not its table's
 * (`checkItemKey`) or whose `answer` is neither `item` nor `presence`. Its condition is
 * `checkRequestCondition`'s (given the returned request's). Returns the request as it was
 * checked, each field read once and the key copied, for the backend to run instead of the one
 * it was given (see `checkRequestModel`).
 */
export function checkDeleteRequest(request: DeleteItemRequest): DeleteItemRequest {
  const taken: RequestFields<DeleteItemRequest> = requestTakenNow(
    request,
    'deleteItem',
    deleteFields,
  );
  taken.key = checkItemKey(taken.model.table, taken.key, 'deleteItem');
  if (taken.answer !== undefined && taken.answer !== 'item' && taken.answer !== 'presence')
    throw new InvalidRequestError("deleteItem answer takes 'item' or 'presence'");
  return taken;
}

/**
 * Refuses, with `InvalidRequestError`, `batchWrite` entries that are not a list, or one that
 * is not exactly one put or one delete of a model, or whose delete key is not its table's
 * (`checkItemKey`), or more than `maxEntries` of them (the backend's `maxBatchWrite`: counted
 * across tables, as DynamoDB counts them). The items put are the backend's to check
 * (`checkItemToWrite`, or `cloneItemToWrite` as it copies them); repeated keys too.
 *
 * Returns the entries as they were checked, at their positions in the list given (the backend
 * answers with the entries it was given, by position): each read once, a delete's key copied,
 * for the backend to run instead (see `checkRequestModel`).
 */
export function checkBatchWriteRequest(
  entries: readonly BatchWriteEntry[],
  maxEntries = Number.POSITIVE_INFINITY,
): readonly BatchWriteEntry[] {
  if (!Array.isArray(entries)) throw new InvalidRequestError('batchWrite takes a list of entries');
  const count = entries.length;
  const taken: BatchWriteEntry[] = [];
  for (let position = 0; position < count; position++) {
    const where = `batchWrite entry ${position}`;
    const entry = requestTakenNow(entries[position]!, where, batchWriteFields);
    const put = Object.hasOwn(entry, 'put');
    // Backends tell a put from a delete with `in`: one inherited would be read as given.
    if (
      put === Object.hasOwn(entry, 'delete') ||
      put !== 'put' in entry ||
      !put !== 'delete' in entry
    )
      throw new InvalidRequestError(`${where} must hold either put or delete, as its own property`);
    if (!put) {
      const deletion = entry as { delete: ItemKey };
      deletion.delete = checkItemKey(entry.model.table, deletion.delete, where);
    }
    taken.push(entry);
  }
  checkEntryCount(count, maxEntries, 'BatchWriteItem');
  return taken;
}

/**
 * Refuses, with `InvalidRequestError`, `transactWrite` actions that are not a list, or an
 * action of no known kind, whose key is not its table's (`checkItemKey`, for a delete, an
 * update or a check), or a check without a condition, or more than `maxActions` of them (the
 * backend's `maxTransactionActions`). A put's item, conditions and update operations are the
 * backend's to check (`checkTransactionActions`, given the returned actions); repeated keys too.
 *
 * Returns the actions as they were checked, at their positions: each read once, its key
 * copied, for the backend to run instead of those it was given (see `checkRequestModel`).
 */
export function checkTransactionRequest(
  actions: readonly TransactionAction[],
  maxActions = Number.POSITIVE_INFINITY,
): readonly TransactionAction[] {
  if (!Array.isArray(actions))
    throw new InvalidRequestError('transactWrite takes a list of actions');
  const count = actions.length;
  const taken: TransactionAction[] = [];
  for (let position = 0; position < count; position++) {
    const where = `transactWrite action ${position}`;
    const action = requestTakenNow(actions[position]!, where, actionFields);
    if (!actionKinds.has(action.kind as string))
      throw new InvalidRequestError(`${where} must be of kind put, delete, update or check`);
    taken.push(action);
    if (action.kind === 'put') continue;
    (action as { key: ItemKey }).key = checkItemKey(action.model.table, action.key, where);
    if (action.kind === 'check' && action.condition === undefined)
      throw new InvalidRequestError(`${where}: a check takes a condition`);
  }
  checkEntryCount(count, maxActions, 'TransactWriteItems');
  checkTransactionSize(taken);
  return taken;
}

/** DynamoDB's limit on the items of a transaction, together: 4 MB. */
const maxTransactionBytes = 4 * 1024 * 1024;

/**
 * Refuses a transaction whose items hold more than `maxTransactionBytes` together, as DynamoDB
 * refuses it ("the aggregate size of the items in the transaction cannot exceed 4 MB"), on
 * every backend: memory and PostgreSQL would commit it. An item put counts whole; an item an
 * update writes counts at least its key and the values the update sets or appends (the rest
 * of it is not known here), so a transaction refused is one DynamoDB refuses.
 */
export function checkTransactionSize(actions: readonly TransactionAction[]): void {
  let size = 0;
  try {
    // A cheap bound first (as `sizeAboveLimit`): only a transaction it puts over is counted.
    let bound = 0;
    for (const action of actions) bound += writtenBytes(action, boundSizes);
    if (bound <= maxTransactionBytes) return;
    for (const action of actions) size += writtenBytes(action, exactSizes);
  } catch {
    // An item or value no engine stores cannot be measured: its own check refuses it.
    return;
  }
  if (size > maxTransactionBytes)
    throw new InvalidRequestError(
      `A transaction's items hold at most ${maxTransactionBytes} bytes together, not ${size}${actions.some((action) => action.kind === 'update') ? ' or more' : ''}`,
    );
}

/** How an item, and a value in one, are measured: exactly, or by a cheap upper bound. */
interface Sizes {
  item(item: StoredItem): number;
  value(value: StoredValue): number;
}
const exactSizes: Sizes = { item: itemSize, value: (value) => itemSize({ '': value }) };
const boundSizes: Sizes = { item: valueSizeBound, value: valueSizeBound };

// The bytes an action writes, as `sizes` counts them: a put's whole item; an update's key
// and the values it sets or appends (each element of a list appended with its byte of list
// overhead). Each path of an update is distinct (overlapping paths are refused), so all of
// them are in the item it leaves. Deletes and checks write no item.
function writtenBytes(action: TransactionAction, sizes: Sizes): number {
  if (action.kind === 'put') return sizes.item(action.item);
  if (action.kind !== 'update' || !Array.isArray(action.operations)) return 0;
  let bytes = sizes.item(action.key);
  for (const operation of action.operations) {
    if (operation?.action === 'set') bytes += sizes.value(operation.value);
    else if (operation?.action === 'append' && Array.isArray(operation.value))
      for (const element of operation.value) bytes += 1 + sizes.value(element);
  }
  return bytes;
}

type Fields = Record<string, unknown>;

// Each kind's fields, read once by name (see `requestTakenNow`).
function deleteFields(request: Fields): Fields {
  const { model, key, condition, answer } = request;
  const taken: Fields = { model, key };
  if (condition !== undefined) taken.condition = condition;
  if (answer !== undefined) taken.answer = answer;
  return taken;
}

function batchWriteFields(request: Fields): Fields {
  return batchWriteChoice(request, { model: request.model });
}

function actionFields(request: Fields): Fields {
  const { kind, model, key, item, condition, operations } = request;
  const taken: Fields = { kind, model };
  if (key !== undefined) taken.key = key;
  if (item !== undefined) taken.item = item;
  if (condition !== undefined) taken.condition = condition;
  if (operations !== undefined) taken.operations = operations;
  return taken;
}
