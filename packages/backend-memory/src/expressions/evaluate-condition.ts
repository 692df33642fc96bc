import type { Condition, SortKeyCondition, StoredItem, StoredValue } from '@macaron/core';
import { compareScalars } from '@macaron/core';
import { valueAt } from './attribute-path.js';
import { valuesEqual } from './value-equality.js';

/** Evaluates a condition against an item (or against nothing, for a missing item) as DynamoDB does. */
export function evaluateCondition(condition: Condition, item: StoredItem | undefined): boolean {
  if ('and' in condition) return condition.and.every((part) => evaluateCondition(part, item));
  if ('or' in condition) return condition.or.some((part) => evaluateCondition(part, item));
  if ('not' in condition) return !evaluateCondition(condition.not, item);
  const value = item === undefined ? undefined : valueAt(item, condition.attr);
  if ('exists' in condition) return condition.exists === (value !== undefined);
  if ('eq' in condition) return valuesEqual(value, condition.eq);
  // As DynamoDB: `<>` holds for a missing attribute, every other comparison fails on one.
  if ('ne' in condition) return !valuesEqual(value, condition.ne);
  if ('in' in condition) return condition.in.some((candidate) => valuesEqual(value, candidate));
  if ('contains' in condition) return contains(value, condition.contains);
  if ('beginsWith' in condition) return beginsWith(value, condition.beginsWith);
  return compareWith(value, condition);
}

/** Evaluates a query's sort-key condition against a sort-key value. */
export function evaluateSortCondition(
  condition: SortKeyCondition,
  value: StoredValue | undefined,
): boolean {
  if ('eq' in condition) return valuesEqual(value, condition.eq);
  if ('beginsWith' in condition) return beginsWith(value, condition.beginsWith);
  return compareWith(value, condition);
}

function compareWith(
  value: StoredValue | undefined,
  condition:
    | { lt: StoredValue }
    | { lte: StoredValue }
    | { gt: StoredValue }
    | { gte: StoredValue }
    | { between: readonly [StoredValue, StoredValue] },
): boolean {
  if ('between' in condition) {
    const low = compareScalars(value, condition.between[0]);
    const high = compareScalars(value, condition.between[1]);
    return low !== undefined && high !== undefined && low >= 0 && high <= 0;
  }
  if ('lt' in condition) return ordered(value, condition.lt, (order) => order < 0);
  if ('lte' in condition) return ordered(value, condition.lte, (order) => order <= 0);
  if ('gt' in condition) return ordered(value, condition.gt, (order) => order > 0);
  return ordered(value, condition.gte, (order) => order >= 0);
}

function ordered(
  value: StoredValue | undefined,
  operand: StoredValue,
  accept: (order: number) => boolean,
): boolean {
  const order = compareScalars(value, operand);
  return order !== undefined && accept(order);
}

function beginsWith(value: StoredValue | undefined, prefix: string | Uint8Array): boolean {
  if (typeof value === 'string' && typeof prefix === 'string') return value.startsWith(prefix);
  if (value instanceof Uint8Array && prefix instanceof Uint8Array) {
    return prefix.length <= value.length && prefix.every((byte, index) => value[index] === byte);
  }
  return false;
}

function contains(value: StoredValue | undefined, operand: StoredValue): boolean {
  if (typeof value === 'string') return typeof operand === 'string' && value.includes(operand);
  if (Array.isArray(value)) return value.some((item) => valuesEqual(item, operand));
  return false;
}
