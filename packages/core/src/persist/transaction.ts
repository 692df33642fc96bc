import {
  InvalidRequestError,
  TransactionCanceledError,
  type TransactionCancelReason,
  UnsupportedOperationError,
} from '../errors/persistence-errors.js';
import { checkCondition } from './check-condition.js';
import type { Condition } from './condition.js';
import { type KeyInput, keyFingerprint, keyOfItem, toItemKey } from './item-key.js';
import { type PersistenceContext, requireBackend } from './persistence-context.js';
import type { PersistentModelClass, WriteOptions } from './persistent-model.js';
import type { TransactionAction } from './storage-backend.js';
import { toStoredItem } from './stored-form.js';
import type { ItemKey } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';
import { toUpdateOperations, type UpdateChanges } from './update-changes.js';

/** Collects the writes of a transaction; they are applied together or not at all. */
export interface Transaction {
  /** Saves an object (checking its version, if the model has one). */
  save(object: object, options?: WriteOptions): void;
  /** Creates an object; cancels the transaction if its key is taken. */
  create(object: object): void;
  /** Deletes the item under a key. */
  delete<T extends object>(
    model: PersistentModelClass<T>,
    key: KeyInput,
    options?: WriteOptions,
  ): void;
  /** Updates an existing item atomically. */
  update<T extends object>(
    model: PersistentModelClass<T>,
    key: KeyInput,
    changes: UpdateChanges<T>,
    options?: WriteOptions,
  ): void;
  /** Cancels the transaction unless the condition holds for the item under the key. */
  check<T extends object>(
    model: PersistentModelClass<T>,
    key: KeyInput,
    condition: Condition,
  ): void;
}

type Meaning = 'ALREADY_EXISTS' | 'CONFLICT' | 'CONDITION_FAILED';

interface Pending {
  action: TransactionAction;
  meaning: Meaning;
  afterCommit?: () => void;
}

function descriptorOf(object: object): ModelDescriptor {
  const descriptor = (object.constructor as { descriptor?: ModelDescriptor }).descriptor;
  if (!descriptor)
    throw new InvalidRequestError('Transactions take objects of persistent model classes');
  return descriptor;
}

function userCondition(
  options: WriteOptions | undefined,
  own: Condition | undefined,
): Condition | undefined {
  if (options?.condition === undefined) return own;
  checkCondition(options.condition, 'condition');
  return own ? { and: [own, options.condition] } : options.condition;
}

/** Runs `build` to collect writes, then applies them all or none. */
export async function runTransaction(
  context: PersistenceContext,
  build: (transaction: Transaction) => void | Promise<void>,
): Promise<void> {
  const backend = requireBackend(context);
  if (!backend.capabilities.transactions) {
    throw new UnsupportedOperationError(`The ${backend.name} backend has no transactions`);
  }
  const pending: Pending[] = [];
  const transaction: Transaction = {
    save(object, options) {
      const model = descriptorOf(object);
      const item = toStoredItem(model, object, backend.capabilities.maxItemBytes);
      const version = model.versionAttribute;
      const record = object as Record<string, unknown>;
      const expected = version === undefined ? undefined : (record[version] as number | undefined);
      let own: Condition | undefined;
      if (version !== undefined) {
        own =
          expected === undefined
            ? { attr: model.table.partitionKey.name, exists: false }
            : { attr: version, eq: expected };
        item[version] = expected === undefined ? 1 : expected + 1;
      }
      const condition = userCondition(options, own);
      pending.push({
        action: { kind: 'put', model, item, ...(condition ? { condition } : {}) },
        meaning: version !== undefined ? 'CONFLICT' : 'CONDITION_FAILED',
        ...(version !== undefined ? { afterCommit: () => (record[version] = item[version]) } : {}),
      });
    },
    create(object) {
      const model = descriptorOf(object);
      const item = toStoredItem(model, object, backend.capabilities.maxItemBytes);
      const version = model.versionAttribute;
      if (version !== undefined) item[version] = 1;
      pending.push({
        action: {
          kind: 'put',
          model,
          item,
          condition: { attr: model.table.partitionKey.name, exists: false },
        },
        meaning: 'ALREADY_EXISTS',
        ...(version !== undefined
          ? { afterCommit: () => ((object as Record<string, unknown>)[version] = 1) }
          : {}),
      });
    },
    delete(type, key, options) {
      const model = type.descriptor;
      const condition = userCondition(options, undefined);
      pending.push({
        action: {
          kind: 'delete',
          model,
          key: toItemKey(model, key),
          ...(condition ? { condition } : {}),
        },
        meaning: 'CONDITION_FAILED',
      });
    },
    update(type, key, changes, options) {
      const model = type.descriptor;
      const operations = toUpdateOperations(model, changes as UpdateChanges<any>);
      const condition = userCondition(options, {
        attr: model.table.partitionKey.name,
        exists: true,
      })!;
      pending.push({
        action: { kind: 'update', model, key: toItemKey(model, key), operations, condition },
        meaning: 'CONDITION_FAILED',
      });
    },
    check(type, key, condition) {
      const model = type.descriptor;
      checkCondition(condition, 'check() condition');
      pending.push({
        action: { kind: 'check', model, key: toItemKey(model, key), condition },
        meaning: 'CONDITION_FAILED',
      });
    },
  };
  await build(transaction);
  if (pending.length === 0) return;
  if (pending.length > backend.capabilities.maxTransactionActions) {
    throw new InvalidRequestError(
      `A transaction takes at most ${backend.capabilities.maxTransactionActions} actions, not ${pending.length}`,
    );
  }
  const seen = new Set<string>();
  for (const { action } of pending) {
    const key: ItemKey = 'key' in action ? action.key : keyOfItem(action.model, action.item);
    const fingerprint = keyFingerprint(action.model.table.name, key);
    if (seen.has(fingerprint))
      throw new InvalidRequestError('A transaction cannot touch the same item twice');
    seen.add(fingerprint);
  }
  try {
    await backend.transactWrite(pending.map((entry) => entry.action));
  } catch (error) {
    if (!(error instanceof TransactionCanceledError)) throw error;
    const reasons: TransactionCancelReason[] = error.reasons.map((reason) =>
      reason.code === 'CONDITION_FAILED'
        ? { ...reason, code: pending[reason.index]?.meaning ?? reason.code }
        : reason,
    );
    throw new TransactionCanceledError(reasons, { cause: error });
  }
  for (const entry of pending) entry.afterCommit?.();
}
