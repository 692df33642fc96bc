/** dynalite's storage module (`dynalite/db`), as far as `closeQueryStreams` uses it. */
export interface DynaliteQueries {
  queryTable?: (store: DynaliteStore, ...values: unknown[]) => unknown;
}

interface DynaliteStore {
  /** The level database under every table. */
  db?: LevelIterators;
  getItemDb(...values: unknown[]): ValueStreams;
  getIndexDb(...values: unknown[]): ValueStreams;
}

interface LevelIterators {
  values?: (...values: unknown[]) => LevelIterator;
  keys?: (...values: unknown[]) => LevelIterator;
}

interface LevelIterator {
  close?: () => Promise<void>;
  return?: () => Promise<unknown>;
}

interface ValueStreams {
  createValueStream(options: unknown): { destroy(): void };
}

const patched = new WeakSet<object>();

/**
 * Closes the store iterators behind dynalite's Queries and Scans. dynalite 4.0 reads a page
 * from a stream over an iterator of its level store, and closes the iterator, when the stream
 * is destroyed, with `iterator.return()`, which abstract-level 3's iterators lack (theirs is
 * `close()`); and it leaves a stream it stopped reading at the page's end as it is. So no
 * iterator was closed: the store held on to about 4 KB for every Query and Scan an engine had
 * served, and a service on `startLocalDynamoDb` grew for as long as it ran. The iterators are
 * given `return()`, and the streams a Query or Scan opened are destroyed once it has answered.
 */
export function closeQueryStreams(storage: DynaliteQueries): void {
  const queryTable = storage.queryTable;
  if (typeof queryTable !== 'function' || patched.has(storage)) return;
  patched.add(storage);
  storage.queryTable = function closingQueryTable(
    this: unknown,
    store: DynaliteStore,
    ...values: unknown[]
  ) {
    if (store.db) closableIterators(store.db);
    const opened: { destroy(): void }[] = [];
    const recording = (db: ValueStreams): ValueStreams => {
      const wrapped = Object.create(db) as ValueStreams;
      wrapped.createValueStream = (options) => {
        const stream = db.createValueStream(options);
        opened.push(stream);
        return stream;
      };
      return wrapped;
    };
    const view = Object.create(store) as DynaliteStore;
    view.getItemDb = (...names) => recording(store.getItemDb(...names));
    view.getIndexDb = (...names) => recording(store.getIndexDb(...names));
    const callback = values.at(-1) as (...results: unknown[]) => void;
    values[values.length - 1] = (...results: unknown[]) => {
      try {
        callback(...results);
      } finally {
        for (const stream of opened.splice(0)) stream.destroy();
      }
    };
    return queryTable.call(this, view, ...values);
  };
}

// Gives the store's iterators the `return()` dynalite closes them with.
function closableIterators(db: LevelIterators): void {
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
