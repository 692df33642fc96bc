import { allOfParts } from '../schema/all-of-parts.js';
import { addExactly } from '../schema/exact-number.js';
import { integerRanges } from '../schema/formats.js';
import type { SchemaNode } from '../schema/schema-node.js';
import type { Condition } from './condition.js';
import { compareNumbers } from './value-order.js';

/** One bound the value of a number property must keep, from its schema. */
export interface NumberBound {
  /** Whether values must stay above it or below it. */
  readonly side: 'lower' | 'upper';
  /** The bound itself, exact. */
  readonly value: number | bigint;
  /** True when the bound itself is not allowed (`exclusiveMinimum`, `exclusiveMaximum`). */
  readonly exclusive: boolean;
  /** The schema keyword that sets it (`minimum`, `format`, …), as validation reports it. */
  readonly keyword: string;
  /** The bound in words, for messages: `its minimum 0`, `the int32 range`. */
  readonly description: string;
}

const largestSafe = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The bounds a number property's value must keep for the object to validate: minimum and
 * maximum (exclusive or not), the range of an integer format, and 2^53 for an integer
 * property without `format: int64` (beyond it the value would be a bigint validation refuses).
 */
export function numberBounds(node: SchemaNode | undefined): readonly NumberBound[] {
  if (!node) return [];
  let bounds = boundsBySchema.get(node);
  if (!bounds) {
    bounds = Object.freeze(schemaBounds(node));
    boundsBySchema.set(node, bounds);
  }
  return bounds;
}

// A schema's bounds never change: computed once a property schema.
const boundsBySchema = new WeakMap<SchemaNode, readonly NumberBound[]>();

function schemaBounds(node: SchemaNode): NumberBound[] {
  const bounds: NumberBound[] = [];
  const bound = (
    side: 'lower' | 'upper',
    value: number | bigint | undefined,
    exclusive: boolean,
    keyword: string,
    description: string,
  ) => {
    if (value !== undefined) bounds.push({ side, value, exclusive, keyword, description });
  };
  // Every allOf part's too: a wrapper's (`allOf: [{ $ref }]` beside a description) are its
  // target's, and a part that narrows a range narrows it for the value.
  for (const part of allOfParts(node)) {
    bound('lower', part.minimum, false, 'minimum', `its minimum ${part.minimum}`);
    bound(
      'lower',
      part.exclusiveMinimum,
      true,
      'exclusiveMinimum',
      `its exclusive minimum ${part.exclusiveMinimum}`,
    );
    bound('upper', part.maximum, false, 'maximum', `its maximum ${part.maximum}`);
    bound(
      'upper',
      part.exclusiveMaximum,
      true,
      'exclusiveMaximum',
      `its exclusive maximum ${part.exclusiveMaximum}`,
    );
    const range = part.format === undefined ? undefined : integerRanges[part.format];
    if (range) {
      bound('lower', range[0], false, 'format', `the ${part.format} range`);
      bound('upper', range[1], false, 'format', `the ${part.format} range`);
    } else if (part.types?.includes('integer') && !part.types.includes('number')) {
      bound('lower', -largestSafe, false, 'type', '2^53 (beyond it an integer needs format int64)');
      bound('upper', largestSafe, false, 'type', '2^53 (beyond it an integer needs format int64)');
    }
  }
  // The tightest bound of each side implies the others: one guard a side is enough.
  return (['lower', 'upper'] as const).flatMap((side) => {
    const tightest = bounds
      .filter((candidate) => candidate.side === side)
      .reduce<NumberBound | undefined>(
        (best, candidate) => (best === undefined || tighter(candidate, best) ? candidate : best),
        undefined,
      );
    return tightest ? [tightest] : [];
  });
}

function tighter(candidate: NumberBound, than: NumberBound): boolean {
  const order = compareNumbers(candidate.value, than.value);
  if (order === 0) return candidate.exclusive && !than.exclusive;
  return candidate.side === 'lower' ? order > 0 : order < 0;
}

/** True when `value` keeps the bound. */
export function keepsBound(value: number | bigint, bound: NumberBound): boolean {
  const order = compareNumbers(value, bound.value);
  if (bound.side === 'lower') return bound.exclusive ? order > 0 : order >= 0;
  return bound.exclusive ? order < 0 : order <= 0;
}

/**
 * The bound that adding `delta` breaks for every value that keeps the bounds, if any: such an
 * `add` is refused before anything is sent. That is when `delta` is wider than the range
 * between a lower and an upper bound.
 */
