import {
  AlreadyExistsError,
  ConflictError,
  describeItem,
  InvalidRequestError,
  type ItemLocation,
  TransactionCanceledError,
  type TransactionCancelReason,
  UnsupportedOperationError,
} from '../errors/persistence-errors.js';
import { shownName } from '../errors/shown-name.js';
import { modelClassOf } from '../schema/copy-value.js';
import { checkCondition } from './check-condition.js';
import type { Condition } from './condition.js';
import { type KeyInput, keyFingerprint, keyOfItem, toItemKey } from './item-key.js';
import { markDeleted } from './loaded-objects.js';
import { modelConditions, withCallerCondition } from './model-conditions.js';
import { modelContext } from './model-context.js';
import { deleteCondition, explainObjectDelete, prepareObjectDelete } from './object-delete.js';
import { prepareObjectWrite } from './object-write.js';
import { noOptionNames, writeOptionNames } from './operations/item-writes.js';
import { type PersistenceContext, requireBackend } from './persistence-context.js';
import type { PersistentMethods, PersistentModelClass, WriteOptions } from './persistent-model.js';
import { callOptions } from './read-request.js';
import type { StorageBackend, TransactionAction } from './storage-backend.js';
import type { ItemKey } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';
import type { UpdateChanges } from './update-changes.js';
import { prepareUpdate } from './update-request.js';
import { checkModelUpdateSize } from './updated-item-size.js';
import { versionNotANumber } from './version-not-a-number.js';
import { checkTransactionSize } from './write-request.js';

