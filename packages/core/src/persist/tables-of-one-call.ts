import { TableMismatchError } from '../errors/provisioning-errors.js';
import {
  type IndexDescriptor,
  sameKeyAttribute,
  type TableDescriptor,
} from './table-descriptor.js';

/**
 * The tables of a provisioning call, one per name. Two of one name (from two specs loaded with
 * one prefix, or on one backend) are one table when they agree on its keys and time to live: it
 * gets the indexes of both, as when each spec's `ensureTables` runs in turn, and as one spec's
 * models sharing a table merge theirs. Other keys, another TTL attribute, or an index of one name
 * keyed otherwise cannot both be made: `TableMismatchError`, nothing sent, or with `clashes`, the
 * first table kept and the difference added there (a plan). A backend without time to live
 * (`timeToLive: false`, its `capabilities.ttl` false) makes one table of listings that name
 * other TTL attributes, as its calls in turn do: the first listing's is kept, and means nothing.
 */
export function tablesOfOneCall(
  tables: readonly TableDescriptor[],
  clashes?: Map<string, string[]>,
  { timeToLive = true }: { timeToLive?: boolean } = {},
): TableDescriptor[] {
  const byName = new Map<string, TableDescriptor>();
  // Every difference of every name, so that a refusal lists all those of its table, as a plan does.
  const found = clashes ?? new Map<string, string[]>();
  for (const table of tables) {
    const kept = byName.get(table.name);
    if (!kept) {
      byName.set(table.name, table);
      continue;
    }
    if (kept === table) continue;
    const merged = mergedTable(kept, table, timeToLive);
    if (typeof merged !== 'string') {
      byName.set(table.name, merged);
      continue;
    }
    const difference = `two tables of the call are named ${table.name}, with ${merged} (${kept.specName} and ${table.specName}, from two specs?): only one can be made`;
    found.set(table.name, [...(found.get(table.name) ?? []), difference]);
  }
  const [refused] = clashes ? [] : found;
  if (refused) throw new TableMismatchError(refused[0], refused[1]);
  return [...byName.values()];
}

// The table with the indexes (and time to live) of both, or what keeps them apart.
function mergedTable(
  kept: TableDescriptor,
  table: TableDescriptor,
  timeToLive: boolean,
): TableDescriptor | string {
  if (
    !sameKeyAttribute(kept.partitionKey, table.partitionKey) ||
    !sameKeyAttribute(kept.sortKey, table.sortKey)
  )
    return 'other keys';
  const ttlAttribute = timeToLive ? (kept.ttlAttribute ?? table.ttlAttribute) : kept.ttlAttribute;
  if (timeToLive && table.ttlAttribute !== undefined && table.ttlAttribute !== ttlAttribute)
    return 'other time-to-live attributes';
  const indexes: IndexDescriptor[] = [...kept.indexes];
  for (const index of table.indexes) {
    const same = indexes.find((candidate) => candidate.name === index.name);
    if (!same) indexes.push(index);
    else if (
      !sameKeyAttribute(same.partitionKey, index.partitionKey) ||
      !sameKeyAttribute(same.sortKey, index.sortKey)
    )
      return `other keys for index ${index.name}`;
  }
  if (indexes.length === kept.indexes.length && ttlAttribute === kept.ttlAttribute) return kept;
  return { ...kept, indexes, ...(ttlAttribute === undefined ? {} : { ttlAttribute }) };
}
