import type { StoredValue } from '../persist/stored-value.js';
import { compareBytes, compareNumbers } from '../persist/value-order.js';

/**
 * DynamoDB equality: same type and value; lists and maps compared deeply; sets as sets,
 * whatever the order of their members; 1 equals 1n.
 */
export function valuesEqual(
  left: StoredValue | undefined,
  right: StoredValue | undefined,
): boolean {
  if (left === undefined || right === undefined) return false;
  if (left === right) return true;
  const leftNumber = typeof left === 'number' || typeof left === 'bigint';
  const rightNumber = typeof right === 'number' || typeof right === 'bigint';
  if (leftNumber || rightNumber)
    return leftNumber && rightNumber && compareNumbers(left, right) === 0;
  if (left instanceof Uint8Array || right instanceof Uint8Array) {
    return (
      left instanceof Uint8Array && right instanceof Uint8Array && compareBytes(left, right) === 0
    );
  }
  if (left instanceof Set || right instanceof Set) {
    if (!(left instanceof Set && right instanceof Set) || left.size !== right.size) return false;
    // Members of one set are distinct, so each member finding its equal makes the sets equal.
    const others = [...(right as ReadonlySet<StoredValue>)];
    return [...(left as ReadonlySet<StoredValue>)].every((member) =>
      others.some((other) => valuesEqual(member, other)),
    );
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => valuesEqual(item, right[index]))
    );
  }
  if (typeof left === 'object' && typeof right === 'object' && left !== null && right !== null) {
    const leftMap = left as Record<string, StoredValue>;
    const rightMap = right as Record<string, StoredValue>;
    const names = Object.keys(leftMap);
    // Own properties only: a key named `constructor` is not the prototype's constructor.
    return (
      names.length === Object.keys(rightMap).length &&
      names.every(
        (name) => Object.hasOwn(rightMap, name) && valuesEqual(leftMap[name], rightMap[name]),
      )
    );
  }
  return false;
}
