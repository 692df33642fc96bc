import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { addExactly, isExactMultiple, parseExactNumber } from './exact-number.js';
import { significantDigits } from './storable-number.js';

describe('decimal addition as DynamoDB does it', () => {
  it('adds decimals exactly', () => {
    expect(addExactly(0.1, 0.2)).toBe(0.3);
    expect(addExactly(1.005, -0.005)).toBe(1);
    expect(addExactly(1e-7, 2e-7)).toBe(3e-7);
  });

  it('turns integers beyond 2^53 into exact bigints', () => {
    expect(addExactly(Number.MAX_SAFE_INTEGER, 1)).toBe(2n ** 53n);
    expect(addExactly(2n ** 64n, -1)).toBe(2n ** 64n - 1n);
  });

  it('refuses results it cannot hold exactly rather than rounding', () => {
    expect(() => addExactly(0.1, 1e-20)).toThrow(InvalidRequestError);
    expect(() => addExactly(10n ** 37n, 0.5)).toThrow(InvalidRequestError);
  });

  it("refuses a sum outside DynamoDB's magnitudes, as DynamoDB does (1e-130 to below 1e126)", () => {
    expect(() => addExactly(9e125, 1e125)).toThrow(/overflow/);
    expect(() => addExactly(-9e125, -1e125)).toThrow(/overflow/);
    expect(() => addExactly(10n ** 125n * 9n, 10n ** 125n)).toThrow(/overflow/);
    expect(() => addExactly(1.5e-130, -1e-130)).toThrow(/underflow/);
    expect(addExactly(9e125, 9e124)).toBe(99n * 10n ** 124n);
    expect(addExactly(2e-130, -1e-130)).toBe(1e-130);
    expect(addExactly(1e-130, -1e-130)).toBe(0);
  });

  it('reads decimal strings exactly or not at all', () => {
    expect(parseExactNumber('42')).toBe(42);
    expect(parseExactNumber('-0.5')).toBe(-0.5);
    expect(parseExactNumber('1E+3')).toBe(1000);
    expect(parseExactNumber('12345678901234567890')).toBe(12345678901234567890n);
    expect(parseExactNumber('0.1')).toBe(0.1);
    expect(parseExactNumber('0.10000000000000000001')).toBeUndefined();
    expect(parseExactNumber('abc')).toBeUndefined();
  });

  it('measures what an exponent claims before building anything: 13 characters never block the thread', () => {
    // Zero whatever its exponent; no double, and no bigint built at once, past them.
    expect(parseExactNumber('0E+1000000000')).toBe(0);
    expect(parseExactNumber('-0.000e-99999999999')).toBe(0);
    expect(parseExactNumber('1E-1000000000')).toBeUndefined();
    expect(parseExactNumber('1E+1000000000')).toBeUndefined();
    expect(parseExactNumber(`1e${'9'.repeat(400)}`)).toBeUndefined();
    // A double's exact decimal has up to 1,074 fractional digits; trailing zeros are no digits.
    expect(parseExactNumber('5e-324')).toBe(5e-324);
    expect(parseExactNumber(`0.${'0'.repeat(1100)}1`)).toBeUndefined();
    expect(parseExactNumber(`1.${'0'.repeat(2000)}`)).toBe(1);
    expect(parseExactNumber(`1${'0'.repeat(2000)}e-2000`)).toBe(1);
    expect(parseExactNumber('1E+400')).toBe(10n ** 400n);
    // PostgreSQL's numeric holds 131,072 digits before the point.
    expect(parseExactNumber(`${'9'.repeat(131_072)}`)).toBe(10n ** 131_072n - 1n);
    expect(parseExactNumber('1e131071')).toBe(10n ** 131_071n);
    expect(parseExactNumber('1e131072')).toBeUndefined();
    // A fraction past a double's range is none either (it threw a SyntaxError).
    expect(parseExactNumber(`${'1'.repeat(400)}.5`)).toBeUndefined();
  });
});

describe('significantDigits', () => {
  it('counts a 400,000-digit integer with a long run of inner zeros in linear time', () => {
    expect(significantDigits(10n ** 400_000n + 1n)).toBe(400_001);
    expect(significantDigits(-(10n ** 400_000n))).toBe(1);
  });
});

describe('isExactMultiple', () => {
  it('finds no multiple of a divisor of 0 or less, nor of a non-finite one (never throws)', () => {
    expect(isExactMultiple(1, 0.5)).toBe(true);
    for (const divisor of [0, -0.5, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(isExactMultiple(1, divisor), `${divisor}`).toBe(false);
    expect(isExactMultiple(0, 0)).toBe(false);
  });
});
