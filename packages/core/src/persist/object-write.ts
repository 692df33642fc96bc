import { InvalidRequestError } from '../errors/persistence-errors.js';
import { shownJson, shownName } from '../errors/shown-name.js';
import { ValidationError } from '../errors/validation-error.js';
import { propertySchema } from '../schema/copy-value.js';
import { appendPointer } from '../schema/json-pointer.js';
import { ownProperty, setOwnProperty } from '../schema/own-property.js';
import { sameValue } from '../schema/same-value.js';
import { keepsBound, numberBounds } from './add-bounds.js';
import type { Condition } from './condition.js';
import { readModelItemForExplanation } from './explanation-read.js';
import { keyOfItem } from './item-key.js';
import { deletedItself, LoadableObject, loadedItemOf, markDeleted } from './loaded-objects.js';
import { modelConditions, withCallerCondition } from './model-conditions.js';
import { isWholeVersion, nextVersion } from './next-version.js';
import type { StorageBackend } from './storage-backend.js';
import { declaredDiscriminator, toStoredItem } from './stored-form.js';
import type { ItemKey, StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';

/** A validated whole-object write, with the condition it needs and what to do once it landed. */
export interface ObjectWrite {
  /** The item to store (with the next version, where the model has one). */
  item: StoredItem;
  /** Its key. */
  key: ItemKey;
  /** The condition to send: the write's own, and the caller's. */
  condition: Condition | undefined;
  /** The version the object was read at (undefined: never stored, or stored without one). */
  expectedVersion: number | bigint | undefined;
  /** Records the new version on the object once the write landed. */
  commit(): void;
  /** Why the write's condition failed: the key is taken, the version moved, or the caller's condition. */
  explainFailure(
    backend: StorageBackend,
  ): Promise<'ALREADY_EXISTS' | 'CONFLICT' | 'CONDITION_FAILED'>;
}

/**
 * Prepares `save` (optimistic locking through the version property: the stored version
 * must be the one the object holds; when it holds none, no item may have the key, unless
 * the object was loaded from an item another client wrote without one, which must still
 * be there without one) or `create` (no item may have the key). Shared by single writes
 * and transactions.
 */
export function prepareObjectWrite(
  model: ModelDescriptor,
  object: object,
  mode: 'save' | 'create',
  maxItemBytes: number,
  callerCondition?: Condition,
): ObjectWrite {
  const item = toStoredItem(model, object, maxItemBytes);
  const key = keyOfItem(model, item);
  const own = modelConditions(model);
  const versionName = model.versionAttribute;
  // A null version (a nullable property, or NULL as PyMacaron stored an unset one) is none.
  // An object whose own delete() removed its item stands for no stored item: saved again, it
  // is written only where no item has the key (another writer's made since is not overwritten).
  const deleted = deletedItself(object);
  const expectedVersion =
    versionName === undefined || mode === 'create' || deleted
      ? undefined
      : ((ownProperty(item, versionName) ?? undefined) as number | bigint | undefined);
  const loadedWithoutVersion =
    mode === 'save' &&
    expectedVersion === undefined &&
    !deleted &&
    loadedItemOf(object) !== undefined;
  if (expectedVersion !== undefined) {
    checkWholeVersion(model, versionName!, expectedVersion);
    checkKeyHeld(model, object, key);
  }
  let needed: Condition | undefined;
  if (mode === 'create') needed = own.absent;
  else if (versionName !== undefined) {
    if (loadedWithoutVersion)
      needed = {
        and: [
          own.existing,
          {
            or: [
              { attr: versionName, exists: false },
              { attr: versionName, eq: null },
            ],
          },
        ],
      };
    else
      needed =
        expectedVersion === undefined ? own.absent : { attr: versionName, eq: expectedVersion };
  }
  // Own properties: a version named `__proto__` is an attribute like any other.
  if (versionName !== undefined) {
    setOwnProperty(item, versionName, checkedNextVersion(model, versionName, expectedVersion));
    checkVersionSettable(model, object, versionName);
  }
  const showDiscriminator = discriminatorShown(model, object);
  return {
    item,
    key,
    condition: withCallerCondition(callerCondition, needed),
    expectedVersion,
    commit() {
      markDeleted(object, false);
      showDiscriminator?.();
      if (versionName === undefined) return;
      try {
        setOwnProperty(object, versionName, ownProperty(item, versionName));
      } catch {
        // Frozen or sealed since it was checked (while the write was in flight): the write has
        // landed, so nothing is thrown for it; the object keeps its old version, and its next
        // save is a ConflictError rather than an overwrite.
        return;
      }
      const { partitionKey, sortKey } = model.table;
      LoadableObject.recordKey(object, key[partitionKey.name], sortKey && key[sortKey.name], true);
    },
    async explainFailure(backend) {
      if (mode === 'create') return 'ALREADY_EXISTS';
      if (versionName === undefined) return 'CONDITION_FAILED';
      // Only the version can have failed: no read needed to say so.
      if (callerCondition === undefined) return 'CONFLICT';
      // Read after the fact: only to say which condition failed, never to decide a write.
      const { current, storedVersion } = await readModelItemForExplanation(
        backend,
        model,
        key,
        "the caller's condition failed, or the stored version moved",
      );
      const versionHeld = loadedWithoutVersion
        ? current !== undefined && (storedVersion === undefined || storedVersion === null)
        : expectedVersion === undefined
          ? current === undefined
          : sameValue(storedVersion, expectedVersion);
      return versionHeld ? 'CONDITION_FAILED' : 'CONFLICT';
    },
  };
}

/**
 * A declared discriminator the object leaves out is stored with the model's value: the object
 * shows it once written, as a loaded one does (P-76). Returns what sets it then, or undefined
 * when there is nothing to show or the object cannot take it (frozen, a read-only property).
 */
export function discriminatorShown(
  model: ModelDescriptor,
  object: object,
): (() => void) | undefined {
  const name = declaredDiscriminator(model);
  if (
    name === undefined ||
    Object.hasOwn(object, name) ||
    !Object.isExtensible(object) ||
    readOnlyInherited(object, name)
  )
    return undefined;
  return () => {
    try {
      setOwnProperty(object, name, model.discriminatorValue);
    } catch {
      // A subclass's setter that refuses it: the item is written all the same.
    }
  };
}

/**
 * Refuses, before anything is written, an object that could not take its new version once the
 * write landed (frozen, sealed without the property, a read-only or getter-only property): the
 * item would be written, and the object left behind it, to fail its next save.
 */
function checkVersionSettable(model: ModelDescriptor, object: object, versionName: string): void {
  const own = Object.getOwnPropertyDescriptor(object, versionName);
  const settable = own
    ? own.writable === true || own.set !== undefined
    : Object.isExtensible(object) && !readOnlyInherited(object, versionName);
  if (!settable)
    throw new InvalidRequestError(
      `${shownName(model.name)}: the object cannot take its new version ${shownName(versionName)} (frozen, sealed or read-only): nothing was written; save a copy ({ ...object }) or a new object`,
    );
}

// A getter without a setter, or a read-only data property, up the prototype chain.
function readOnlyInherited(object: object, name: string): boolean {
  for (
    let prototype = Object.getPrototypeOf(object);
    prototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    const found = Object.getOwnPropertyDescriptor(prototype, name);
    if (found)
      return found.writable === false || (found.get !== undefined && found.set === undefined);
  }
  return false;
}

/**
 * The version a save stores, within the bounds of the version property's schema: past them
 * (2^53 for an `integer` without `format: int64`, the int64 range, a `maximum`) the item
 * could never be saved again, so the save is refused before anything is sent.
 */
function checkedNextVersion(
  model: ModelDescriptor,
  versionName: string,
  current: number | bigint | undefined,
): number | bigint {
  const next = nextVersion(current);
  for (const bound of numberBounds(propertySchema(model.schema, versionName))) {
    if (keepsBound(next, bound)) continue;
    throw new ValidationError(`Invalid ${shownName(model.name)}`, [
      {
        pointer: appendPointer('', versionName),
        keyword: bound.keyword,
        message: `the next version, ${String(next)}, would break ${bound.description}`,
      },
    ]);
  }
  return next;
}

/**
 * Refuses, before anything is written, a save at a version Macaron never writes (another
 * client's 2.5 or -1, in a `number` property or one without `type`): no next version follows
 * from it, and the item keeps it (P-24).
 */
function checkWholeVersion(model: ModelDescriptor, versionName: string, version: unknown): void {
  if (isWholeVersion(version)) return;
  throw new ValidationError(`Invalid ${shownName(model.name)}`, [
    {
      pointer: appendPointer('', versionName),
      keyword: 'version',
      message: `must be a version, a whole number from 0, not ${shownJson(version)}: nothing was written (${shownName(model.name)}.delete(key) deletes the item whatever version it holds)`,
    },
  ]);
}

/**
 * A versioned object stands for the item it was read from or written as: with another key,
 * its version would be checked against another item (a misleading `ConflictError` on save,
 * another item deleted on delete), so a changed key is refused before anything is sent.
 */
export function checkKeyHeld(model: ModelDescriptor, object: object, key: ItemKey): void {
  const held = LoadableObject.recordedKey(object);
  if (!held) return;
  const { partitionKey, sortKey } = model.table;
  if (
    sameValue(held.partition, key[partitionKey.name]) &&
    (!sortKey || sameValue(held.sort, key[sortKey.name]))
  )
    return;
  throw new InvalidRequestError(
    `This ${shownName(model.name)} was read or saved under another key, and its version is that item's: save() or delete() it under that key; to store a copy under this one, build a new object without the version property and create() it`,
  );
}
