import {
  AlreadyExistsError,
  ConditionFailedError,
  ConflictError,
} from '../../errors/persistence-errors.js';
import { evaluateCondition } from '../../evaluate/evaluate-condition.js';
import { sameValue } from '../../schema/same-value.js';
import type { Condition } from '../condition.js';
import { readModelItemForExplanation } from '../explanation-read.js';
import type { KeyInput } from '../item-key.js';
import { withCallerCondition } from '../model-conditions.js';
import { deleteCondition } from '../object-delete.js';
import { prepareObjectWrite } from '../object-write.js';
import { optionNames } from '../option-names.js';
import { callOptions } from '../read-request.js';
import type { ModelRuntime } from './model-runtime.js';

/** Options of conditional writes. */
export interface WriteOptions {
  /** The write happens only if this holds for the stored item; else `ConditionFailedError`. */
  condition?: Condition | undefined;
}

/** The keys `WriteOptions` may have; any other is refused (P-110). */
export const writeOptionNames = optionNames('condition');

/**
 * The keys of calls that take no options: `create` (its condition is that no item has the
 * key), `saveMany` and `deleteMany` (batches: no condition). An options object given to one
 * from JavaScript (`create({ condition })`) is refused, not dropped (P-110).
 */
export const noOptionNames = optionNames();

/**
 * Validates and writes a whole object: `save` (over the version it was read at, where the
 * model has one) or `create` (never over an existing item). A failed condition is told
 * apart as `AlreadyExistsError`, `ConflictError` or the caller's `ConditionFailedError`.
 */
export async function writeObject(
  runtime: ModelRuntime,
  object: object,
  mode: 'save' | 'create',
  given?: WriteOptions,
): Promise<void> {
  const options = callOptions(given, `${mode}()`, writeOptionNames);
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
    const { model } = runtime;
    // Two literals rather than a spread: this runs on every save.
    await backend.putItem(condition ? { model, item, condition } : { model, item });
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

/**
 * Deletes the item under a key; true when there was one of this model's. With
 * `expectedVersion` (an object's delete, on a model with a version property), only the item
 * at that version: `ConflictError` when the stored version moved, false when there is none.
 * `gone`: the object's own delete removed its item (see `ObjectDelete`): false, nothing sent,
 * once the options are checked.
 */
export async function deleteObject(
  runtime: ModelRuntime,
  key: KeyInput,
  given?: WriteOptions,
  expectedVersion?: number | bigint,
  gone = false,
): Promise<boolean> {
  const options = callOptions(given, 'delete()', writeOptionNames);
  const itemKey = runtime.itemKey(key);
  const { model } = runtime;
  const versionName = model.versionAttribute;
  const versioned = versionName !== undefined && expectedVersion !== undefined;
  const needed = deleteCondition(model, expectedVersion);
  const condition = withCallerCondition(options.condition, needed);
  // Its item is gone, by its own delete: what holds the key now is another writer's, even at
  // the version the object holds (a create starts again at 1), and is left alone.
  if (gone) return false;
  try {
    // Only whether there was an item matters: one that cannot be read is still deleted.
    const old = await runtime
      .backend()
      .deleteItem(
        condition
          ? { model, key: itemKey, condition, answer: 'presence' }
          : { model, key: itemKey, answer: 'presence' },
      );
    return old !== undefined;
  } catch (error) {
    if (!ConditionFailedError.isInstance(error) || !needed) throw error;
    // Without a caller's condition, only the model's own can fail: the key holds another
    // model's item (for this model there was none), or the version moved.
    if (options.condition === undefined && !versioned) return false;
    // Read after the fact: only to say which condition failed, never to decide a write.
    const { stored, current, storedVersion } = await readModelItemForExplanation(
      runtime.backend(),
      model,
      itemKey,
      versioned
        ? "the caller's condition failed, or the stored version moved"
        : "the caller's condition failed, or the key holds another model's item",
    );
    // No item at all: the caller's condition failed (P-8), as on a table of one model; an
    // object's versioned delete finds none and answers false. Another model's item: false.
    if (!stored && !versioned) throw error;
    if (!current) return false;
    if (versioned) {
      if (!sameValue(storedVersion, expectedVersion))
        throw new ConflictError(runtime.location(itemKey), expectedVersion, { cause: error });
      // At the same version, with no caller's condition or one the item meets: the item was gone
      // when the delete ran, and another was made since at that version (a delete, then a
      // create). The object's is gone; the other is not its to delete.
      if (options.condition === undefined || evaluateCondition(options.condition, current))
        return false;
    }
    throw error;
  }
}
