import type { AttributePath, StoredValue } from './stored-value.js';

/**
 * An object a comparison may hold that a stored map's type does not describe: one typed by an
 * interface or a class (`interface Address { city: string }`), which TypeScript gives no index
 * signature, so that no `{ [name: string]: StoredValue }` takes it. What is plainly no map is
 * still refused by the compiler: a function or a class, a `Date`, a `Map`, a `Set` of what no
 * stored set holds, typed arrays, a `RegExp`, a `Promise` (each has one of these symbol-keyed
 * members, which no map has). The compiler checks the properties of an object written in the
 * condition itself, not those of another object value (an interface's `Date` property, an
 * `Error`, a class instance): the check every operand gets when the condition is used refuses
 * those, with the path to what a store cannot hold.
 */
export type OperandObject = object & {
  readonly [Symbol.iterator]?: never;
  readonly [Symbol.toPrimitive]?: never;
  readonly [Symbol.toStringTag]?: never;
  readonly [Symbol.hasInstance]?: never;
  readonly [Symbol.match]?: never;
};

/**
 * A value a comparison holds: a stored value, or a list or an object of them typed by an
 * interface (see {@link OperandObject}).
 */
export type ConditionOperand =
  | StoredValue
  | readonly ConditionOperand[]
  // An object written in the condition has its properties checked against this one (a stored
  // map's would refuse an interface value among them).
  | { readonly [name: string]: ConditionOperand }
  | OperandObject;

/** A comparison on one attribute. The string form of `attr` is one name, never split on dots. */
export type Comparison =
  | { attr: AttributePath; eq: ConditionOperand }
  | { attr: AttributePath; ne: ConditionOperand }
  | { attr: AttributePath; lt: ConditionOperand }
  | { attr: AttributePath; lte: ConditionOperand }
  | { attr: AttributePath; gt: ConditionOperand }
  | { attr: AttributePath; gte: ConditionOperand }
  | { attr: AttributePath; between: readonly [ConditionOperand, ConditionOperand] }
  | { attr: AttributePath; beginsWith: string | Uint8Array }
  | { attr: AttributePath; contains: ConditionOperand }
  | { attr: AttributePath; in: readonly ConditionOperand[] }
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
