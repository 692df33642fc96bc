import { ConditionFailedError, ItemNotFoundError } from '../../errors/persistence-errors.js';
import { readForExplanation } from '../explanation-read.js';
import type { KeyInput } from '../item-key.js';
import { withCallerCondition } from '../model-conditions.js';
import { toUpdateOperations, type UpdateChanges } from '../update-changes.js';
import type { WriteOptions } from './item-writes.js';
import type { Constructor, ModelRuntime } from './model-runtime.js';

/** Applies changes atomically and returns the object as stored afterwards. */
export async function updateObject<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  key: KeyInput,
  changes: UpdateChanges,
  options: WriteOptions = {},
): Promise<M> {
  const itemKey = runtime.itemKey(key);
  const operations = toUpdateOperations(runtime.model, changes);
  const condition = withCallerCondition(options.condition, runtime.own.existing)!;
  try {
    const item = await runtime.backend().updateItem({
      model: runtime.model,
      key: itemKey,
      operations,
      condition,
    });
    return runtime.instantiate(type, item);
  } catch (error) {
    if (!ConditionFailedError.isInstance(error)) throw error;
    // Without a caller's condition, only "the item exists" can fail.
    const missing =
      options.condition === undefined ||
      !(await readForExplanation(
        () => runtime.readItem(itemKey, { consistent: true }),
        "the caller's condition failed, or there is no item under the key",
      ));
    if (missing) throw new ItemNotFoundError(runtime.location(itemKey), { cause: error });
    throw error;
  }
}
