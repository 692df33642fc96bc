import type { AttributePath, StoredValue } from './stored-value.js';

/** A comparison on one attribute. The string form of `attr` is one name, never split on dots. */
export type Comparison =
  | { attr: AttributePath; eq: StoredValue }
  | { attr: AttributePath; ne: StoredValue }
  | { attr: AttributePath; lt: StoredValue }
  | { attr: AttributePath; lte: StoredValue }
  | { attr: AttributePath; gt: StoredValue }
  | { attr: AttributePath; gte: StoredValue }
  | { attr: AttributePath; between: readonly [StoredValue, StoredValue] }
  | { attr: AttributePath; beginsWith: string | Uint8Array }
  | { attr: AttributePath; contains: StoredValue }
  | { attr: AttributePath; in: readonly StoredValue[] }
  | { attr: AttributePath; exists: boolean };

/**
 * An engine-neutral condition: comparisons combined with `and`, `or` and `not`.
 * Backends translate it (DynamoDB: a ConditionExpression with placeholders only).
 */
export type Condition =
  | Comparison
  | { and: readonly Condition[] }
  | { or: readonly Condition[] }
  | { not: Condition };

/** A condition on the sort key of a query (DynamoDB's KeyConditionExpression forms). */
export type SortKeyCondition =
  | { eq: StoredValue }
  | { lt: StoredValue }
  | { lte: StoredValue }
  | { gt: StoredValue }
  | { gte: StoredValue }
  | { between: readonly [StoredValue, StoredValue] }
  | { beginsWith: string | Uint8Array };

/** The operator names a comparison may use. */
export const comparisonOperators = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'beginsWith',
  'contains',
  'in',
  'exists',
] as const;

/** One of the comparison operators. */
export type ComparisonOperator = (typeof comparisonOperators)[number];

/** The operator names a sort-key condition may use. */
export const sortKeyOperators = ['eq', 'lt', 'lte', 'gt', 'gte', 'between', 'beginsWith'] as const;
