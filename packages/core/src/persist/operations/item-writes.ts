import {
  AlreadyExistsError,
  ConditionFailedError,
  ConflictError,
} from '../../errors/persistence-errors.js';
import type { Condition } from '../condition.js';
import { readForExplanation } from '../explanation-read.js';
import type { KeyInput } from '../item-key.js';
import { withCallerCondition } from '../model-conditions.js';
import { prepareObjectWrite } from '../object-write.js';
import { belongsToModel } from '../stored-form.js';
import type { ModelRuntime } from './model-runtime.js';

/** Options of conditional writes. */
export interface WriteOptions {
  /** The write happens only if this holds for the stored item; else `ConditionFailedError`. */
  condition?: Condition;
}

/**
 * Validates and writes a whole object: `save` (over the version it was read at, where the
 * model has one) or `create` (never over an existing item). A failed condition is told
 * apart as `AlreadyExistsError`, `ConflictError` or the caller's `ConditionFailedError`.
 */
export async function writeObject(
  runtime: ModelRuntime,
  object: object,
  mode: 'save' | 'create',
  options: WriteOptions = {},
): Promise<void> {
  const backend = runtime.backend();
  const prepared = prepareObjectWrite(
    runtime.model,
    object,
    mode,
    backend.capabilities.maxItemBytes,
    options.condition,
  );
  const { item, condition } = prepared;
  try {
    await backend.putItem({ model: runtime.model, item, ...(condition ? { condition } : {}) });
  } catch (error) {
    if (!ConditionFailedError.isInstance(error)) throw error;
    const reason = await prepared.explainFailure(backend);
    const location = runtime.location(prepared.key);
    if (reason === 'ALREADY_EXISTS') throw new AlreadyExistsError(location, { cause: error });
    if (reason === 'CONFLICT')
      throw new ConflictError(location, prepared.expectedVersion, { cause: error });
    throw error;
  }
  prepared.commit();
}

/** Deletes the item under a key; true when there was one of this model's. */
export async function deleteObject(
  runtime: ModelRuntime,
  key: KeyInput,
  options: WriteOptions = {},
): Promise<boolean> {
  const itemKey = runtime.itemKey(key);
  const { model, own } = runtime;
  const condition = withCallerCondition(options.condition, own.absentOrOwn);
  try {
    // Only whether there was an item matters: one that cannot be read is still deleted.
    const old = await runtime.backend().deleteItem({
      model,
      key: itemKey,
      ...(condition ? { condition } : {}),
      answer: 'presence',
    });
    return old !== undefined;
  } catch (error) {
    if (!ConditionFailedError.isInstance(error) || !own.absentOrOwn) throw error;
    // Without a caller's condition, only the model's own can fail: the key holds another
    // model's item, so for this model there was none.
    if (options.condition === undefined) return false;
    const stored = await readForExplanation(
      () => runtime.backend().getItem({ model, key: itemKey, consistent: true }),
      "the caller's condition failed, or the key holds another model's item",
    );
    if (stored && !belongsToModel(model, stored)) return false;
    throw error;
  }
}
