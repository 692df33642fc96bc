import { compareWithDecimal, decimalFloor } from './exact-number.js';

/** What a bound keyword says of the values it keeps. */
export type BoundRole = 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum';

// The decimals a schema's bounds were written as where each became an equivalent bound: a
// message names the bound as the spec wrote it, not the number it became.
const writtenBounds = new WeakMap<object, Partial<Record<BoundRole, string>>>();

/** Records that `schema`'s bound `role` is the decimal `written` (see `equivalentBound`). */
export function rememberWrittenBound(schema: object, role: BoundRole, written: string): void {
  const bounds = writtenBounds.get(schema);
  if (bounds) bounds[role] = written;
  else writtenBounds.set(schema, { [role]: written });
}

/** A schema's bound `role` for a message: as the spec wrote it. */
export function shownBound(schema: object, role: BoundRole, bound: number | bigint): string {
  return writtenBounds.get(schema)?.[role] ?? String(bound);
}

/**
 * The number, or bigint, that keeps exactly the values the decimal `written` keeps as the bound
 * `role`, where `written` has more significant digits than a double holds (`maximum:
 * 99999999999999999999.99`, which the parser reads as 1e20). A value is a double, compared as
 * the shortest decimal that reads back as it (as `compareWithDecimal` does; from 2^53 on, as
 * the integer it is, as with an int64 bound), or a bigint beyond 2^53: no value lies between
 * the decimal and the bound returned, so validation compares with a bound of the usual kinds
 * and never with a rounded one.
 */
export function equivalentBound(written: string, role: BoundRole): number | bigint {
  const nearest = Number(written);
  // Beyond the doubles, as the parser read it (what a keyword must be then says so).
  if (!Number.isFinite(nearest)) return nearest;
  // A decimal read as 0 lies between 0 and the smallest double on its side, as 1e-400 does:
  // compared as that, its exponent (`1.1e-1000000000`) builds no power of ten of its size.
  const [mantissa = ''] = written.toLowerCase().split('e');
  const text =
    nearest === 0 && /[1-9]/.test(mantissa)
      ? `${mantissa.trim().startsWith('-') ? '-' : ''}1e-400`
      : written;
  if (Math.abs(nearest) >= 2 ** 53) {
    // Every value this far out is an integer (a double's spacing is 1 or more from 2^52 on, and
    // a bigint is one): the integer next to the decimal on the side the bound keeps.
    const floor = decimalFloor(text);
    if (compareWithDecimal(floor, text) === 0) return floor;
    return role === 'maximum' || role === 'exclusiveMinimum' ? floor : floor + 1n;
  }
  // Nearer zero, every bigint is beyond the bound on its side, and the doubles either side of
  // the decimal decide: the shortest decimal of the one it rounds to may fall on either side.
  const below = compareWithDecimal(nearest, text) < 0 ? nearest : nextDouble(nearest, -1);
  const above = compareWithDecimal(nearest, text) > 0 ? nearest : nextDouble(nearest, 1);
  switch (role) {
    case 'maximum':
      return compareWithDecimal(above, text) <= 0 ? above : below;
    case 'exclusiveMaximum':
      return compareWithDecimal(above, text) < 0 ? nextDouble(above, 1) : above;
    case 'minimum':
      return compareWithDecimal(below, text) >= 0 ? below : above;
    case 'exclusiveMinimum':
      return compareWithDecimal(below, text) > 0 ? nextDouble(below, -1) : below;
  }
}

/** The double next to a finite `value`, above it (`direction` 1) or below it (-1). */
function nextDouble(value: number, direction: 1 | -1): number {
  if (value === 0) return direction * Number.MIN_VALUE;
  const double = new Float64Array([value]);
  const bits = new BigInt64Array(double.buffer);
  bits[0]! += value > 0 === direction > 0 ? 1n : -1n;
  return double[0]!;
}
