import { maxNestingDepth } from '../persist/condition-operand.js';
import type { StoredItem, StoredValue } from '../persist/stored-value.js';
import { setOwnProperty } from '../schema/own-property.js';
import { checkItemNesting } from './item-nesting.js';

// Past this depth a value is copied in a loop (`cloneInLoop`), not by recursion.
const maxRecursiveDepth = 64;

/**
 * Deep copy of a stored value: what goes into the store never aliases what comes out. Any
 * depth: an item another client stored (PostgreSQL nests far deeper than DynamoDB's 32
 * levels) is copied without overflowing the stack.
 */
export function cloneValue(value: StoredValue): StoredValue {
  return cloneAt(value, 0, Infinity);
}

/** Deep copy of an item; every name, `__proto__` included, stays an own data property. */
export function cloneItem(item: StoredItem): StoredItem {
  return cloneMap(item, 0, Infinity);
}

// Thrown through a checked copy's recursion to the attribute it started from.
const nestedTooDeep = new Error('nested too deep');

/**
 * `cloneItem` of an item to write, refusing it as `checkItemNesting` does, in the same walk:
 * the copy a backend stores costs no second walk to check it.
 */
export function cloneItemToWrite(item: StoredItem, where: string): StoredItem {
  try {
    // An attribute is copied at depth 1, its level as `checkItemNesting` counts it.
    return cloneMap(item, 0, maxNestingDepth);
  } catch (error) {
    if (error !== nestedTooDeep) throw error;
    // Only on refusal: `checkItemNesting`, which refuses exactly this item, names the attribute.
    checkItemNesting(item, where);
    throw error;
  }
}

// A copy past `deepest` is refused (`nestedTooDeep`); an unchecked one passes Infinity. A
// list's hole or `undefined` member is no value (`checkItemNesting` skips it too).
function cloneAt(value: StoredValue, depth: number, deepest: number): StoredValue {
  if (depth > deepest && value !== undefined) throw nestedTooDeep;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.slice();
  if (depth > maxRecursiveDepth) return cloneInLoop(value);
  if (value instanceof Set)
    return new Set([...value].map((member) => cloneAt(member, depth + 1, deepest))) as StoredValue;
  if (Array.isArray(value)) {
    const copy = new Array<StoredValue>(value.length);
    for (let index = 0; index < value.length; index++)
      copy[index] = cloneAt(value[index] as StoredValue, depth + 1, deepest);
    return copy;
  }
  return cloneMap(value as StoredItem, depth, deepest);
}

function cloneMap(item: StoredItem, depth: number, deepest: number): StoredItem {
  const copy: StoredItem = {};
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value !== undefined) setOwnProperty(copy, name, cloneAt(value, depth + 1, deepest));
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
