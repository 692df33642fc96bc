import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownName } from '../errors/shown-name.js';
import { sameValue } from '../schema/same-value.js';
import type { Condition } from './condition.js';
import { readModelItemForExplanation } from './explanation-read.js';
import { keyOfItem, toItemKey } from './item-key.js';
import { deletedItself, LoadableObject, refuseProxiedObject } from './loaded-objects.js';
import { modelConditions } from './model-conditions.js';
import { isWholeVersion } from './next-version.js';
import { checkKeyHeld } from './object-write.js';
import type { StorageBackend } from './storage-backend.js';
import type { ItemKey, StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';

/** What an object's delete removes: its item's key, and the version it must hold, if any. */
export interface ObjectDelete {
  key: ItemKey;
  /** The version the object holds, on a model with a version property (undefined: none). */
  expectedVersion: number | bigint | undefined;
  /**
   * The object's own delete (or a transaction's) removed its item and it was not saved since:
   * it stands for no item, so whatever holds its key now, even at the version it holds (a
   * create starts again at 1), is another writer's, never its to delete.
   */
  gone: boolean;
}

/** The key of an object; not `object.key()`, which a property named `key` may shadow. */
export function keyOfObject(model: ModelDescriptor, object: object): ItemKey {
  return toItemKey(model, keyOfItem(model, object as StoredItem));
}

/** The version an object holds, on a model with a version property (undefined: none). */
export function versionOf(model: ModelDescriptor, object: object): number | bigint | undefined {
  const name = model.versionAttribute;
  if (name === undefined || !Object.hasOwn(object, name)) return undefined;
  const version = (object as Record<string, unknown>)[name];
  // Another client's 2.5 or -1 is no version: the delete is refused (refuseLostVersion).
  return isWholeVersion(version) ? version : undefined;
}

/**
 * An object's delete, inside a transaction or not: refused (`InvalidRequestError`) for a Proxy
 * of the object, or a versioned object whose key changed since it was read or saved (its
 * version is the old item's).
 */
export function prepareObjectDelete(model: ModelDescriptor, object: object): ObjectDelete {
  refuseProxiedObject(object);
  const key = keyOfObject(model, object);
  const expectedVersion = versionOf(model, object);
  if (expectedVersion !== undefined) checkKeyHeld(model, object, key);
  else refuseLostVersion(model, object);
  // On a model without a version, a delete is the key's, as a save is: nothing to keep apart.
  return {
    key,
    expectedVersion,
    gone: model.versionAttribute !== undefined && deletedItself(object),
  };
}

// Without a version the delete takes whatever is stored: not for an object whose version
// property holds no version, nor for one read or saved at a version that has lost it since
// (another writer's newer item would be deleted unseen, where save() conflicts).
function refuseLostVersion(model: ModelDescriptor, object: object): void {
  const name = model.versionAttribute;
  if (name === undefined) return;
  const held = Object.hasOwn(object, name);
  if (!held && !LoadableObject.recordedVersioned(object)) return;
  throw new InvalidRequestError(
    held
      ? `This ${shownName(model.name)}'s version property ${shownName(name)} holds no version (a whole number): nothing was deleted (${shownName(model.name)}.delete(key) deletes the item whatever version it holds)`
      : `This ${shownName(model.name)} was read or saved at a version and its version property ${shownName(name)} was removed since: nothing was deleted (${shownName(model.name)}.delete(key) deletes whatever version is stored)`,
  );
}

/**
 * The condition a delete needs for itself: with `expectedVersion`, an item of this model at
 * that version (so a missing item fails it too); without, no item or one of this model's. For
 * an object that stands for no item (`gone`), one that never holds: a transaction deleting it
 * is cancelled, whatever holds its key.
 */
export function deleteCondition(
  model: ModelDescriptor,
  expectedVersion: number | bigint | undefined,
  gone = false,
): Condition | undefined {
  const own = modelConditions(model);
  if (gone) return { and: [own.absent, own.existing] } as Condition;
  const versionName = model.versionAttribute;
  if (versionName === undefined || expectedVersion === undefined) return own.absentOrOwn;
  const atVersion: Condition = { attr: versionName, eq: expectedVersion };
  // On a table models share, the version must be one of this model's items'.
  return own.absentOrOwn ? ({ and: [own.existing, atVersion] } as Condition) : atVersion;
}

/**
 * Which condition of a transaction's failed object delete did not hold: the version (the item
 * moved, or is gone: `CONFLICT`) or the caller's (`CONDITION_FAILED`), as a save's failure is
 * told. Without a version, only a condition can have failed.
 */
export async function explainObjectDelete(
  backend: StorageBackend,
  model: ModelDescriptor,
  { key, expectedVersion, gone }: ObjectDelete,
  callerCondition: Condition | undefined,
): Promise<'CONFLICT' | 'CONDITION_FAILED'> {
  // Its item is gone: deleted by the object itself, not by a condition of the caller's.
  if (gone) return 'CONFLICT';
  const versionName = model.versionAttribute;
  if (versionName === undefined || expectedVersion === undefined) return 'CONDITION_FAILED';
  // Only the version can have failed: no read needed to say so.
  if (callerCondition === undefined) return 'CONFLICT';
  // Read after the fact: only to say which condition failed, never to decide a write.
  const { current, storedVersion } = await readModelItemForExplanation(
    backend,
    model,
    key,
    "the caller's condition failed, or the stored version moved",
  );
  return current && sameValue(storedVersion, expectedVersion) ? 'CONDITION_FAILED' : 'CONFLICT';
}
