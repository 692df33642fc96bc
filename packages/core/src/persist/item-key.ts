import { InvalidKeyError, InvalidRequestError } from '../errors/persistence-errors.js';
import { quotedName, shownName } from '../errors/shown-name.js';
import { isBytes } from '../schema/builtin-values.js';
import { ownProperty, setOwnProperty } from '../schema/own-property.js';
import { isPlainObject } from '../schema/same-value.js';
import { numberProblem } from '../schema/storable-number.js';
import type { ItemKey, KeyValue, StoredItem } from './stored-value.js';
import type { KeyAttribute, ModelDescriptor, TableDescriptor } from './table-descriptor.js';

/** A key as callers give it: the partition value alone, or the key attributes by name. */
export type KeyInput = KeyValue | { readonly [name: string]: KeyValue | undefined };

/** Checks one key value against its attribute; returns why it is unusable, if it is. */
export function keyValueProblem(
  attribute: KeyAttribute,
  value: unknown,
  role: 'partition' | 'sort' = 'partition',
): string | undefined {
  // DynamoDB's limits: 2048 bytes for a partition key value, 1024 for a sort key value.
  const maxBytes = role === 'partition' ? 2048 : 1024;
  switch (attribute.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (value.length === 0) return 'must not be empty';
      if (!value.isWellFormed()) return 'holds a lone surrogate';
      // A UTF-16 unit is at most 3 bytes of UTF-8: short values need no count.
      if (value.length * 3 > maxBytes && Buffer.byteLength(value) > maxBytes)
        return `is longer than ${maxBytes} bytes`;
      return undefined;
    case 'number': {
      if (typeof value !== 'number' && typeof value !== 'bigint') return 'must be a number';
      if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value))
        return 'is beyond 2^53; use a bigint';
      return numberProblem(value);
    }
    case 'binary':
      if (!isBytes(value)) return 'must be a Uint8Array';
      if (value.length === 0) return 'must not be empty';
      return value.length > maxBytes ? `is longer than ${maxBytes} bytes` : undefined;
  }
}

/**
 * Refuses, with `InvalidRequestError`, a key given to a backend that is not a key of `table`, as
 * DynamoDB refuses it ("the provided key element does not match the schema"), so that every
 * backend refuses it alike rather than look it up, or create an item under it: not a plain
 * object, a key attribute missing or of another type, empty or too long (`keyValueProblem`),
 * or any other attribute.
 *
 * Returns the key checked, for the backend to use instead of the one it was given: a new
 * object of the key attributes alone, each value as it was read (once) and checked, bytes
 * copied, so that a getter or Proxy that answers otherwise later cannot store or look up an
 * item under another key than the one checked.
 */
export function checkItemKey(table: TableDescriptor, key: ItemKey, where: string): ItemKey {
  if (!isPlainObject(key)) throw new InvalidRequestError(`${where}: the key must be an object`);
  const { partitionKey, sortKey } = table;
  const checked: ItemKey = {};
  takeKeyAttribute(partitionKey, key, 'partition', where, checked);
  if (sortKey) takeKeyAttribute(sortKey, key, 'sort', where, checked);
  const names = Object.keys(key);
  if (names.length === (sortKey ? 2 : 1)) return checked;
  const extra = names.find((name) => name !== partitionKey.name && name !== sortKey?.name);
  throw new InvalidRequestError(
    extra === undefined
      ? `${where}: the key attributes must be enumerable own properties of the key`
      : `${where}: ${quotedName(extra)} is not a key attribute of table ${table.specName}`,
  );
}

// Reads one key attribute once, checks it, and sets it on `checked` (bytes copied).
function takeKeyAttribute(
  attribute: KeyAttribute,
  key: ItemKey,
  role: 'partition' | 'sort',
  where: string,
  checked: ItemKey,
): void {
  if (!Object.hasOwn(key, attribute.name))
    throw new InvalidRequestError(`${where}: the key has no ${shownName(attribute.name)}`);
  const value = key[attribute.name];
  const problem = keyValueProblem(attribute, value, role);
  if (problem)
    throw new InvalidRequestError(
      `${where}: the key attribute ${shownName(attribute.name)} ${problem}`,
    );
  // A key attribute may be named `__proto__`: set as an own property, never the prototype.
  setOwnProperty(checked, attribute.name, isBytes(value) ? new Uint8Array(value) : value);
}

/** Turns a caller's key into the full key of the model's table, or throws `InvalidKeyError`. */
export function toItemKey(model: ModelDescriptor, input: unknown): ItemKey {
  const { partitionKey, sortKey } = model.table;
  const attributes = sortKey ? [partitionKey, sortKey] : [partitionKey];
  let named: Record<string, unknown>;
  if (typeof input === 'object' && input !== null && !isBytes(input) && !Array.isArray(input)) {
    named = input as Record<string, unknown>;
    const extra: string[] = [];
    for (const name of Object.keys(named)) {
      if (
        named[name] !== undefined &&
        name !== partitionKey.name &&
        (sortKey === undefined || name !== sortKey.name)
      )
        extra.push(name);
    }
    if (extra.length > 0) {
      throw new InvalidKeyError(
        `The key of ${shownName(model.name)} has no attribute ${extra.map(shownName).join(', ')} (expected ${attributes.map((a) => shownName(a.name)).join(', ')})`,
      );
    }
  } else {
    if (sortKey)
      throw new InvalidKeyError(
        `The key of ${shownName(model.name)} needs both ${shownName(partitionKey.name)} and ${shownName(sortKey.name)}`,
      );
    named = Object.fromEntries([[partitionKey.name, input]]);
  }
  const key: ItemKey = {};
  for (const attribute of attributes) {
    // Own properties only: a key attribute named `constructor` is not Object's constructor.
    const value = Object.hasOwn(named, attribute.name) ? named[attribute.name] : undefined;
    if (value === undefined)
      throw new InvalidKeyError(
        `The key of ${shownName(model.name)} is missing ${shownName(attribute.name)}`,
      );
    const problem = keyValueProblem(attribute, value, attribute === sortKey ? 'sort' : 'partition');
    if (problem)
      throw new InvalidKeyError(
        `Key attribute ${shownName(model.name)}.${shownName(attribute.name)} ${problem}`,
      );
    setOwnProperty(key, attribute.name, value);
  }
  return key;
}

/** The table key of a stored item. */
export function keyOfItem(model: ModelDescriptor, item: StoredItem): ItemKey {
  const { partitionKey, sortKey } = model.table;
  const key: ItemKey = {};
  setOwnProperty(key, partitionKey.name, ownProperty(item, partitionKey.name));
  if (sortKey) setOwnProperty(key, sortKey.name, ownProperty(item, sortKey.name));
  return key;
}

/**
 * A string that is equal for equal keys and differs for different ones, for de-duplication
 * and look-ups within one process: every part is length-prefixed, so no name or value can
 * run into the next, and values are tagged by type (binary as base64).
 */
export function keyFingerprint(table: string, key: ItemKey): string {
  const names = Object.keys(key);
  if (names.length > 1) names.sort();
  let fingerprint = `${table.length}:${table}`;
  for (const name of names) {
    const value = key[name]!;
    const text = isBytes(value)
      ? `b${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`
      : `${typeof value === 'string' ? 's' : 'n'}${value}`;
    fingerprint += `|${name.length}:${name}${text.length}:${text}`;
  }
  return fingerprint;
}
