import type { StoredItem, StoredValue } from '../persist/stored-value.js';
import { setOwnProperty } from '../schema/own-property.js';

// Past this depth a value is copied in a loop (`cloneInLoop`), not by recursion.
const maxRecursiveDepth = 64;

/**
 * Deep copy of a stored value: what goes into the store never aliases what comes out. Any
 * depth: an item another client stored (PostgreSQL nests far deeper than DynamoDB's 32
 * levels) is copied without overflowing the stack.
 */
export function cloneValue(value: StoredValue): StoredValue {
  return cloneAt(value, 0);
}

/** Deep copy of an item; every name, `__proto__` included, stays an own data property. */
export function cloneItem(item: StoredItem): StoredItem {
  return cloneMap(item, 0);
}

function cloneAt(value: StoredValue, depth: number): StoredValue {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.slice();
  if (depth > maxRecursiveDepth) return cloneInLoop(value);
  if (value instanceof Set)
    return new Set([...value].map((member) => cloneAt(member, depth + 1))) as StoredValue;
  if (Array.isArray(value)) {
    const copy = new Array<StoredValue>(value.length);
    for (let index = 0; index < value.length; index++)
      copy[index] = cloneAt(value[index] as StoredValue, depth + 1);
    return copy;
  }
  return cloneMap(value as StoredItem, depth);
}

function cloneMap(item: StoredItem, depth: number): StoredItem {
  const copy: StoredItem = {};
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value !== undefined) setOwnProperty(copy, name, cloneAt(value, depth + 1));
  }
  return copy;
}

/**
 * What `cloneAt` copies, at any depth, with a stack of its own instead of the call stack:
 * each container's copy is made (empty) where it goes, then filled when its turn comes.
 */
function cloneInLoop(root: StoredValue): StoredValue {
  type Target = StoredValue[] | StoredItem | Set<StoredValue>;
  const sources: object[] = [];
  const targets: Target[] = [];
  // The copy of a value; a list, map or set is left empty where it goes, and filled in its turn.
  const copyOf = (value: StoredValue): StoredValue => {
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Uint8Array) return value.slice();
    const target: Target =
      value instanceof Set ? new Set<StoredValue>() : Array.isArray(value) ? [] : {};
    sources.push(value);
    targets.push(target);
    return target as StoredValue;
  };
  const copy = copyOf(root);
  while (sources.length > 0) {
    const source = sources.pop()!;
    const target = targets.pop()!;
    if (target instanceof Set) {
      for (const member of source as ReadonlySet<StoredValue>) target.add(copyOf(member));
    } else if (Array.isArray(target)) {
      const list = source as readonly StoredValue[];
      target.length = list.length;
      for (let index = 0; index < list.length; index++)
        target[index] = copyOf(list[index] as StoredValue);
    } else {
      const map = source as StoredItem;
      for (const name of Object.keys(map)) {
        const value = map[name];
        if (value !== undefined) setOwnProperty(target, name, copyOf(value));
      }
    }
  }
  return copy;
}
