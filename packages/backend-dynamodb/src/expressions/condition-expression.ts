import type { Condition, SortKeyCondition, StoredValue } from '@macaron/core';
import { isEmptyPrefix } from '@macaron/core/backend';
import type { ExpressionAttributes } from './expression-attributes.js';

const comparators = Object.entries({
  eq: '=',
  ne: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
} as const);

/**
 * Translates an engine-neutral condition into a DynamoDB condition (or filter) expression.
 *
 * Parentheses only where DynamoDB's precedence (comparisons and functions, then NOT, AND, OR)
 * needs them, and around a BETWEEN or an AND among others, for readers: every pair costs the
 * engine's parser (dynalite spent ~100 µs a pair on an update's condition). core's
 * `expressionCosts` counts the same.
 */
export function conditionExpression(given: Condition, attributes: ExpressionAttributes): string {
  const condition = alone(given);
  if ('and' in condition)
    return condition.and
      .map(alone)
      .map((part) => operand(part, 'or' in part || 'between' in part, attributes))
      .join(' AND ');
  if ('or' in condition)
    return condition.or
      .map(alone)
      .map((part) => operand(part, 'and' in part || 'between' in part, attributes))
      .join(' OR ');
  if ('not' in condition) {
    const part = alone(condition.not);
    const compound = 'and' in part || 'or' in part || 'not' in part || 'between' in part;
    return `NOT ${operand(part, compound, attributes)}`;
  }
  const path = attributes.path(condition.attr);
  if ('exists' in condition)
    return condition.exists ? `attribute_exists(${path})` : `attribute_not_exists(${path})`;
  if ('between' in condition) {
    return `${path} BETWEEN ${attributes.value(condition.between[0])} AND ${attributes.value(condition.between[1])}`;
  }
  if ('beginsWith' in condition)
    return `begins_with(${path}, ${attributes.value(condition.beginsWith)})`;
  if ('contains' in condition) return `contains(${path}, ${attributes.value(condition.contains)})`;
  if ('in' in condition)
    return `${path} IN (${condition.in.map((value) => attributes.value(value)).join(', ')})`;
  for (const [operator, symbol] of comparators) {
    if (operator in condition)
      return `${path} ${symbol} ${attributes.value((condition as unknown as Record<string, StoredValue>)[operator]!)}`;
  }
  throw new TypeError('Unknown condition');
}

// An `and` or `or` of one member is that member: written as such, it would wrap the member in
// a second pair of parentheses where it needs one, which DynamoDB refuses as redundant.
function alone(condition: Condition): Condition {
  let found = condition;
  while (('and' in found && found.and.length === 1) || ('or' in found && found.or.length === 1))
    found = 'and' in found ? found.and[0]! : (found as { or: readonly Condition[] }).or[0]!;
  return found;
}

function operand(
  condition: Condition,
  parenthesised: boolean,
  attributes: ExpressionAttributes,
): string {
  const expression = conditionExpression(condition, attributes);
  return parenthesised ? `(${expression})` : expression;
}

/** The key condition of a query: the partition, and the sort-key condition if any. */
export function keyConditionExpression(
  attributes: ExpressionAttributes,
  partitionName: string,
  partition: StoredValue,
  sortName: string | undefined,
  sort: SortKeyCondition | undefined,
): string {
  const partitionPart = `${attributes.name(partitionName)} = ${attributes.value(partition)}`;
  // Every key begins with an empty prefix, and DynamoDB refuses an empty key value: no condition.
  if (!sort || !sortName || isEmptyPrefix(sort)) return partitionPart;
  return `${partitionPart} AND ${conditionExpression({ attr: sortName, ...sort } as Condition, attributes)}`;
}
