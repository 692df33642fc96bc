import { InvalidRequestError } from '../errors/persistence-errors.js';
import { isBytes, isObjectPrototype, isSet } from '../schema/builtin-values.js';
import {
  type Condition,
  comparisonOperators,
  type SortKeyCondition,
  sortKeyOperators,
} from './condition.js';
import { maxNestingDepth, operandProblem } from './condition-operand.js';
import { checkExpressionLimits, expressionLimits } from './expression-limits.js';
import { longNameProblem, refusedName } from './item-to-write.js';
import type { AttributePath } from './stored-value.js';
import type { IndexDescriptor, TableDescriptor } from './table-descriptor.js';
import { compareScalars } from './value-order.js';

const operators = new Set<string>(comparisonOperators);
const sortOperators = new Set<string>(sortKeyOperators);

/**
 * Checks that a condition is well formed before it reaches a backend: known operators,
 * one per comparison, storable values, non-empty well-formed names, within DynamoDB's
 * expression limits. `forbidden` lists attributes a condition may not name (a query's key
 * attributes, which DynamoDB refuses in filters).
 */
export function checkCondition(
  condition: Condition,
  where: string,
  forbidden: readonly string[] = [],
): void {
  checkConditionPart(condition, where, forbidden, 0, maxNestingDepth, { operators: 0 });
  checkExpressionLimits({ condition }, where);
}

/**
 * A copy of a caller's condition (a filter, a sort condition) as it reads now, to check and
 * send instead of the caller's object: a getter or Proxy that answers otherwise on a later read
 * cannot make the value checked differ from the value an engine compares. Plain objects,
 * lists and sets are copied (each read once, sharing kept) and bytes too; anything else stays
 * as it is, for the check to refuse. So does what lies past any depth or length a condition
 * may have, which the check refuses, with nothing read to copy it: a list or set where the
 * operator takes a string, a number or bytes; an `in` list is copied to one value past
 * DynamoDB's 100, and a `between` to one bound past its 2, for the check to refuse them by
 * their length. An operand past DynamoDB's 2 MB of values is copied whole all the same: the
 * check counts its bytes (and says them), and the list a Proxy said was longer, or a set's
 * subclass iterating fewer members, would be checked as one value and sent as another.
 */
export function conditionTakenNow<T>(condition: T): T {
  if (condition === null || typeof condition !== 'object') return condition;
  return takenNow(condition, 0, new Map(), 'condition', false) as T;
}

/**
 * A value an update sets or appends, taken as `conditionTakenNow` takes an operand (plain
 * objects, lists, sets and bytes copied, each read once; anything else left for the check to
 * refuse), its lists and maps frozen: what `checkUpdatePaths` checks is what a backend runs,
 * and no later write to the snapshot changes it (a set's members and bytes cannot be frozen).
 */
export function updateValueTakenNow(value: unknown): unknown {
  return takenNow(value, 0, new Map(), 'operand', true);
}

// And / or / not levels (a map and a list each), a comparison, and a value nested as deep as
// an item's, with room to spare: past it, what is left is refused by the check anyway.
const maxTakenDepth = 4 * (maxNestingDepth + 2);
// No and / or holds more parts (each takes an operator, and one joins each to the next: 2k - 1
// of DynamoDB's 300): past them, one more is copied, for the check to refuse the list without
// a copy of 100,000 parts first.
const maxConditionParts = Math.floor((expressionLimits.maxOperators + 1) / 2);
// Set.prototype's own iteration: a subclass cannot make a set's members read otherwise.
const setValues = Set.prototype.values;

/**
 * How a value is taken: as a condition (its and / or / not levels, the comparisons in them), as
 * an operand (any value a store holds), or as the operand of an operator that takes a list of
 * at most so many entries (`in`, `between`), or none (0: a string, a number or bytes).
 */
type Taking = 'condition' | 'operand' | number;

