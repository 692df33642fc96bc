import { InvalidRequestError } from '../errors/persistence-errors.js';
import type { Condition } from './condition.js';
import { itemSize, valueSizeBound } from './item-size.js';
import type { AttributePath, StoredValue } from './stored-value.js';
import type { UpdateOperation } from './update-operation.js';

/**
 * DynamoDB's documented limits on expression parameters, "Expression parameters" in
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 * (formerly Constraints.html; 1 KB = 1024 bytes there):
 * - "The maximum length of any expression string is 4 KB";
 * - "The maximum number of operators or functions allowed in an UpdateExpression is 300"
 *   (later editions: "in a single expression"), e.g. `SET a = :val1 + :val2 + :val3` holds two;
 * - "The maximum length of all substitution variables in an expression is 2 MB. This is the
 *   sum of the lengths of all ExpressionAttributeNames and ExpressionAttributeValues".
 * No local engine enforces them (moto crashed on a 400-attribute update), so core does, the
 * same for every backend.
 */
export const expressionLimits = {
  maxExpressionBytes: 4 * 1024,
  maxOperators: 300,
  maxSubstitutionBytes: 2 * 1024 * 1024,
} as const;

// What the DynamoDB backend writes in parentheses after NOT (anything but a comparison or a
// function): made once, counted on every update and conditional write.
const parenthesisedAfterNot = ['and', 'or', 'not', 'between'] as const;

/** The parts of one request whose expressions share their placeholders. */
export interface ExpressionParts {
  /** The condition (or filter) expression. */
  condition?: Condition | undefined;
  /** The update expression. */
  operations?: readonly UpdateOperation[] | undefined;
}

/** What one expression of a request costs against DynamoDB's limits. */
export interface ExpressionCost {
  /** `update` or `condition`. */
  readonly kind: 'update' | 'condition';
  /** Operators and functions. */
  readonly operators: number;
  /** Its length in bytes, estimated long. */
  readonly bytes: number;
}

/**
 * The estimated cost of a request's expressions, and the bytes of its names and values
 * (placeholders included), as the DynamoDB backend would write them. With `exactBytes`
 * false, names and values count 3 bytes a UTF-16 unit (and 21 a number): an upper bound of
 * the substitution bytes that needs no UTF-8 count.
 */
export function expressionCosts(
  parts: ExpressionParts,
  exactBytes = true,
): {
  expressions: ExpressionCost[];
  substitutionBytes: number;
} {
  const estimate = new ExpressionEstimate(exactBytes);
  const shapes: ['update' | 'condition', ExpressionShape][] = [];
  if (parts.operations) shapes.push(['update', estimate.update(parts.operations)]);
  if (parts.condition) shapes.push(['condition', estimate.condition(parts.condition)]);
  return {
    expressions: shapes.map(([kind, shape]) => ({
      kind,
      operators: shape.operators,
      bytes: estimate.bytesOf(shape),
    })),
    substitutionBytes: estimate.substitutionBytes(),
  };
}

/** Throws `InvalidRequestError` when a request's expressions would pass a DynamoDB limit. */
export function checkExpressionLimits(parts: ExpressionParts, where: string): void {
  const { expressions, substitutionBytes: bound } = expressionCosts(parts, false);
  // The expressions' own figures do not depend on the bytes of names and values: the bound
  // of those is counted exactly only when it passes the limit.
  const substitutions =
    bound > expressionLimits.maxSubstitutionBytes
      ? expressionCosts(parts).substitutionBytes
      : bound;
  for (const { kind, operators, bytes } of expressions) {
    if (operators > expressionLimits.maxOperators) {
      throw new InvalidRequestError(
        `${where}: the ${kind} takes ${operators} operators and functions, above DynamoDB's ${expressionLimits.maxOperators}`,
      );
    }
    if (bytes > expressionLimits.maxExpressionBytes) {
      throw new InvalidRequestError(
        `${where}: the ${kind} expression would be about ${bytes} bytes, above DynamoDB's ${expressionLimits.maxExpressionBytes}`,
      );
    }
  }
  if (substitutions > expressionLimits.maxSubstitutionBytes) {
    throw new InvalidRequestError(
      `${where}: the names and values of the expressions take ${substitutions} bytes, above DynamoDB's ${expressionLimits.maxSubstitutionBytes}`,
    );
  }
}

/** How many changes of each kind an update makes: one top-level attribute each. */
export interface UpdateCounts {
  readonly set: number;
  readonly remove: number;
  readonly add: number;
  readonly append: number;
}

/**
 * What refuses an update of this many changes whatever they hold (a DynamoDB limit it passes),
 * or undefined: the figures of the smallest such update (`distinctNames` names, no condition),
 * which names, values and a condition only make longer, so that what `checkExpressionLimits`
 * refuses later is refused sooner. Constant time: a change of a hundred thousand paths costs
 * its count, not a check of each (about 4.5 µs a path).
 */
