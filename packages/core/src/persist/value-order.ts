import { isBytes } from '../schema/builtin-values.js';
import type { KeyValue, StoredValue } from './stored-value.js';

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

/**
 * Orders strings by their UTF-8 bytes, as DynamoDB does. That is code-point order, which
 * differs from JavaScript's UTF-16 order for characters above U+FFFF.
 */
export function compareStrings(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a === b) continue;
    const surrogateA = isSurrogate(a);
    if (surrogateA !== isSurrogate(b)) return surrogateA ? 1 : -1;
    return a - b;
  }
  return left.length - right.length;
}

/** Orders numbers exactly, also between a number and a bigint. */
export function compareNumbers(left: number | bigint, right: number | bigint): number {
  if (typeof left === 'number' && typeof right === 'number')
    return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'bigint' && typeof right === 'bigint')
    return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'number') return -compareNumbers(right, left);
  // left is a bigint, right a number.
  const number = right as number;
  if (Number.isInteger(number)) {
    const exact = BigInt(number);
    return left < exact ? -1 : left > exact ? 1 : 0;
  }
  return left <= BigInt(Math.floor(number)) ? -1 : 1;
}

/** Orders bytes as unsigned values, as DynamoDB orders binary. */
export function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = left[index]! - right[index]!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** DynamoDB's scalar type of a value: S, N, B, or undefined for others. */
export function scalarType(value: StoredValue | undefined): 'S' | 'N' | 'B' | undefined {
  if (typeof value === 'string') return 'S';
  if (typeof value === 'number' || typeof value === 'bigint') return 'N';
  if (isBytes(value)) return 'B';
  return undefined;
}

/** Compares two scalars of the same DynamoDB type; undefined when the types differ or are not scalar. */
export function compareScalars(
  left: StoredValue | undefined,
  right: StoredValue | undefined,
): number | undefined {
  const type = scalarType(left);
  if (type === undefined || type !== scalarType(right)) return undefined;
  if (type === 'S') return compareStrings(left as string, right as string);
  if (type === 'N') return compareNumbers(left as number | bigint, right as number | bigint);
  return compareBytes(left as Uint8Array, right as Uint8Array);
}

/** Compares key values of one attribute (always of the same type). */
export function compareKeyValues(left: KeyValue, right: KeyValue): number {
  if (typeof left === 'string' && typeof right === 'string') return compareStrings(left, right);
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  return compareScalars(left, right) ?? 0;
}
