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
