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
}

const loaded = new WeakMap<object, LoadedItem>();

/** Records that `object` was built from a stored item. */
export function markLoaded(object: object, undeclared: StoredItem | undefined): void {
  loaded.set(object, { undeclared });
}

/** What `object` keeps of the item it was read from, or undefined when it was not read. */
export function loadedItemOf(object: object): LoadedItem | undefined {
  return loaded.get(object);
}
