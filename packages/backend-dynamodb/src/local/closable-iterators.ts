/** dynalite's storage module (`dynalite/db`), as far as `closableIterators` uses it. */
export interface DynaliteStores {
  create?: (...values: unknown[]) => { db?: LevelIterators } | undefined;
}

interface LevelIterators {
  values?: (...values: unknown[]) => LevelIterator | undefined;
  keys?: (...values: unknown[]) => LevelIterator | undefined;
}

interface LevelIterator {
  close?: () => Promise<void>;
  return?: () => Promise<unknown>;
}

const patched = new WeakSet<object>();

/**
 * Gives the iterators of every store dynalite creates the `return()` it closes them with.
 * dynalite 4.0 reads a Query's or Scan's page from a stream over an iterator of its level
 * store, and closes the iterator when the stream is done with `iterator.return()`, which
 * abstract-level 3's iterators lack (theirs is `close()`): none was ever closed, and an engine
 * held on to about 4 KB for every Query and Scan it had served, for as long as it ran.
 */
export function closableIterators(storage: DynaliteStores): void {
  const create = storage.create;
  if (typeof create !== 'function' || patched.has(storage)) return;
  patched.add(storage);
  storage.create = function createClosable(this: unknown, ...values: unknown[]) {
    const store = create.apply(this, values);
    if (store?.db) withReturn(store.db);
    return store;
  };
}

function withReturn(db: LevelIterators): void {
  if (patched.has(db)) return;
  patched.add(db);
  for (const name of ['values', 'keys'] as const) {
    const open = db[name];
    if (typeof open !== 'function') continue;
    db[name] = function closableIterator(this: unknown, ...values: unknown[]) {
      const iterator = open.apply(this, values);
      if (typeof iterator?.close === 'function' && typeof iterator.return !== 'function')
        iterator.return = () => iterator.close!();
      return iterator;
    };
  }
}
