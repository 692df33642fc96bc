import type { StoredItem, StoredValue } from '../persist/stored-value.js';
import { setOwnProperty } from '../schema/own-property.js';

/** Deep copy of a stored value: what goes into the store never aliases what comes out. */
export function cloneValue(value: StoredValue): StoredValue {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.slice();
  if (value instanceof Set) return new Set([...value].map(cloneValue)) as StoredValue;
  if (Array.isArray(value)) {
    const copy = new Array<StoredValue>(value.length);
    for (let index = 0; index < value.length; index++)
      copy[index] = cloneValue(value[index] as StoredValue);
    return copy;
  }
  return cloneItem(value as StoredItem);
}

/** Deep copy of an item; every name, `__proto__` included, stays an own data property. */
export function cloneItem(item: StoredItem): StoredItem {
  const copy: StoredItem = {};
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value !== undefined) setOwnProperty(copy, name, cloneValue(value));
  }
  return copy;
}
