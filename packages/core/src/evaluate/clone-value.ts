import { maxNestingDepth } from '../persist/condition-operand.js';
import { checkItemSize, valueSizeBound } from '../persist/item-size.js';
import {
  checkIsItem,
  checkItemKeys,
  refusedName,
  refuseItem,
  unstorable,
} from '../persist/item-to-write.js';
import type { StoredItem, StoredValue } from '../persist/stored-value.js';
import type { TableDescriptor } from '../persist/table-descriptor.js';
import { isBytes, isObjectPrototype, isSet } from '../schema/builtin-values.js';
import { setOwnProperty } from '../schema/own-property.js';

// Past this depth a value is copied in a loop (`cloneInLoop`), not by recursion.
const maxRecursiveDepth = 64;

/**
 * Deep copy of a stored value: what goes into the store never aliases what comes out. Any
 * depth: an item another client stored (PostgreSQL nests far deeper than DynamoDB's 32
 * levels) is copied without overflowing the stack. A bigint a number holds exactly is copied
 * as that number (`storedNumber`), as DynamoDB reads it back.
 */
export function cloneValue(value: StoredValue): StoredValue {
  return cloneAt(value, 0);
}

/** Deep copy of an item; every name, `__proto__` included, stays an own data property. */
export function cloneItem(item: StoredItem): StoredItem {
  return cloneMap(item, 0);
}

/**
 * `cloneItem` of an item to put, refusing what `checkItemToWrite` refuses in the same walk:
 * the copy a backend keeps costs no second walk to check it. With `maxItemBytes`, the walk
 * also adds up a bound of the item's size (as `checkItemSize`'s first step does), so only an
 * item it puts over the limit is measured exactly.
 */
export function cloneItemToWrite(
  item: StoredItem,
  table: TableDescriptor,
  where: string,
  maxItemBytes?: number,
): StoredItem {
  checkIsItem(item, where);
  let copy: StoredItem;
  let bounded = true;
  sizeBound = 0;
  try {
    copy = cloneChecked(item, 0) as StoredItem;
  } catch (error) {
    if (error !== unstorableFound) throw error;
    refuseItem(item, where);
    copy = cloneItem(item); // flagged, but nothing to refuse: the walk is quick, not exact
    bounded = false;
  }
  checkItemKeys(item, table, where);
  if (maxItemBytes !== undefined && (!bounded || sizeBound > maxItemBytes))
    checkItemSize(copy, maxItemBytes, where);
  return copy;
}

/**
 * A number as every engine reads it back: a bigint a number holds exactly (`5n`) is that
 * number, as DynamoDB's `N` is read; beyond 2^53, it stays a bigint. Without this, memory and
 * PostgreSQL gave back the `5n` a caller wrote where DynamoDB gives `5`.
 */
function storedNumber(value: bigint): number | bigint {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

// Thrown through a checked copy's recursion when a value may be one to refuse.
const unstorableFound = new Error('unstorable');

// What `cloneChecked` adds up as it copies: at least the size `itemSize` counts (strings at 3
// bytes a UTF-16 unit, numbers at 21, lists and maps with their overhead). The copy is
// synchronous, so one counter serves every call.
let sizeBound = 0;

// A copy, or `unstorableFound` for what `unstorable` flags: at most 33 levels deep. The common
// values are checked here, inline (this runs on every put of the memory backend).
function cloneChecked(value: StoredValue, level: number): StoredValue {
  if (level > maxNestingDepth) throw unstorableFound;
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw unstorableFound;
      sizeBound += 3 * value.length;
      return value;
    case 'number':
      // A safe integer is storable unless it is -0; anything else is checked in full.
      if (Number.isSafeInteger(value) ? Object.is(value, -0) : unstorable(value, level))
        throw unstorableFound;
      sizeBound += 21;
      return value;
    case 'boolean':
      sizeBound += 1;
      return value;
    case 'object':
      break;
    default:
      if (unstorable(value, level)) throw unstorableFound;
      // Counted exactly: a negative bigint of 38 digits and trailing zeros takes 22 bytes.
      sizeBound += valueSizeBound(value as StoredValue);
      return typeof value === 'bigint' ? storedNumber(value) : value;
  }
  if (value === null) {
    sizeBound += 1;
    return value;
  }
  if (isBytes(value)) {
    sizeBound += value.length;
    return new Uint8Array(value);
  }
  if (isSet(value)) {
    if (unstorable(value, level)) throw unstorableFound;
    sizeBound += valueSizeBound(value);
    return new Set([...(value as ReadonlySet<StoredValue>)].map(setMember)) as StoredValue;
  }
  sizeBound += 3;
  if (Array.isArray(value)) {
    sizeBound += value.length;
    const copy = new Array<StoredValue>(value.length);
    for (let index = 0; index < value.length; index++) {
      const member = value[index];
      if (member === undefined) throw unstorableFound;
      copy[index] = cloneChecked(member, level + 1);
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== null && !isObjectPrototype(prototype)) throw unstorableFound;
  const copy: StoredItem = {};
  const record = value as StoredItem;
  for (const name of Object.keys(record)) {
    if (refusedName(name) || !name.isWellFormed()) throw unstorableFound;
    const member = record[name];
    if (member === undefined) continue;
    sizeBound += 1 + 3 * name.length;
    setOwnProperty(copy, name, cloneChecked(member, level + 1));
  }
  return copy;
}

// A set's member as stored: bytes copied, a bigint a number holds as that number.
function setMember(member: StoredValue): StoredValue {
  if (isBytes(member)) return new Uint8Array(member);
  return typeof member === 'bigint' ? storedNumber(member) : member;
}

function cloneAt(value: StoredValue, depth: number): StoredValue {
  if (value === null || typeof value !== 'object')
    return typeof value === 'bigint' ? storedNumber(value) : value;
  if (isBytes(value)) return new Uint8Array(value);
  if (depth > maxRecursiveDepth) return cloneInLoop(value);
  if (isSet(value)) return new Set(([...value] as StoredValue[]).map(setMember)) as StoredValue;
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
    if (value === null || typeof value !== 'object')
      return typeof value === 'bigint' ? storedNumber(value) : value;
    if (isBytes(value)) return new Uint8Array(value);
    const target: Target = isSet(value) ? new Set<StoredValue>() : Array.isArray(value) ? [] : {};
    sources.push(value);
    targets.push(target);
    return target as StoredValue;
  };
  const copy = copyOf(root);
  while (sources.length > 0) {
    const source = sources.pop()!;
    const target = targets.pop()!;
    if (isSet(target)) {
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
