import { InvalidRequestError, ItemNotFoundError } from '../../errors/persistence-errors.js';
import { shownName } from '../../errors/shown-name.js';
import { modelClassOf } from '../../schema/copy-value.js';
import { getMany, writeMany } from '../batch-operations.js';
import type { KeyInput } from '../item-key.js';
import { discriminatorShown } from '../object-write.js';
import { callOptions, checkFlag } from '../read-request.js';
import { storesSameItems } from '../same-stored-model.js';
import { belongsToModel } from '../stored-form.js';
import type { StoredItem } from '../stored-value.js';
import {
  type Constructor,
  type ModelRuntime,
  type ReadOptions,
  readOptionNames,
} from './model-runtime.js';

/**
 * Refuses what is not a list, and a list with a hole (`[, key]`), which `map` and `forEach`
 * would skip: found at once, however long the list says it is.
 */
function checkList(list: unknown, where: string, of: string): void {
  if (!Array.isArray(list)) throw new InvalidRequestError(`${where} takes a list of ${of}`);
  for (let index = 0; index < list.length; index++)
    if (!(index in list))
      throw new InvalidRequestError(
        `${where} takes a list of ${of} without holes: ${index} is one`,
      );
}

/** The objects under the keys, in the caller's order, undefined where none. */
export async function getObjects<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  keys: readonly KeyInput[],
  given?: ReadOptions,
): Promise<(M | undefined)[]> {
  checkList(keys, 'getMany()', 'keys');
  const options = callOptions(given, 'getMany()', readOptionNames);
  checkFlag(options.consistent, 'getMany() consistent');
  const itemKeys = keys.map((key) => runtime.itemKey(key));
  const items = await getMany(
    runtime.context,
    runtime.model,
    itemKeys,
    options.consistent === true,
  );
  // A key asked twice is read once: its second object copies the item the first took over.
  const built = new Set<StoredItem>();
  return items.map((item) => {
    if (!item || !belongsToModel(runtime.model, item)) return undefined;
    const shared = built.has(item);
    built.add(item);
    return runtime.instantiate(type, item, shared);
  });
}

/** The objects under the keys, in the caller's order; `ItemNotFoundError` for the first missing. */
export async function loadObjects<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  keys: readonly KeyInput[],
  options?: ReadOptions,
): Promise<M[]> {
  const found = await getObjects(runtime, type, keys, options);
  const missing = found.indexOf(undefined);
  if (missing >= 0) throw new ItemNotFoundError(runtime.location(runtime.itemKey(keys[missing]!)));
  return found as M[];
}

/** Validates every object, then writes them in chunks. */
export async function saveObjects(
  runtime: ModelRuntime,
  objects: readonly object[],
): Promise<void> {
  checkList(objects, 'saveMany()', 'objects');
  if (runtime.model.versionAttribute !== undefined) {
    throw new InvalidRequestError(
      `saveMany() cannot check ${shownName(runtime.model.name)}'s version; use save() or a transaction`,
    );
  }
  // Model objects of this model show a declared discriminator once written (P-76), as after save().
  const shown = objects.flatMap((object) => {
    if (typeof object !== 'object' || object === null) return [];
    if (!storesSameItems(runtime.model, modelClassOf(object)?.descriptor)) return [];
    return discriminatorShown(runtime.model, object) ?? [];
  });
  await writeMany(runtime.context, runtime.model, 'put', objects);
  for (const show of shown) show();
}

/** Deletes the items under the keys in chunks. */
export async function deleteObjects(
  runtime: ModelRuntime,
  keys: readonly KeyInput[],
): Promise<void> {
  checkList(keys, 'deleteMany()', 'keys');
  await writeMany(runtime.context, runtime.model, 'delete', keys);
}
