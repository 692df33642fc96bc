import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNumbers } from '../persist/value-order.js';
import { type BoundRole, equivalentBound } from './decimal-bound.js';
import { compareWithDecimal } from './exact-number.js';

const roles: readonly BoundRole[] = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];

// Whether `value` keeps the bound `role` of the decimal text, and of the bound given for it.
function keeps(order: number, role: BoundRole): boolean {
  if (role === 'minimum') return order >= 0;
  if (role === 'maximum') return order <= 0;
  if (role === 'exclusiveMinimum') return order > 0;
  return order < 0;
}

// A decimal of 20 to 30 significant digits (more than a double holds) near `double`.
const longDecimal = fc
  .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 10 ** 9 }))
  .map(([double, tail]) => {
    const [mantissa = '0', exponent = '0'] = double.toExponential(16).split('e');
    return `${mantissa}${String(tail).padStart(10, '0')}e${exponent}`;
  })
  .filter((text) => String(Number(text)) !== text && compareWithDecimal(Number(text), text) !== 0);

// The values near a decimal: its double, the ones either side, and the integers either side.
function valuesNear(text: string): (number | bigint)[] {
  const double = Number(text);
  const values: (number | bigint)[] = [double, -double];
  for (const step of [1, -1]) {
    const bits = new BigInt64Array(new Float64Array([double]).buffer);
    bits[0]! += BigInt(step);
    values.push(new Float64Array(bits.buffer)[0]!);
  }
  if (Math.abs(double) >= 2 ** 53)
    for (const step of [-1n, 0n, 1n]) values.push(BigInt(Math.trunc(double)) + step);
  return values.filter((value) => typeof value === 'bigint' || Number.isFinite(value));
}

// A value as validation compares it with a bound: a double from 2^53 on as the integer it is
// (as with an int64 bound), nearer zero as its shortest decimal.
const exactly = (value: number | bigint) =>
  typeof value === 'number' && Math.abs(value) >= 2 ** 53 ? BigInt(value) : value;

describe('equivalentBound', () => {
  it('keeps exactly the values the decimal keeps, for every bound', () => {
    fc.assert(
      fc.property(longDecimal, (text) => {
        for (const role of roles) {
          const bound = equivalentBound(text, role);
          for (const value of valuesNear(text))
            expect(keeps(compareNumbers(value, bound), role), `${value} ${role} ${text}`).toBe(
              keeps(compareWithDecimal(exactly(value), text), role),
            );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is the decimal itself where it is an integer', () => {
    expect(roles.map((role) => equivalentBound('99999999999999999999.00', role))).toEqual(
      roles.map(() => 99999999999999999999n),
    );
    expect(equivalentBound('99999999999999999999.99', 'maximum')).toBe(99999999999999999999n);
    expect(equivalentBound('99999999999999999999.99', 'exclusiveMaximum')).toBe(
      100000000000000000000n,
    );
  });

  it('is the integer next to a decimal the parser reads as 2^53, on the side the bound keeps', () => {
    // Every value from 2^53 on is an integer: none lies between 2^53 + 0.5 and 2^53 + 1.
    expect(
      ['9007199254740992.5', '-9007199254740992.5'].map((text) =>
        roles.map((role) => equivalentBound(text, role)),
      ),
    ).toEqual([
      [9007199254740993n, 9007199254740992n, 9007199254740992n, 9007199254740993n],
      [-9007199254740992n, -9007199254740993n, -9007199254740993n, -9007199254740992n],
    ]);
  });

  it('is found at once for a decimal the parser reads as 0, however small its exponent', () => {
    // Compared exactly, `1.1e-1000000000` is a power of ten of a billion digits: a RangeError
    // after half a minute of blocked thread.
    const bounds = [
      '1.00000000000000000001e-1000000000',
      '-1.00000000000000000001e-1000000000',
    ].map((text) => roles.map((role) => equivalentBound(text, role)));
    // Of the doubles, 0 is below the first and above the second, 5e-324 the next above 0.
    expect(bounds).toEqual([
      [5e-324, 0, 0, 5e-324],
      [-0, -5e-324, -5e-324, -0],
    ]);
  });
});
