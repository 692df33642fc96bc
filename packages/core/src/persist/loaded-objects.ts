import { types } from 'node:util';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import type { SetAside } from '../schema/copy-value.js';
import type { StoredItem } from './stored-value.js';

/**
 * What a loaded object remembers of the item it was read from, beside its model values:
 * that it was read from the store (so a save over an item without the version property
 * updates that item instead of failing as a create), and the attributes another client
 * stored that a closed schema does not declare (written back unchanged, never dropped).
 * Kept out of the object itself, so its own properties stay exactly the model's.
 */
interface LoadedItem {
  /** Attributes of the stored item that the closed schema does not declare. */
  readonly undeclared: StoredItem | undefined;
  /** Values deeper in the item that the object leaves out (see `SetAside`). */
  readonly setAside?: readonly SetAside[];
}

const withoutUndeclared: LoadedItem = Object.freeze({ undeclared: undefined });

/**
 * The base of persistent model classes: what an object was loaded from is held in a private
 * field (invisible to `Object.keys`, JSON and `Reflect.ownKeys`), an order of magnitude
 * cheaper to set than a WeakMap entry per object read.
 */
export class LoadableObject {
  #loaded: LoadedItem | undefined = undefined;
  // The key of the item the object was last read from or written as (two fields, not an
  // object: nothing to allocate per object read).
  #keyed = false;
  #partition: unknown = undefined;
  #sort: unknown = undefined;
  // Whether that item held a version: a delete then needs the object to hold one still.
  #versioned = false;

  /**
   * Records on an object of a persistent class what it was read from and the key of that item
   * (see `recordKey`), with one check of its class; false for any other object.
   */
  static recordRead(
    object: object,
    loaded: LoadedItem,
    partition: unknown,
    sort: unknown,
    versioned: boolean,
  ): boolean {
    if (!(#loaded in object)) return false;
    object.#loaded = loaded;
    object.#keyed = true;
    object.#partition = partition;
    object.#sort = sort;
    object.#versioned = versioned;
    return true;
  }

  /**
   * Records the key of the item an object of a persistent class stands for, and whether that
   * item held a version.
   */
  static recordKey(object: object, partition: unknown, sort: unknown, versioned: boolean): void {
    if (!(#keyed in object)) return;
    object.#keyed = true;
    object.#partition = partition;
    object.#sort = sort;
    object.#versioned = versioned;
  }

  /** Whether the item an object was last read from or written as held a version. */
  static recordedVersioned(object: object): boolean {
    return #versioned in object && object.#versioned;
  }

  /** The key recorded by `recordKey` (undefined: none, or not a persistent class's object). */
  static recordedKey(object: object): { partition: unknown; sort: unknown } | undefined {
    return #keyed in object && object.#keyed
      ? { partition: object.#partition, sort: object.#sort }
      : undefined;
  }

  /** What an object of a persistent class was loaded from (undefined for any other object). */
  static recorded(object: object): LoadedItem | undefined {
    return #loaded in object ? object.#loaded : undefined;
  }
}

// Objects of other classes (never built by core's reads today): remembered beside them.
const loadedElsewhere = new WeakMap<object, LoadedItem>();

/**
 * Records that `object` was built from a stored item, and that item's key (`recordKey`; an
 * object of another class keeps no key).
 */
export function markRead(
  object: object,
  undeclared: StoredItem | undefined,
  setAside: readonly SetAside[] | undefined,
  partition: unknown,
  sort: unknown,
  versioned: boolean,
): void {
  const loaded =
    undeclared || setAside ? { undeclared, ...(setAside ? { setAside } : {}) } : withoutUndeclared;
  if (!LoadableObject.recordRead(object, loaded, partition, sort, versioned))
    loadedElsewhere.set(object, loaded);
}

/** What `object` keeps of the item it was read from, or undefined when it was not read. */
export function loadedItemOf(object: object): LoadedItem | undefined {
  return LoadableObject.recorded(object) ?? loadedElsewhere.get(object);
}

/**
 * Refuses a Proxy of a persistent class's object (Vue's `reactive`, MobX): what the object was
 * loaded from lives in private fields a Proxy does not show, so its save would drop another
 * client's attributes and pass the key and version checks by. Refused before anything is sent.
 */
export function refuseProxiedObject(object: object): void {
  if (!types.isProxy(object)) return;
  let persistent: boolean;
  try {
    persistent = object instanceof LoadableObject;
  } catch {
    // A revoked Proxy: nothing can be read through it.
    persistent = true;
  }
  if (persistent)
    throw new InvalidRequestError(
      "Writes take a model object itself, not a Proxy of it (Vue's toRaw, MobX's toJS give it): what it was loaded from is not visible through a Proxy; nothing was written",
    );
}

// Objects whose own delete() removed their item: their version no longer names an item, and a
// save must not match another writer's item made since at that same version.
const deletedThemselves = new WeakSet<object>();

/** Records that `object`'s delete() removed its item (until its next save). */
export function markDeleted(object: object, deleted: boolean): void {
  if (deleted) deletedThemselves.add(object);
  else deletedThemselves.delete(object);
}

/** Whether `object`'s delete() removed its item, and it was not saved since. */
export function deletedItself(object: object): boolean {
  return deletedThemselves.has(object);
}