// What each operator's operand may be, as `checkOperand` refuses it by its length or its type
// alone: `in` one value past DynamoDB's 100, `between` one bound past 2.
const operandTaking: Record<string, Taking> = {
  in: 101,
  between: 3,
  lt: 0,
  lte: 0,
  gt: 0,
  gte: 0,
  beginsWith: 0,
  exists: 0,
};

function takingOf(name: string): Taking {
  if (name === 'and' || name === 'or' || name === 'not') return 'condition';
  return Object.hasOwn(operandTaking, name) ? operandTaking[name]! : 'operand';
}

function takenNow(
  value: unknown,
  depth: number,
  copies: Map<Taking, Map<object, unknown>>,
  taking: Taking,
  frozen: boolean,
): unknown {
  if (value === null || typeof value !== 'object' || depth > maxTakenDepth) return value;
  // A list, a set or a map where the operator takes a string, a number or bytes; anything but
  // a list where it takes one: refused by its type alone.
  if (typeof taking === 'number' && !(taking === 0 ? isBytes(value) : Array.isArray(value)))
    return value;
  // Each way of taking a value has its copies: a list cut as an `in` is no operand's copy.
  let made = copies.get(taking);
  if (made === undefined) copies.set(taking, (made = new Map()));
  const known = made.get(value);
  if (known !== undefined) return known;
  if (isBytes(value)) {
    const bytes = new Uint8Array(value);
    made.set(value, bytes);
    return bytes;
  }
  if (isSet(value)) {
    const members = new Set<unknown>();
    made.set(value, members);
    for (const member of [...setValues.call(value)])
      members.add(takenNow(member, depth + 1, copies, 'operand', frozen));
    return members;
  }
  if (Array.isArray(value)) {
    const given = value.length;
    const length =
      taking === 'condition'
        ? Math.min(given, maxConditionParts + 1)
        : typeof taking === 'number'
          ? Math.min(given, taking)
          : given;
    const list: unknown[] = new Array(length);
    made.set(value, list);
    const entries = taking === 'condition' ? 'condition' : 'operand';
    // Holes stay holes, for the check to refuse.
    for (let index = 0; index < length; index++)
      if (index in value) list[index] = takenNow(value[index], depth + 1, copies, entries, frozen);
    return frozen ? Object.freeze(list) : list;
  }
  if (isPlainRecord(value)) {
    const record: Record<string, unknown> =
      Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    made.set(value, record);
    for (const name of Object.keys(value))
      Object.defineProperty(record, name, {
        value: takenNow(
          (value as Record<string, unknown>)[name],
          depth + 1,
          copies,
          taking === 'condition' ? takingOf(name) : 'operand',
          frozen,
        ),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    // Symbol keys go over as they are (their descriptors: a getter is not run, a hidden key
    // stays hidden): no condition reads them, and the check refuses an operand that has one
    // (a map of an item cannot hold one).
    for (const symbol of Object.getOwnPropertySymbols(value))
      Object.defineProperty(record, symbol, {
        ...Object.getOwnPropertyDescriptor(value, symbol),
        configurable: true,
      });
    return frozen ? Object.freeze(record) : record;
  }
  made.set(value, value);
  return value;
}

// Conditions core builds once per model (see `modelConditions`), frozen to the last member:
// once one passed `checkRequestCondition`, it cannot change, and is not checked again each
// time a backend is given it.
const madeByCore = new WeakSet<object>();
const checkedOnce = new WeakSet<object>();
// Conditions (filters, sort conditions, keys) core built for one call from what it had already
// taken as it read then: no caller holds them, so a backend's check takes them as they are,
// with no copy. Module-private: a caller of a backend cannot mark its own objects.
const builtForOneCall = new WeakSet<object>();

/** Freezes a condition core made itself, to its last member, so that it is checked once. */
export function frozenCondition<T extends Condition>(condition: T): T {
  deepFreeze(condition);
  madeByCore.add(condition);
  return condition;
}

/**
 * Marks a condition (a filter, a sort condition, a start key) core built for one call from
 * values it already took (`conditionTakenNow`) and checked, so that the backend's check does
 * not copy it again (`takenToCheck`). Only core's own objects may be marked: a caller's would
 * then be read again after its check.
 */
export function builtByCore<T>(condition: T): T {
  if (condition !== null && typeof condition === 'object') builtForOneCall.add(condition);
  return condition;
}

/**
 * What a backend's check checks and the backend then runs: a caller's condition (filter, sort
 * condition, start key) as it reads now (`conditionTakenNow`), or one core built (frozen, or
 * built for the call from what it took), as it is.
 */
export function takenToCheck<T>(condition: T): T {
  if (condition === null || typeof condition !== 'object') return condition;
  if (madeByCore.has(condition) || builtForOneCall.has(condition)) return condition;
  return conditionTakenNow(condition);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
}

/**
 * The and / or / not levels a condition given to a backend may nest: a caller's 32, within
 * the `and` in which core joins it to the condition the operation needs for itself.
 */
export const maxRequestNestingDepth = maxNestingDepth + 1;

/**
 * Checks a condition (or filter) a backend method is given, before anything is read or
 * written, as `checkCondition` checks a caller's: well formed, storable values (nested at
 * most 32 levels), names, DynamoDB's expression limits, and and / or / not nested at most
 * `maxRequestNestingDepth` levels. Throws `InvalidRequestError`, however deep the condition:
 * every backend refuses alike what DynamoDB would refuse, even where its own evaluation would
 * never reach the offending part (a short-circuit, an empty page). `undefined` is no condition.
 *
 * Returns the condition checked, for the backend to evaluate or send instead of the one it was
 * given: a copy of it as it read once (`conditionTakenNow`), so that a getter or Proxy that
 * answers otherwise later cannot make the condition run differ from the one checked; the
 * conditions core builds itself are returned as they are.
 */
export function checkRequestCondition(
  condition: Condition | undefined,
  where: string,
): Condition | undefined {
  if (condition === undefined || checkedOnce.has(condition)) return condition;
  const taken = takenToCheck(condition);
  checkConditionPart(taken, where, [], 0, maxRequestNestingDepth, { operators: 0 });
  checkExpressionLimits({ condition: taken }, where);
  if (madeByCore.has(taken)) checkedOnce.add(taken);
  return taken;
}

/**
 * `checkRequestCondition` of a query's filter, which may not name the partition or sort key of
 * the table or index queried either: DynamoDB refuses that (those go in the key conditions),
 * so every backend refuses it alike, with `InvalidRequestError`. Scans' filters may name them.
 * Returns the filter checked, to run instead of the one given (as `checkRequestCondition`).
 */
export function checkQueryFilter(
  filter: Condition | undefined,
  keys: TableDescriptor | IndexDescriptor,
): Condition | undefined {
  if (filter === undefined) return undefined;
  const forbidden = keys.sortKey
    ? [keys.partitionKey.name, keys.sortKey.name]
    : [keys.partitionKey.name];
  const taken = takenToCheck(filter);
  checkConditionPart(taken, 'query filter', forbidden, 0, maxRequestNestingDepth, {
    operators: 0,
  });
  checkExpressionLimits({ condition: taken }, 'query filter');
  return taken;
}

/**
 * Operators and functions counted so far, as `expressionCosts` counts them: a comparison or
 * function, a NOT, an AND or OR between two parts. Counted as the check goes, so that a
 * condition past DynamoDB's 300 is refused after about 300 of its parts, however many it has.
 */
interface OperatorCount {
  operators: number;
}

function countOperator(count: OperatorCount, where: string): void {
  count.operators += 1;
  if (count.operators > expressionLimits.maxOperators)
    throw new InvalidRequestError(
      `${where}: the condition takes more than ${expressionLimits.maxOperators} operators and functions, above DynamoDB's ${expressionLimits.maxOperators}`,
    );
}

function checkConditionPart(
  condition: Condition,
  where: string,
  forbidden: readonly string[],
  depth: number,
  maxDepth: number,
  count: OperatorCount,
): void {
  if (depth > maxDepth)
    throw new InvalidRequestError(`${where} is nested deeper than ${maxDepth} levels`);
  if (!isPlainRecord(condition)) throw new InvalidRequestError(`${where} must be a plain object`);
  const record = condition as Record<string, unknown>;
  // Own properties only: a condition's keys are data, never looked up on its prototype.
  if (Object.hasOwn(record, 'and') || Object.hasOwn(record, 'or')) {
    const list = Object.hasOwn(record, 'and') ? record.and : record.or;
    if (Object.keys(record).length !== 1 || !Array.isArray(list) || list.length === 0) {
      throw new InvalidRequestError(
        `${where}: and / or take a non-empty list of conditions, alone`,
      );
    }
    for (let index = 0; index < list.length; index++) {
      // The AND or OR before every part but the first.
      if (index > 0) countOperator(count, where);
      checkConditionPart(list[index] as Condition, where, forbidden, depth + 1, maxDepth, count);
    }
    return;
  }
  if (Object.hasOwn(record, 'not')) {
    if (Object.keys(record).length !== 1)
      throw new InvalidRequestError(`${where}: not takes one condition, alone`);
    countOperator(count, where);
    checkConditionPart(record.not as Condition, where, forbidden, depth + 1, maxDepth, count);
    return;
  }
  countOperator(count, where);
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
  if (!isPlainRecord(condition)) throw new InvalidRequestError(`${where} must be a plain object`);
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
  // DynamoDB orders strings, numbers and binaries only, and refuses any other operand.
  if (orderedOperators.has(operator) && !isOrderedScalar(operand)) {
    throw new InvalidRequestError(`${where}: ${operator} takes a string, a number or bytes`);
  }
  if (operator === 'beginsWith' && typeof operand !== 'string' && !isBytes(operand)) {
    throw new InvalidRequestError(`${where}: beginsWith takes a string or bytes`);
  }
  checkValue(operand, where);
}

const orderedOperators = new Set(['lt', 'lte', 'gt', 'gte']);

function isOrderedScalar(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    isBytes(value)
  );
}

function checkValue(value: unknown, where: string): void {
  // Compared with an attribute's value: level 1, as a stored attribute's is.
  const problem = operandProblem(value, 1);
  if (problem) throw new InvalidRequestError(`${where}: a value ${problem}`);
}

function checkPath(path: unknown, where: string): AttributePath {
  const segments = typeof path === 'string' ? [path] : path;
  if (
    !Array.isArray(segments) ||
    segments.length === 0 ||
    typeof segments[0] !== 'string' ||
    !segments.every(
      (part) =>
        (typeof part === 'string' && part.length > 0) || (Number.isSafeInteger(part) && part >= 0),
    )
  ) {
    throw new InvalidRequestError(
      `${where}: attr must be an attribute name or a path of names and list positions`,
    );
  }
  if (segments.some((part) => typeof part === 'string' && !part.isWellFormed()))
    throw new InvalidRequestError(`${where}: an attribute name holds a lone surrogate`);
  if (segments.some((part) => typeof part === 'string' && refusedName(part)))
    throw new InvalidRequestError(`${where}: an attribute name ${longNameProblem}`);
  // A path of n steps names a value at level n (the attribute's is 1), as an update path does.
  if (segments.length > maxNestingDepth)
    throw new InvalidRequestError(
      `${where}: a path reaches deeper than the ${maxNestingDepth} levels DynamoDB nests`,
    );
  return path as AttributePath;
}

// Conditions are data written as object literals: a class instance or an object whose
// prototype adds keys is not one.
function isPlainRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || isObjectPrototype(prototype);
}
