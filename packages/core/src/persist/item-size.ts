import type { MacaronErrorOptions } from '../errors/macaron-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { isBytes, isSet } from '../schema/builtin-values.js';
import { withoutTrailingZeros } from '../schema/decimal-digits.js';
import type { StoredItem, StoredValue } from './stored-value.js';

/**
 * The size of an item as DynamoDB counts it against its 400 KB limit: names and values,
 * strings in UTF-8, numbers by significant digits, plus the overhead of lists and maps.
 */
export function itemSize(item: StoredItem): number {
  let size = 0;
  for (const name of Object.keys(item)) {
    const value = item[name];
    // An attribute holding undefined is left out, as one that is not there (P-105).
    if (value !== undefined) size += Buffer.byteLength(name) + valueSize(value);
  }
  return size;
}

/**
 * The item's size (as `itemSize` counts it) when it is above `maxBytes`, else undefined. A
 * cheap bound comes first (3 bytes per UTF-16 unit, 21 per number): only an item the bound
 * puts over the limit is counted exactly.
 */
export function sizeAboveLimit(item: StoredItem, maxBytes: number): number | undefined {
  let bound = 0;
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value !== undefined) bound += 3 * name.length + valueBound(value);
  }
  if (bound <= maxBytes) return undefined;
  const size = itemSize(item);
  return size > maxBytes ? size : undefined;
}

/**
 * Refuses an item above `maxBytes` (as `itemSize` counts it) as DynamoDB does: `ValidationError`
 * (with `options`, such as the engine's refusal as its cause).
 */
export function checkItemSize(
  item: StoredItem,
  maxBytes: number,
  where: string,
  options?: MacaronErrorOptions,
): void {
  const size = sizeAboveLimit(item, maxBytes);
  if (size === undefined) return;
  throw new ValidationError(
    `${where}: item too large`,
    [
      {
        pointer: '',
        keyword: 'maxItemBytes',
        message: `is ${size} bytes, above the ${maxBytes}-byte item limit`,
      },
    ],
    options,
  );
}

/** An upper bound of `itemSize({ '': value })`, cheap to compute (no UTF-8 count). */
export function valueSizeBound(value: StoredValue): number {
  return valueBound(value);
}

// Past this depth the sizes are counted in a loop with a stack of its own, not on the call
// stack: an item another client stored (PostgreSQL nests far deeper than DynamoDB's 32
// levels) is measured at any depth. Above it, recursion: the common case, and faster.
const maxRecursion = 64;

// At least valueSize: numbers are at most 38 significant digits as stored (20 bytes), 21 kept
// for a safe margin; bigints beyond that are counted exactly.
function valueBound(value: StoredValue, depth = 0): number {
  if (typeof value === 'string') return 3 * value.length;
  if (typeof value === 'number') return 21;
  if (value === null || typeof value !== 'object') return valueSize(value);
  if (isBytes(value) || isSet(value)) return valueSize(value);
  if (depth > maxRecursion) return valueBoundInLoop(value);
  let bound = 3;
  if (Array.isArray(value)) {
    for (const element of value) bound += 1 + valueBound(element, depth + 1);
    return bound;
  }
  const map = value as Record<string, StoredValue>;
  for (const name of Object.keys(map)) {
    const member = map[name];
    if (member !== undefined) bound += 1 + 3 * name.length + valueBound(member, depth + 1);
  }
  return bound;
}

function valueBoundInLoop(value: StoredValue): number {
  let bound = 0;
  const pending: StoredValue[] = [value];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    if (typeof current === 'string') bound += 3 * current.length;
    else if (typeof current === 'number') bound += 21;
    else if (current === null || typeof current !== 'object' || isBytes(current) || isSet(current))
      bound += valueSize(current);
    else if (Array.isArray(current)) {
      bound += 3 + current.length;
      for (const element of current) pending.push(element);
    } else {
      const map = current as Record<string, StoredValue>;
      bound += 3;
      for (const name of Object.keys(map)) {
        const member = map[name];
        if (member === undefined) continue;
        bound += 1 + 3 * name.length;
        pending.push(member);
      }
    }
  }
  return bound;
}

function valueSize(value: StoredValue, depth = 0): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (isBytes(value)) return value.length;
  if (depth > maxRecursion) return valueSizeInLoop(value);
  // A set costs what its members cost, without a list's overhead.
  if (isSet(value)) {
    let size = 0;
    for (const member of value) size += valueSize(member as StoredValue, depth + 1);
    return size;
  }
  if (Array.isArray(value)) {
    let size = 3;
    for (const element of value) size += 1 + valueSize(element, depth + 1);
    return size;
  }
  let size = 3;
  const map = value as Record<string, StoredValue>;
  for (const name of Object.keys(map)) {
    const member = map[name];
    if (member !== undefined) size += 1 + Buffer.byteLength(name) + valueSize(member, depth + 1);
  }
  return size;
}

function valueSizeInLoop(value: StoredValue): number {
  let size = 0;
  const pending: StoredValue[] = [value];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    if (current === null || typeof current === 'boolean') size += 1;
    else if (typeof current === 'string') size += Buffer.byteLength(current);
    else if (typeof current === 'number' || typeof current === 'bigint')
      size += numberSize(current);
    else if (isBytes(current)) size += current.length;
    else if (isSet(current)) for (const member of current) pending.push(member as StoredValue);
    else if (Array.isArray(current)) {
      size += 3 + current.length;
      for (const element of current) pending.push(element);
    } else {
      const map = current as Record<string, StoredValue>;
      size += 3;
      for (const name of Object.keys(map)) {
        const member = map[name];
        if (member === undefined) continue;
        size += 1 + Buffer.byteLength(name);
        pending.push(member);
      }
    }
  }
  return size;
}

/**
 * A number's size as DynamoDB stores it: its significant digits in pairs aligned on the decimal
 * point (base 100), a byte for the exponent, and one more for a negative number (dynalite's
 * measured formula; AWS documents "about one byte per two digits, plus one"). Zero is 1 byte.
 */
function numberSize(value: number | bigint): number {
  let text = String(value);
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  let exponent = 0;
  const marker = text.search(/e/i);
  if (marker >= 0) {
    exponent = Number(text.slice(marker + 1));
    text = text.slice(0, marker);
  }
  const point = text.indexOf('.');
  const whole = point < 0 ? text.length : point;
  const written = point < 0 ? text : text.slice(0, point) + text.slice(point + 1);
  const leading = written.length - written.replace(/^0+/, '').length;
  const digits = withoutTrailingZeros(written.slice(leading));
  if (digits.length === 0) return 1;
  // The power of ten of the first significant digit: where the pairs are aligned.
  const first = whole - leading - 1 + exponent;
  const aligned = digits.length % 2 !== 0 || first % 2 !== 0;
  return 1 + Math.ceil(digits.length / 2) + (aligned ? 0 : 1) + (negative ? 1 : 0);
}
