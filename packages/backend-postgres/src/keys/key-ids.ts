import {
  BackendError,
  formatKey,
  type ItemKey,
  type KeyAttribute,
  type KeyValue,
  type StoredItem,
  type TableDescriptor,
} from '@macaron/core';
import { shownName } from '@macaron/core/backend';
import { keyParameter } from '../values/key-parameter.js';

/** A string equal for equal keys of a table (1 and 1n are equal), ordered as the keys' text. */
export function keyId(table: TableDescriptor, key: ItemKey): string {
  const parts = [table.partitionKey, table.sortKey].flatMap((attribute) => {
    if (!attribute) return [];
    const value = key[attribute.name] as KeyValue;
    const parameter = keyParameter(value);
    return [
      typeof parameter === 'string'
        ? `${typeof value === 'string' ? 's' : 'n'}${parameter}`
        : `b${Buffer.from(parameter).toString('hex')}`,
    ];
  });
  return parts.join('\u0000');
}

/** `keyId` of a stored item's key attributes, or a `BackendError` when they are not a key. */
export function storedKeyId(table: TableDescriptor, item: StoredItem): string {
  for (const attribute of [table.partitionKey, table.sortKey]) {
    if (!attribute) continue;
    const value = Object.hasOwn(item, attribute.name) ? item[attribute.name] : undefined;
    const fits =
      attribute.type === 'string'
        ? typeof value === 'string'
        : attribute.type === 'number'
          ? typeof value === 'number' || typeof value === 'bigint'
          : value instanceof Uint8Array;
    if (!fits) throw inconsistentRow(table);
  }
  return keyId(table, item as ItemKey);
}

/**
 * True when the item holds the key's value of this key attribute: the same string, the same
 * number (1 and 1n alike), the same bytes. Compared in place, as every get does it.
 */
export function holdsKeyValue(attribute: KeyAttribute, item: StoredItem, key: ItemKey): boolean {
  const name = attribute.name;
  if (!Object.hasOwn(item, name)) return false;
  const stored = item[name];
  const wanted = key[name];
  if (stored === wanted) return true;
  if (stored instanceof Uint8Array)
    return wanted instanceof Uint8Array && Buffer.compare(stored, wanted) === 0;
  if (typeof stored === 'bigint' && typeof wanted === 'number')
    return Number.isInteger(wanted) && stored === BigInt(wanted);
  if (typeof stored === 'number' && typeof wanted === 'bigint')
    return Number.isInteger(stored) && BigInt(stored) === wanted;
  return false;
}

// A row another client wrote whose item does not hold its key (under `key`, when read by it).
export function inconsistentRow(table: TableDescriptor, key?: ItemKey): BackendError {
  const names = [table.partitionKey, table.sortKey].flatMap((attribute) =>
    attribute ? [shownName(attribute.name)] : [],
  );
  return new BackendError(
    `PostgreSQL: a row of ${shownName(table.name)}${key ? ` under key ${formatKey(key)}` : ''} holds an item whose key attributes (${names.join(', ')}) are missing, of another type or another key; rows written with plain SQL must set the key columns from the item's key attributes (in a text key column, U+0001 written U+0001 U+0002 and U+0000 written U+0001 U+0001: see the README's layout)`,
  );
}

export function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

export function groupByTable<T>(
  entries: readonly T[],
  tableOf: (entry: T) => TableDescriptor,
): Map<TableDescriptor, T[]> {
  const groups = new Map<TableDescriptor, T[]>();
  for (const entry of entries) {
    const table = tableOf(entry);
    // Descriptors of one physical table may be distinct objects (models sharing a table).
    const existing = [...groups.keys()].find((candidate) => candidate.name === table.name) ?? table;
    const group = groups.get(existing);
    if (group) group.push(entry);
    else groups.set(existing, [entry]);
  }
  return groups;
}
