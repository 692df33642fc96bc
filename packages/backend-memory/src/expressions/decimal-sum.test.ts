import { InvalidRequestError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { decimalSum } from './decimal-sum.js';

describe('decimal addition as DynamoDB does it', () => {
  it('adds decimals exactly', () => {
    expect(decimalSum(0.1, 0.2)).toBe(0.3);
    expect(decimalSum(1.005, -0.005)).toBe(1);
    expect(decimalSum(1e-7, 2e-7)).toBe(3e-7);
  });

  it('turns integers beyond 2^53 into exact bigints', () => {
    expect(decimalSum(Number.MAX_SAFE_INTEGER, 1)).toBe(2n ** 53n);
    expect(decimalSum(2n ** 64n, -1)).toBe(2n ** 64n - 1n);
  });

  it('refuses results it cannot hold exactly rather than rounding', () => {
    expect(() => decimalSum(0.1, 1e-20)).toThrow(InvalidRequestError);
    expect(() => decimalSum(10n ** 37n, 0.5)).toThrow(InvalidRequestError);
  });
});
