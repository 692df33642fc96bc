import type { StoredItem, StoredValue } from './stored-value.js';

/**
 * The size of an item as DynamoDB counts it against its 400 KB limit: names and values,
 * strings in UTF-8, numbers by significant digits, plus the overhead of lists and maps.
 */
export function itemSize(item: StoredItem): number {
  let size = 0;
  for (const name of Object.keys(item)) size += Buffer.byteLength(name) + valueSize(item[name]!);
  return size;
}

/**
 * The item's size (as `itemSize` counts it) when it is above `maxBytes`, else undefined. A
 * cheap bound comes first (3 bytes per UTF-16 unit, 21 per number): only an item the bound
 * puts over the limit is counted exactly.
 */
export function sizeAboveLimit(item: StoredItem, maxBytes: number): number | undefined {
  let bound = 0;
  for (const name of Object.keys(item)) bound += 3 * name.length + valueBound(item[name]!);
  if (bound <= maxBytes) return undefined;
  const size = itemSize(item);
  return size > maxBytes ? size : undefined;
}

/** An upper bound of `itemSize({ '': value })`, cheap to compute (no UTF-8 count). */
export function valueSizeBound(value: StoredValue): number {
  return valueBound(value);
}

// At least valueSize: numbers are at most 38 significant digits as stored (20 bytes), 21 kept
// for a safe margin; bigints beyond that are counted exactly.
function valueBound(value: StoredValue): number {
  if (typeof value === 'string') return 3 * value.length;
  if (typeof value === 'number') return 21;
  if (value === null || typeof value !== 'object') return valueSize(value);
  if (value instanceof Uint8Array || value instanceof Set) return valueSize(value);
  let bound = 3;
  if (Array.isArray(value)) {
    for (const element of value) bound += 1 + valueBound(element);
    return bound;
  }
  const map = value as Record<string, StoredValue>;
  for (const name of Object.keys(map)) bound += 1 + 3 * name.length + valueBound(map[name]!);
  return bound;
}

function valueSize(value: StoredValue): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value)
      .replace(/^-/, '')
      .replace(/e.*$/i, '')
      .replace('.', '')
      .replace(/^0+/, '')
      .replace(/0+$/, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.length;
  // A set costs what its members cost, without a list's overhead.
  if (value instanceof Set) {
    let size = 0;
    for (const member of value) size += valueSize(member as StoredValue);
    return size;
  }
  if (Array.isArray(value)) {
    let size = 3;
    for (const element of value) size += 1 + valueSize(element);
    return size;
  }
  let size = 3;
  const map = value as Record<string, StoredValue>;
  for (const name of Object.keys(map)) size += 1 + Buffer.byteLength(name) + valueSize(map[name]!);
  return size;
}
