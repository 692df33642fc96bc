import {
  ConditionFailedError,
  InvalidRequestError,
  ItemNotFoundError,
} from '../../errors/persistence-errors.js';
import { readForExplanation } from '../explanation-read.js';
import type { KeyInput } from '../item-key.js';
import { callOptions } from '../read-request.js';
import type { UpdateChanges } from '../update-changes.js';
import { prepareUpdate } from '../update-request.js';
import { checkModelUpdateSize } from '../updated-item-size.js';
import { versionNotANumber } from '../version-not-a-number.js';
import { type WriteOptions, writeOptionNames } from './item-writes.js';
import type { Constructor, ModelRuntime } from './model-runtime.js';

/** Applies changes atomically and returns the object as stored afterwards. */
export async function updateObject<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  key: KeyInput,
  changes: UpdateChanges,
  given?: WriteOptions,
): Promise<M> {
  const options = callOptions(given, 'update()', writeOptionNames);
  const itemKey = runtime.itemKey(key);
  const prepared = prepareUpdate(runtime.model, changes, options.condition);
  const backend = runtime.backend();
  checkModelUpdateSize(
    runtime.model.name,
    prepared.operations,
    itemKey,
    backend.capabilities.maxItemBytes,
  );
  try {
    const item = await backend.updateItem({
      model: runtime.model,
      key: itemKey,
      operations: prepared.operations,
      condition: prepared.condition,
    });
    return runtime.instantiate(type, item);
  } catch (error) {
    if (InvalidRequestError.isInstance(error))
      throw (
        (await versionNotANumber(
          runtime.model,
          itemKey,
          () => runtime.readItem(itemKey, { consistent: true }),
          error,
        )) ?? error
      );
    if (!ConditionFailedError.isInstance(error)) throw error;
    // Without a caller's condition or a bound to keep, only "the item exists" can fail.
    const stored = prepared.onlyExistenceChecked
      ? undefined
      : await readForExplanation(
          () => runtime.readItem(itemKey, { consistent: true }),
          "the caller's condition or a bound failed, or there is no item under the key",
        );
    if (!stored) throw new ItemNotFoundError(runtime.location(itemKey), { cause: error });
    throw prepared.explainFailure(stored, error);
  }
}
