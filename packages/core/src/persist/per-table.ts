import type { IndexDescriptor, TableDescriptor } from './table-descriptor.js';

/**
 * `derive` of a table, made once a descriptor and kept: made again when the table's indexes
 * changed. A table models share gains the indexes of a model made persistent later (a
 * `persistent()` with options, after the others were used): core merges them into the same
 * descriptor, as a new list, so that the models made before see them. Anything derived from a
 * table's indexes is cached through this.
 */
export function perTable<T>(derive: (table: TableDescriptor) => T): (table: TableDescriptor) => T {
  const made = new WeakMap<
    TableDescriptor,
    { readonly indexes: readonly IndexDescriptor[]; readonly value: T }
  >();
  return (table) => {
    const found = made.get(table);
    if (found !== undefined && found.indexes === table.indexes) return found.value;
    const value = derive(table);
    made.set(table, { indexes: table.indexes, value });
    return value;
  };
}
