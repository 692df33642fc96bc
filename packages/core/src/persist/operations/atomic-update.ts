import {
  ConditionFailedError,
  formatKey,
  InvalidRequestError,
  ItemNotFoundError,
} from '../../errors/persistence-errors.js';
import { shownJson, shownName } from '../../errors/shown-name.js';
import { readForExplanation } from '../explanation-read.js';
import type { KeyInput } from '../item-key.js';
import { callOptions } from '../read-request.js';
import type { ItemKey } from '../stored-value.js';
import type { UpdateChanges } from '../update-changes.js';
import { prepareUpdate } from '../update-request.js';
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
  try {
    const item = await runtime.backend().updateItem({
      model: runtime.model,
      key: itemKey,
      operations: prepared.operations,
      condition: prepared.condition,
    });
    return runtime.instantiate(type, item);
  } catch (error) {
    if (InvalidRequestError.isInstance(error))
      throw (await versionNotANumber(runtime, itemKey, error)) ?? error;
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

/**
 * An update refused because the item's version property holds no number (another client's
 * "3", true, a map), which the update's own increment cannot add 1 to: the engine's refusal
 * names no attribute, and the caller's changes are not at fault. Said so, with the way to mend
 * the item, when a read of the item shows it; undefined otherwise (or if that read fails: the
 * refusal stands as the engine gave it).
 */
async function versionNotANumber(
  runtime: ModelRuntime,
  key: ItemKey,
  refusal: InvalidRequestError,
): Promise<InvalidRequestError | undefined> {
  const name = runtime.model.versionAttribute;
  if (name === undefined) return undefined;
  const stored = await runtime.readItem(key, { consistent: true }).catch(() => undefined);
  if (!stored || !Object.hasOwn(stored, name)) return undefined;
  const version = stored[name];
  if (typeof version === 'number' || typeof version === 'bigint') return undefined;
  const model = shownName(runtime.model.name);
  return new InvalidRequestError(
    `${model} ${formatKey(key)}: its version property ${shownName(name)} holds ${shownJson(version)}, not a number, which update() cannot add 1 to; nothing was written (${model}.delete(key) deletes the item whatever version it holds)`,
    { cause: refusal },
  );
}
