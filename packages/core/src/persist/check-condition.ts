import { InvalidRequestError } from '../errors/persistence-errors.js';
import { isPlainObject } from '../schema/same-value.js';
import { numberProblem } from '../schema/storable-number.js';
import {
  type Condition,
  comparisonOperators,
  type SortKeyCondition,
  sortKeyOperators,
} from './condition.js';
import type { AttributePath } from './stored-value.js';
import { compareScalars } from './value-order.js';

const operators = new Set<string>(comparisonOperators);
const sortOperators = new Set<string>(sortKeyOperators);

/**
 * Checks that a condition is well formed before it reaches a backend: known operators,
 * one per comparison, storable values, non-empty names. `forbidden` lists attributes a
 * condition may not name (a query's key attributes, which DynamoDB refuses in filters).
 */
export function checkCondition(
  condition: Condition,
  where: string,
  forbidden: readonly string[] = [],
  depth = 0,
): void {
  if (depth > 32) throw new InvalidRequestError(`${where} is nested too deeply`);
  if (!isPlainObject(condition)) throw new InvalidRequestError(`${where} must be an object`);
  const record = condition as Record<string, unknown>;
  if ('and' in record || 'or' in record) {
    const list = record.and ?? record.or;
    if (Object.keys(record).length !== 1 || !Array.isArray(list) || list.length === 0) {
      throw new InvalidRequestError(
        `${where}: and / or take a non-empty list of conditions, alone`,
      );
    }
    for (const part of list) checkCondition(part as Condition, where, forbidden, depth + 1);
    return;
  }
  if ('not' in record) {
    if (Object.keys(record).length !== 1)
      throw new InvalidRequestError(`${where}: not takes one condition, alone`);
    checkCondition(record.not as Condition, where, forbidden, depth + 1);
    return;
  }
  const path = checkPath(record.attr, where);
  const named = Object.keys(record).filter((name) => name !== 'attr');
  if (named.length !== 1 || !operators.has(named[0]!)) {
    throw new InvalidRequestError(
      `${where}: a comparison has attr and exactly one of ${comparisonOperators.join(', ')}`,
    );
  }
  const top = typeof path === 'string' ? path : path[0];
  if (typeof top === 'string' && forbidden.includes(top)) {
    throw new InvalidRequestError(
      `${where} cannot name the key attribute ${top}; use the key or sort condition`,
    );
  }
  const operator = named[0]!;
  const operand = record[operator];
  if (operator === 'exists') {
    if (typeof operand !== 'boolean')
      throw new InvalidRequestError(`${where}: exists takes true or false`);
    return;
  }
  checkOperand(operator, operand, where);
}

/** Checks a query's sort-key condition. */
export function checkSortCondition(condition: SortKeyCondition, where: string): void {
  if (!isPlainObject(condition)) throw new InvalidRequestError(`${where} must be an object`);
  const named = Object.keys(condition);
  if (named.length !== 1 || !sortOperators.has(named[0]!)) {
    throw new InvalidRequestError(`${where} takes exactly one of ${sortKeyOperators.join(', ')}`);
  }
  checkOperand(named[0]!, (condition as Record<string, unknown>)[named[0]!], where);
}

function checkOperand(operator: string, operand: unknown, where: string): void {
  if (operator === 'between') {
    if (!Array.isArray(operand) || operand.length !== 2)
      throw new InvalidRequestError(`${where}: between takes [low, high]`);
    for (const value of operand) checkValue(value, where);
    // DynamoDB refuses bounds of different types and a low bound above the high one.
    const order = compareScalars(operand[0], operand[1]);
    if (order === undefined)
      throw new InvalidRequestError(
        `${where}: between takes two strings, two numbers or two binaries`,
      );
    if (order > 0)
      throw new InvalidRequestError(`${where}: the low bound of between is above the high bound`);
    return;
  }
  if (operator === 'in') {
    if (!Array.isArray(operand) || operand.length === 0 || operand.length > 100) {
      throw new InvalidRequestError(`${where}: in takes a list of 1 to 100 values`);
    }
    for (const value of operand) checkValue(value, where);
    return;
  }
  if (
    operator === 'beginsWith' &&
    typeof operand !== 'string' &&
    !(operand instanceof Uint8Array)
  ) {
    throw new InvalidRequestError(`${where}: beginsWith takes a string or bytes`);
  }
  checkValue(operand, where);
}

function checkValue(value: unknown, where: string): void {
  if (value === undefined) throw new InvalidRequestError(`${where}: a value is undefined`);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const problem = numberProblem(value);
    if (problem) throw new InvalidRequestError(`${where}: the number ${String(value)} ${problem}`);
  }
  if (typeof value === 'string' && !value.isWellFormed())
    throw new InvalidRequestError(`${where}: a string holds a lone surrogate`);
  if (Array.isArray(value)) for (const item of value) checkValue(item, where);
  else if (isPlainObject(value)) for (const item of Object.values(value)) checkValue(item, where);
}

function checkPath(path: unknown, where: string): AttributePath {
  if (typeof path === 'string' && path.length > 0) return path;
  if (
    Array.isArray(path) &&
    path.length > 0 &&
    typeof path[0] === 'string' &&
    path.every(
      (part) =>
        (typeof part === 'string' && part.length > 0) || (Number.isSafeInteger(part) && part >= 0),
    )
  ) {
    return path as AttributePath;
  }
  throw new InvalidRequestError(
    `${where}: attr must be an attribute name or a path of names and list positions`,
  );
}
