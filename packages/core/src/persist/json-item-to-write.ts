import { maxNestingDepth } from './condition-operand.js';
import { checkItemSize } from './item-size.js';
import {
  checkIsItem,
  checkItemKeys,
  checkItemToWrite,
  refusedName,
  unstorable,
} from './item-to-write.js';
import type { StoredItem } from './stored-value.js';
import type { TableDescriptor } from './table-descriptor.js';

/**
 * `checkItemToWrite` (the same refusals, in the same order), which also tells whether the item
 * holds JSON's values alone: strings, numbers, booleans, null, lists, and maps whose prototype
 * is `Object.prototype` or none, which `JSON.stringify` writes as they are. Such an item is
 * checked, and its size bounded, in one walk that a backend writing JSON then needs not repeat
 * (a put's item is walked once instead of three times); any other (bytes, sets, bigints, or a
 * value the walk flags) is checked by `checkItemToWrite`, and false returned.
 */
export function checkJsonItemToWrite(
  item: StoredItem,
  table: TableDescriptor,
  where: string,
  maxItemBytes?: number,
): boolean {
  checkIsItem(item, where);
  const bound = jsonSizeBound(item, 0);
  if (bound < 0) {
    checkItemToWrite(item, table, where, maxItemBytes);
    return false;
  }
  checkItemKeys(item, table, where);
  // The bound is at least the item's size: only an item it puts over the limit is measured.
  if (maxItemBytes !== undefined && bound > maxItemBytes) checkItemSize(item, maxItemBytes, where);
  return true;
}

/**
 * An upper bound of a value's size (as `itemSize` counts it: strings at 3 bytes a UTF-16 unit,
 * numbers at 21, lists and maps with their overhead) when it is JSON's alone and `unstorable`
 * flags nothing in it, at `level` (an attribute's is 1); else -1.
 */
function jsonSizeBound(value: unknown, level: number): number {
  if (level > maxNestingDepth) return -1;
  switch (typeof value) {
    case 'string':
      return value.isWellFormed() ? 3 * value.length : -1;
    case 'number':
      // A safe integer is storable unless it is -0; anything else is checked in full.
      return (Number.isSafeInteger(value) ? Object.is(value, -0) : unstorable(value, level))
        ? -1
        : 21;
    case 'boolean':
      return 1;
    case 'object':
      break;
    default:
      return -1;
  }
  if (value === null) return 1;
  if (Array.isArray(value)) {
    let bound = 3 + value.length;
    for (let index = 0; index < value.length; index++) {
      const member: unknown = value[index];
      if (member === undefined) return -1;
      const inner = jsonSizeBound(member, level + 1);
      if (inner < 0) return -1;
      bound += inner;
    }
    return bound;
  }
  // Bytes, sets and other objects (another realm's maps included) take `checkItemToWrite`.
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return -1;
  const record = value as Record<string, unknown>;
  let bound = 3;
  for (const name of Object.keys(record)) {
    if (refusedName(name) || !name.isWellFormed()) return -1;
    const member = record[name];
    if (member === undefined) continue;
    const inner = jsonSizeBound(member, level + 1);
    if (inner < 0) return -1;
    bound += 1 + 3 * name.length + inner;
  }
  return bound;
}