export function boundBrokenByDelta(
  delta: number | bigint,
  bounds: readonly NumberBound[],
): NumberBound | undefined {
  const magnitude = compareNumbers(delta, 0) < 0 ? negate(delta) : delta;
  for (const { lower, upper, width } of widthsOf(bounds)) {
    if (compareNumbers(magnitude, width) > 0) return compareNumbers(delta, 0) < 0 ? lower : upper;
  }
  return undefined;
}

interface BoundWidth {
  readonly lower: NumberBound;
  readonly upper: NumberBound;
  readonly width: number | bigint;
}

// The exact width between each lower and upper bound, computed once a list of bounds.
const widthsByBounds = new WeakMap<readonly NumberBound[], readonly BoundWidth[]>();

function widthsOf(bounds: readonly NumberBound[]): readonly BoundWidth[] {
  let widths = widthsByBounds.get(bounds);
  if (widths) return widths;
  const found: BoundWidth[] = [];
  for (const lower of bounds.filter((bound) => bound.side === 'lower')) {
    for (const upper of bounds.filter((bound) => bound.side === 'upper')) {
      const width = exactSum(upper.value, negate(lower.value));
      if (width !== undefined) found.push({ lower, upper, width });
    }
  }
  widths = found;
  widthsByBounds.set(bounds, widths);
  return widths;
}

/**
 * The conditions under which adding `delta` to the attribute `name` keeps every bound, in
 * core's condition language so that every backend checks them in the same write. A missing
 * attribute counts as 0, as `add` does. A bound the delta moves away from needs no condition:
 * the stored value keeps it already (a missing one may have to exist). Returns the
 * bound instead when the threshold itself has more digits than a number holds exactly.
 */
export function addGuards(
  name: string,
  delta: number | bigint,
  bounds: readonly NumberBound[],
): Condition[] | NumberBound {
  // A missing attribute counts as 0: it may stay missing only if 0 + delta keeps every bound.
  const missingAllowed = bounds.every((bound) => keepsBound(delta, bound));
  const sign = compareNumbers(delta, 0);
  const guards: Condition[] = [];
  for (const bound of bounds) {
    const towards = bound.side === 'lower' ? sign < 0 : sign > 0;
    if (!towards) continue;
    // stored + delta ≥ bound  ⇔  stored ≥ bound − delta (and likewise for the other sides).
    const threshold = exactSum(bound.value, negate(delta));
    if (threshold === undefined) return bound;
    if (missingAllowed) {
      // `NOT (stored < threshold)`: true for a missing attribute (a comparison with one is
      // false, in DynamoDB as in core's evaluation), so it says `missing OR stored >=
      // threshold` in one comparison, which engines evaluate faster (dynalite: about half the
      // time of the OR form).
      const breaking =
        bound.side === 'lower' ? (bound.exclusive ? 'lte' : 'lt') : bound.exclusive ? 'gte' : 'gt';
      guards.push({ not: { attr: name, [breaking]: threshold } as Condition });
    } else {
      const keeping =
        bound.side === 'lower' ? (bound.exclusive ? 'gt' : 'gte') : bound.exclusive ? 'lt' : 'lte';
      guards.push({ attr: name, [keeping]: threshold } as Condition);
    }
  }
  // A comparison already fails on a missing attribute; without one, say it must exist.
  if (!missingAllowed && guards.length === 0) guards.push({ attr: name, exists: true });
  return guards;
}

/** The bound that adding `delta` to `stored` (undefined: 0) breaks, if any. */
export function boundBrokenByAdd(
  stored: unknown,
  delta: number | bigint,
  bounds: readonly NumberBound[],
): NumberBound | undefined {
  const current = stored === undefined ? 0 : stored;
  if (typeof current !== 'number' && typeof current !== 'bigint') return undefined;
  // An integer another client stored beyond 38 digits still sums exactly as a bigint: its
  // bound is named, not left to a bare condition failure.
  const result = exactSum(current, delta) ?? integerSum(current, delta);
  return result === undefined ? undefined : bounds.find((bound) => !keepsBound(result, bound));
}

function integerSum(left: number | bigint, right: number | bigint): bigint | undefined {
  const integral = (value: number | bigint) => typeof value === 'bigint' || Number.isInteger(value);
  return integral(left) && integral(right) ? BigInt(left) + BigInt(right) : undefined;
}

/** `-value`, exactly (0 for 0, never -0). */
export function negate(value: number | bigint): number | bigint {
  return typeof value === 'bigint' ? -value : value === 0 ? 0 : -value;
}

/** Exact decimal sum, or undefined where DynamoDB's 38 digits cannot hold it. */
export function exactSum(
  left: number | bigint,
  right: number | bigint,
): number | bigint | undefined {
  try {
    const sum = addExactly(left, right);
    return Object.is(sum, -0) ? 0 : sum;
  } catch {
    return undefined;
  }
}
