import type { TableDescriptor } from '@macaron/core';
import { compareText } from '../generate/type-identifiers.js';

/**
 * The tables as every export lists them, sorted and stable whatever the spec's order: one
 * per name, sorted by name, each with its indexes sorted by name.
 */
export function sortedTables(tables: readonly TableDescriptor[]): TableDescriptor[] {
  const unique = [...new Map(tables.map((table) => [table.name, table])).values()];
  return unique
    .sort((left, right) => compareText(left.name, right.name))
    .map((table) => ({
      ...table,
      indexes: [...table.indexes].sort((left, right) => compareText(left.name, right.name)),
    }));
}