export function updateCountProblem(
  counts: UpdateCounts,
  where: string,
  distinctNames = counts.set + counts.remove + counts.add + counts.append,
): string | undefined {
  const { set, remove, add, append } = counts;
  const operators = 2 * (add + append);
  if (operators > expressionLimits.maxOperators)
    return `${where}: the update takes at least ${operators} operators and functions, above DynamoDB's ${expressionLimits.maxOperators}`;
  const assignments = set + add + append;
  // As `ExpressionEstimate.update` counts them: a name per set or remove, a name and two
  // values per add and append (besides the literal text of each, and the separators).
  const shape: ExpressionShape = {
    literal:
      3 * assignments +
      addLiteral * add +
      appendLiteral * append +
      (assignments > 0 ? 4 + 2 * (assignments - 1) : 0) +
      (remove > 0 ? 8 + 2 * (remove - 1) : 0),
    names: set + remove + 2 * (add + append),
    values: set + 2 * (add + append),
    operators,
  };
  const bytes = placeholderBytes(shape, distinctNames, reservedPlaceholders + shape.values);
  if (bytes > expressionLimits.maxExpressionBytes)
    return `${where}: the update expression would be at least ${bytes} bytes, above DynamoDB's ${expressionLimits.maxExpressionBytes}`;
  return undefined;
}

/** Throws `InvalidRequestError` with `updateCountProblem`'s reason, if any. */
export function checkUpdateCounts(counts: UpdateCounts, where: string): void {
  const problem = updateCountProblem(counts, where);
  if (problem !== undefined) throw new InvalidRequestError(problem);
}

/**
 * The most changes one update can hold, whatever they are: each takes its placeholder (3 bytes
 * at least) and a separator (2), and the first its keyword (`REMOVE ` its 8, the narrowest).
 */
export const maxUpdateOperations = Math.floor((expressionLimits.maxExpressionBytes - 6) / 5);

// The literal text of an add (`if_not_exists(, ) + `) and of an append
// (`list_append(if_not_exists(, ), )`) besides ` = `.
const addLiteral = 20;
const appendLiteral = 32;

// Operations core made, froze and checked with their condition (a repeated add-only change's,
// sent again and again): a backend given them does not estimate them again.
const checkedOperations = new WeakSet<readonly UpdateOperation[]>();

/** Records that core checked these operations, frozen with their values, within the limits. */
export function operationsChecked(operations: readonly UpdateOperation[]): void {
  if (Object.isFrozen(operations)) checkedOperations.add(operations);
}

/** True for operations core made, froze and checked (`operationsChecked`): they cannot change. */
export function checkedByCore(operations: readonly UpdateOperation[]): boolean {
  return checkedOperations.has(operations);
}

/**
 * Throws `InvalidRequestError` when a backend is given more operations than one update
 * expression can hold (`maxUpdateOperations`): in constant time, before any is looked at.
 */
export function checkOperationCount(count: number, where: string): void {
  if (count > maxUpdateOperations)
    throw new InvalidRequestError(
      `${where}: ${count} operations make an update expression longer than DynamoDB's ${expressionLimits.maxExpressionBytes} bytes (at most ${maxUpdateOperations} fit)`,
    );
}

/**
 * Throws `InvalidRequestError` when well-formed operations a backend is given pass a DynamoDB
 * limit, as core's `update()` refuses them (without the condition, which is checked apart).
 */
export function checkOperationLimits(operations: readonly UpdateOperation[], where: string): void {
  if (checkedOperations.has(operations)) return;
  checkExpressionLimits({ operations }, where);
}

/** One expression as counts: literal characters, placeholders used, operators. */
interface ExpressionShape {
  literal: number;
  names: number;
  values: number;
  operators: number;
}

const comparatorLengths = { eq: 1, ne: 2, lt: 1, lte: 2, gt: 1, gte: 2 } as const;
const comparators = Object.keys(comparatorLengths) as (keyof typeof comparatorLengths)[];

/**
 * Mirrors how the DynamoDB backend writes expressions (`#n…` for every distinct name and
 * `:v…` for every value, one request sharing them), erring long: every placeholder counts
 * with the widest number of the request, and a reserve covers the key condition of a query.
 */
class ExpressionEstimate {
  private readonly names = new Set<string>();
  private valueCount = reservedPlaceholders;
  private valueBytes = 0;

  constructor(private readonly exactBytes: boolean) {}

  condition(condition: Condition): ExpressionShape {
    const shape = emptyShape();
    this.addCondition(condition, shape);
    return shape;
  }

  update(operations: readonly UpdateOperation[]): ExpressionShape {
    const shape = emptyShape();
    let sets = 0;
    let removes = 0;
    for (const operation of operations) {
      if (operation.action === 'remove') {
        removes++;
        this.addPath(operation.path, shape);
        continue;
      }
      sets++;
      // `P = V`, `P = if_not_exists(P, V) + V`, `P = list_append(if_not_exists(P, V), V)`.
      this.addPath(operation.path, shape);
      shape.literal += 3;
      if (operation.action === 'set') this.addValue(operation.value, shape);
      else {
        this.addPath(operation.path, shape);
        this.addValue(operation.action === 'add' ? 0 : [], shape);
        this.addValue(operation.value, shape);
        shape.literal += operation.action === 'add' ? addLiteral : appendLiteral;
        shape.operators += 2;
      }
    }
    // `SET ` and `, ` between clauses; ` REMOVE ` likewise.
    if (sets > 0) shape.literal += 4 + 2 * (sets - 1);
    if (removes > 0) shape.literal += 8 + 2 * (removes - 1);
    return shape;
  }

