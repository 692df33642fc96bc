import { InvalidRequestError } from '../errors/persistence-errors.js';
import { maxRequestNestingDepth } from '../persist/check-condition.js';
import type { Condition, SortKeyCondition } from '../persist/condition.js';
import type { StoredItem, StoredValue } from '../persist/stored-value.js';
import { compareScalars } from '../persist/value-order.js';
import { isBytes, isSet } from '../schema/builtin-values.js';
import { valueAt } from './attribute-path.js';
import { valuesEqual } from './value-equality.js';

type Operand = StoredValue | readonly StoredValue[];

// Own keys only: core has checked the condition, and a prototype never adds an operator.
function operand(condition: object, operator: string): Operand | undefined {
  return Object.hasOwn(condition, operator)
    ? (condition as Record<string, Operand>)[operator]
    : undefined;
}

function has(condition: object, operator: string): boolean {
  return Object.hasOwn(condition, operator);
}

/**
 * Evaluates a condition against an item (or against nothing, for a missing item) as DynamoDB
 * does. The condition is one `checkRequestCondition` accepted: check it once, before reading
 * anything, since evaluation stops at the first member that decides an `and` or an `or`.
 * One nested deeper than a request takes is an `InvalidRequestError` here too, never a stack
 * overflow.
 */
export function evaluateCondition(condition: Condition, item: StoredItem | undefined): boolean {
  return evaluateAt(condition, item, 0);
}

function evaluateAt(condition: Condition, item: StoredItem | undefined, depth: number): boolean {
  if (depth > maxRequestNestingDepth)
    throw new InvalidRequestError(
      `A condition is nested deeper than ${maxRequestNestingDepth} levels (checkRequestCondition refuses it)`,
    );
  if (has(condition, 'and'))
    return (operand(condition, 'and') as unknown as Condition[]).every((part) =>
      evaluateAt(part, item, depth + 1),
    );
  if (has(condition, 'or'))
    return (operand(condition, 'or') as unknown as Condition[]).some((part) =>
      evaluateAt(part, item, depth + 1),
    );
  if (has(condition, 'not'))
    return !evaluateAt(operand(condition, 'not') as unknown as Condition, item, depth + 1);
  const comparison = condition as Condition & { attr: Parameters<typeof valueAt>[1] };
  const value = item === undefined ? undefined : valueAt(item, comparison.attr);
  if (has(condition, 'exists')) return operand(condition, 'exists') === (value !== undefined);
  if (has(condition, 'eq')) return valuesEqual(value, operand(condition, 'eq') as StoredValue);
  // As DynamoDB: `<>` holds for a missing attribute, every other comparison fails on one.
  if (has(condition, 'ne')) return !valuesEqual(value, operand(condition, 'ne') as StoredValue);
  if (has(condition, 'in'))
    return (operand(condition, 'in') as readonly StoredValue[]).some((candidate) =>
      valuesEqual(value, candidate),
    );
  if (has(condition, 'contains'))
    return contains(value, operand(condition, 'contains') as StoredValue);
  if (has(condition, 'beginsWith'))
    return beginsWith(value, operand(condition, 'beginsWith') as string | Uint8Array);
  return compareWith(value, condition);
}

/** Evaluates a query's sort-key condition against a sort-key value. */
export function evaluateSortCondition(
  condition: SortKeyCondition,
  value: StoredValue | undefined,
): boolean {
  if (has(condition, 'eq')) return valuesEqual(value, operand(condition, 'eq') as StoredValue);
  if (has(condition, 'beginsWith'))
    return beginsWith(value, operand(condition, 'beginsWith') as string | Uint8Array);
  return compareWith(value, condition);
}

function compareWith(value: StoredValue | undefined, condition: object): boolean {
  if (has(condition, 'between')) {
    const [low, high] = operand(condition, 'between') as readonly [StoredValue, StoredValue];
    const fromLow = compareScalars(value, low);
    const toHigh = compareScalars(value, high);
    return fromLow !== undefined && toHigh !== undefined && fromLow >= 0 && toHigh <= 0;
  }
  if (has(condition, 'lt'))
    return ordered(value, operand(condition, 'lt') as StoredValue, (order) => order < 0);
  if (has(condition, 'lte'))
    return ordered(value, operand(condition, 'lte') as StoredValue, (order) => order <= 0);
  if (has(condition, 'gt'))
    return ordered(value, operand(condition, 'gt') as StoredValue, (order) => order > 0);
  if (has(condition, 'gte'))
    return ordered(value, operand(condition, 'gte') as StoredValue, (order) => order >= 0);
  return false;
}

function ordered(
  value: StoredValue | undefined,
  bound: StoredValue,
  accept: (order: number) => boolean,
): boolean {
  const order = compareScalars(value, bound);
  return order !== undefined && accept(order);
}

function bytesOf(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function beginsWith(value: StoredValue | undefined, prefix: string | Uint8Array): boolean {
  if (typeof value === 'string' && typeof prefix === 'string') return value.startsWith(prefix);
  if (isBytes(value) && isBytes(prefix)) {
    return prefix.length <= value.length && prefix.every((byte, index) => value[index] === byte);
  }
  return false;
}

// DynamoDB's contains: a substring of a string, a subsequence of bytes (as its documentation
// of CONTAINS on a binary attribute says), an element of a list, a member of a set.
function contains(value: StoredValue | undefined, element: StoredValue): boolean {
  if (typeof value === 'string') return typeof element === 'string' && value.includes(element);
  if (isBytes(value)) return isBytes(element) && bytesOf(value).includes(bytesOf(element));
  if (Array.isArray(value)) return value.some((item) => valuesEqual(item, element));
  if (isSet(value))
    return [...(value as ReadonlySet<StoredValue>)].some((member) => valuesEqual(member, element));
  return false;
}
