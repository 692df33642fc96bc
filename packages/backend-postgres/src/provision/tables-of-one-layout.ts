import type { TableDescriptor } from '@macaron/core';
import { keyTypeClash, TableMismatchError, tablesOfOneCall } from '@macaron/core/backend';

/**
 * The tables of a provisioning call, one per name, as `tablesOfOneCall` gives them, each one a
 * table layout can hold. Two listings of one table (two specs, one prefix) whose indexes key
 * one attribute as a string in one and as a number in the other cannot both be made, since the
 * attribute's column holds one type: `TableMismatchError`, nothing made, as the second of two
 * calls in turn is refused; or, with `clashes`, the difference recorded and the first listing
 * kept (a plan). One listing that does so alone is left to `tableLayout`, which refuses it.
 */
export function tablesOfOneLayout(
  tables: readonly TableDescriptor[],
  clashes?: Map<string, string[]>,
): TableDescriptor[] {
  const found = clashes ?? new Map<string, string[]>();
  // PostgreSQL has no time to live: listings that name other TTL attributes are one table.
  const distinct = tablesOfOneCall(tables, found, { timeToLive: false }).map((table) => {
    if (found.has(table.name)) return table;
    const listings = tables.filter((listed) => listed.name === table.name);
    const clash = listings.some((listed) => keyTypeClash([listed]))
      ? undefined
      : keyTypeClash(listings);
    if (clash === undefined) return table;
    const specNames = listings.map((listed) => listed.specName).join(' and ');
    found.set(table.name, [
      `two tables of the call are named ${table.name}, with ${clash} (${specNames}, from two specs?): only one can be made`,
    ]);
    return listings[0]!;
  });
  const [refused] = clashes ? [] : found;
  if (refused) throw new TableMismatchError(refused[0], refused[1]);
  return distinct;
}