  bytesOf(shape: ExpressionShape): number {
    return placeholderBytes(shape, this.names.size, this.valueCount);
  }

  substitutionBytes(): number {
    let bytes = this.valueBytes + this.valueCount * (2 + String(this.valueCount).length);
    for (const name of this.names)
      bytes += (this.exactBytes ? Buffer.byteLength(name) : 3 * name.length) + 2 + 4;
    return bytes;
  }

  private addCondition(condition: Condition, shape: ExpressionShape): void {
    const record = condition as Record<string, unknown>;
    const and = Object.hasOwn(record, 'and');
    if (and || Object.hasOwn(record, 'or')) {
      const parts = (and ? record.and : record.or) as Condition[];
      // `A AND (B OR C)`: the joining keyword between parts, parentheses where the DynamoDB
      // backend writes them (its `conditionExpression`: an OR among ANDs, an AND among ORs,
      // and a BETWEEN).
      shape.literal += 5 * (parts.length - 1);
      shape.operators += parts.length - 1;
      for (const part of parts) {
        if (Object.hasOwn(part, and ? 'or' : 'and') || Object.hasOwn(part, 'between'))
          shape.literal += 2;
        this.addCondition(part, shape);
      }
      return;
    }
    if (Object.hasOwn(record, 'not')) {
      const part = record.not as Condition;
      // `NOT A`, or `NOT (A)` around anything but a comparison or a function.
      shape.literal += 4;
      if (holdsAny(part, parenthesisedAfterNot)) shape.literal += 2;
      shape.operators += 1;
      this.addCondition(part, shape);
      return;
    }
    shape.operators += 1;
    this.addPath(record.attr as AttributePath, shape);
    if (Object.hasOwn(record, 'exists')) shape.literal += record.exists ? 18 : 22;
    else if (Object.hasOwn(record, 'between')) {
      shape.literal += 14;
      for (const bound of record.between as StoredValue[]) this.addValue(bound, shape);
    } else if (Object.hasOwn(record, 'beginsWith')) {
      shape.literal += 15;
      this.addValue(record.beginsWith as StoredValue, shape);
    } else if (Object.hasOwn(record, 'contains')) {
      shape.literal += 12;
      this.addValue(record.contains as StoredValue, shape);
    } else if (Object.hasOwn(record, 'in')) {
      const values = record.in as StoredValue[];
      shape.literal += 6 + 2 * (values.length - 1);
      for (const value of values) this.addValue(value, shape);
    } else {
      const operator = comparatorOf(record);
      shape.literal += 2 + (operator ? comparatorLengths[operator] : 2);
      if (operator) this.addValue(record[operator] as StoredValue, shape);
    }
  }

  private addPath(path: AttributePath, shape: ExpressionShape): void {
    if (typeof path === 'string') {
      shape.names += 1;
      this.names.add(path);
      return;
    }
    for (let index = 0; index < path.length; index++) {
      const segment = path[index]!;
      if (typeof segment === 'number') shape.literal += 2 + String(segment).length;
      else {
        if (index > 0) shape.literal += 1;
        shape.names += 1;
        this.names.add(segment);
      }
    }
  }

  private addValue(value: StoredValue, shape: ExpressionShape): void {
    shape.values += 1;
    this.valueCount += 1;
    this.valueBytes += this.exactBytes ? itemSize({ '': value }) : valueSizeBound(value);
  }
}

// The estimate runs for every update and conditional write: the helpers below are functions of
// their own, where a closure in `addCondition` would allocate a context at each of its calls.
function holdsAny(record: object, names: readonly string[]): boolean {
  for (const name of names) if (Object.hasOwn(record, name)) return true;
  return false;
}

function comparatorOf(record: object): (typeof comparators)[number] | undefined {
  for (const name of comparators) if (Object.hasOwn(record, name)) return name;
  return undefined;
}

// Placeholders a query's key condition takes before its filter (a partition and a between).
const reservedPlaceholders = 3;

// An expression's bytes: its literal text, and every placeholder as wide as the widest of the
// request (`#n…` numbered after the reserved ones, `:v…` counting them).
function placeholderBytes(shape: ExpressionShape, names: number, values: number): number {
  const nameWidth = 2 + String(names + reservedPlaceholders).length;
  const valueWidth = 2 + String(values).length;
  return shape.literal + shape.names * nameWidth + shape.values * valueWidth;
}

function emptyShape(): ExpressionShape {
  return { literal: 0, names: 0, values: 0, operators: 0 };
}