/** Collects the writes of a transaction; they are applied together or not at all. */
export interface Transaction {
  /** Saves an object (checking its version, if the model has one). */
  save(object: Pick<PersistentMethods, 'key'>, options?: WriteOptions): void;
  /** Creates an object; cancels the transaction if its key is taken. */
  create(object: Pick<PersistentMethods, 'key'>): void;
  /** Deletes the item under a key, whatever version it holds. */
  delete<T extends object>(
    model: PersistentModelClass<T>,
    key: KeyInput,
    options?: WriteOptions,
  ): void;
  /**
   * Deletes an object's item, as `object.delete()` does: at the version the object holds, if its
   * model has one; cancels the transaction (`CONFLICT`) when the stored version moved or the
   * item is gone. An object without a version deletes whatever is under its key. (A class is
   * no object here: `delete(Model)` without a key does not type-check.)
   */
  delete<O extends Pick<PersistentMethods, 'key'>>(
    object: O extends abstract new (...args: never) => unknown ? never : O,
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

interface Pending {
  action: TransactionAction;
  /** Why this action's condition failed, when it did. */
  explain(backend: StorageBackend): Promise<string>;
  /** The item an object's save, create or delete writes, and the version it holds. */
  object?: {
    location: ItemLocation;
    expectedVersion: number | bigint | undefined;
    /** An object whose own delete removed its item (see `ObjectDelete`). */
    gone?: boolean;
  };
  afterCommit?: () => void;
}

/**
 * The message of a reason `explain` told apart, for an object's action: the one the same call
 * alone throws (`ConflictError` also names the caller's own cause, a version the object moved
 * itself); else the engine's.
 */
function explainedMessage(code: string, entry: Pending, engineMessage: string): string {
  const { object } = entry;
  if (object === undefined) return engineMessage;
  // Not a version someone else moved: the object stands for no item (its delete() alone would
  // answer false); whatever holds its key now is another writer's, and is left alone.
  if (code === 'CONFLICT' && object.gone)
    return `${describeItem(object.location)} was deleted by this object's own delete() already: the object stands for no stored item`;
  if (code === 'CONFLICT')
    return new ConflictError(object.location, object.expectedVersion).message;
  if (code === 'ALREADY_EXISTS') return new AlreadyExistsError(object.location).message;
  return engineMessage;
}

function locationOf(model: ModelDescriptor, key: ItemKey): ItemLocation {
  return { model: model.name, table: model.table.name, key };
}

const conditionFailed = async () => 'CONDITION_FAILED';

function descriptorOf(object: object): ModelDescriptor {
  const descriptor = (
    typeof object === 'object' && object !== null ? modelClassOf(object)?.descriptor : undefined
  ) as ModelDescriptor | undefined;
  if (!descriptor)
    throw new InvalidRequestError('Transactions take objects of persistent model classes');
  return descriptor;
}

// The model of a class given to delete, update or check: a persistent model class's.
function classDescriptor(type: unknown): ModelDescriptor {
  const descriptor =
    typeof type === 'function' ? (type as { descriptor?: unknown }).descriptor : undefined;
  if (typeof descriptor !== 'object' || descriptor === null || !('table' in descriptor))
    throw new InvalidRequestError('Transactions take persistent model classes');
  return descriptor as ModelDescriptor;
}

/** Runs `build` to collect writes, then applies them all or none. */
export async function runTransaction(
  context: PersistenceContext,
  build: (transaction: Transaction) => void | Promise<void>,
): Promise<void> {
  if (typeof build !== 'function')
    throw new InvalidRequestError('transaction() takes a function that adds its writes');
  const backend = requireBackend(context);
  if (!backend.capabilities.transactions) {
    throw new UnsupportedOperationError(`The ${backend.name} backend has no transactions`);
  }
  const pending: Pending[] = [];
  // Open while the callback runs: a write added after it (a promise it did not await) would
  // never be made, so it is refused.
  let open = true;
  const checkOpen = () => {
    if (!open)
      throw new InvalidRequestError(
        'This transaction is over: its callback has returned, and a write added after it (in a promise the callback did not await) would never be made',
      );
  };
  // An object or class of an API on another backend would be written through this one's,
  // under its own table's name (an API on the same backend names its own tables: it may).
  const ofThisApi = (model: ModelDescriptor) => {
    if (modelContext(model)?.backend !== backend)
      throw new InvalidRequestError(
        `${shownName(model.name)} belongs to an API (a loadApi) on another backend than this transaction's: nothing was written`,
      );
    return model;
  };
  const put = (object: object, mode: 'save' | 'create', condition?: Condition) => {
    checkOpen();
    const model = ofThisApi(descriptorOf(object));
    const prepared = prepareObjectWrite(
      model,
      object,
      mode,
      backend.capabilities.maxItemBytes,
      condition,
    );
    pending.push({
      action: {
        kind: 'put',
        model,
        item: prepared.item,
        ...(prepared.condition ? { condition: prepared.condition } : {}),
      },
      explain: (engine) => prepared.explainFailure(engine),
      object: {
        location: locationOf(model, prepared.key),
        expectedVersion: prepared.expectedVersion,
      },
      afterCommit: () => prepared.commit(),
    });
  };
  const deleteObjectAt = (object: object, options: WriteOptions | undefined) => {
    const model = ofThisApi(descriptorOf(object));
    const target = prepareObjectDelete(model, object);
    const callerCondition = callOptions(
      options,
      'transaction delete()',
      writeOptionNames,
    ).condition;
    const condition = withCallerCondition(
      callerCondition,
      deleteCondition(model, target.expectedVersion, target.gone),
    );
    pending.push({
      action: { kind: 'delete', model, key: target.key, ...(condition ? { condition } : {}) },
      explain: (engine) => explainObjectDelete(engine, model, target, callerCondition),
      object: {
        location: locationOf(model, target.key),
        expectedVersion: target.expectedVersion,
        gone: target.gone,
      },
      // As after its own delete(): saved again, it is written only where no item has its key.
      afterCommit: () => markDeleted(object, true),
    });
  };
  const transaction: Transaction = {
    save: (object, options) =>
      put(object, 'save', callOptions(options, 'transaction save()', writeOptionNames).condition),
    create: (object: object, unexpected?: object) => {
      callOptions(unexpected, 'transaction create()', noOptionNames);
      put(object, 'create');
    },
    delete(target: unknown, keyOrOptions?: unknown, classOptions?: WriteOptions) {
      checkOpen();
      // An object (not a class): its own delete, at its version.
      if (typeof target !== 'function') {
        deleteObjectAt(target as object, keyOrOptions as WriteOptions | undefined);
        return;
      }
      const model = ofThisApi(classDescriptor(target));
      const condition = withCallerCondition(
        callOptions(classOptions, 'transaction delete()', writeOptionNames).condition,
        modelConditions(model).absentOrOwn,
      );
      pending.push({
        action: {
          kind: 'delete',
          model,
          key: toItemKey(model, keyOrOptions as KeyInput),
          ...(condition ? { condition } : {}),
        },
        explain: conditionFailed,
      });
    },
    update(type, key, changes, options) {
      checkOpen();
      const model = ofThisApi(classDescriptor(type));
      const { operations, condition } = prepareUpdate(
        model,
        changes as UpdateChanges,
        callOptions(options, 'transaction update()', writeOptionNames).condition,
      );
      const itemKey = toItemKey(model, key);
      checkModelUpdateSize(model.name, operations, itemKey, backend.capabilities.maxItemBytes);
      pending.push({
        action: { kind: 'update', model, key: itemKey, operations, condition },
        explain: conditionFailed,
      });
    },
    check(type, key, condition) {
      checkOpen();
      const model = ofThisApi(classDescriptor(type));
      checkCondition(condition, 'check() condition');
      // And-ed with the model's own condition, and checked against DynamoDB's limits as a whole.
      const checked = withCallerCondition(condition, modelConditions(model).absentOrOwn)!;
      pending.push({
        action: { kind: 'check', model, key: toItemKey(model, key), condition: checked },
        explain: conditionFailed,
      });
    },
  };
  try {
    await build(transaction);
  } finally {
    open = false;
  }
  if (pending.length === 0) return;
  if (pending.length > backend.capabilities.maxTransactionActions) {
    throw new InvalidRequestError(
      `A transaction takes at most ${backend.capabilities.maxTransactionActions} actions, not ${pending.length}`,
    );
  }
  checkTransactionSize(pending.map((entry) => entry.action));
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
    if (InvalidRequestError.isInstance(error))
      throw (await updateVersionNotANumber(backend, pending, error)) ?? error;
    if (!TransactionCanceledError.isInstance(error)) throw error;
    const reasons: TransactionCancelReason[] = await Promise.all(
      error.reasons.map(async (reason) => {
        const entry = pending[reason.index];
        if (reason.code !== 'CONDITION_FAILED' || !entry) return reason;
        try {
          const code = await entry.explain(backend);
          return { ...reason, code, message: explainedMessage(code, entry, reason.message) };
        } catch (failure) {
          // The cancellation is certain; only which of the action's conditions failed is not.
          return {
            ...reason,
            message: failure instanceof Error ? failure.message : reason.message,
          };
        }
      }),
    );
    throw new TransactionCanceledError(reasons, { cause: error });
  }
  // Every object learns its new version, whatever one of them does (see prepareObjectWrite).
  for (const entry of pending) entry.afterCommit?.();
}

// A transaction refused as `update()` is for an item whose version holds no number (see
// `versionNotANumber`): its updates of versioned models are read to tell which one it is.
async function updateVersionNotANumber(
  backend: StorageBackend,
  pending: readonly Pending[],
  refusal: InvalidRequestError,
): Promise<InvalidRequestError | undefined> {
  for (const { action } of pending) {
    if (action.kind !== 'update' || action.model.versionAttribute === undefined) continue;
    const { model, key } = action;
    const found = await versionNotANumber(
      model,
      key,
      () => backend.getItem({ model, key, consistent: true }),
      refusal,
    );
    if (found) return found;
  }
  return undefined;
}
