import { BackendError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import {
  fromAttributeMap,
  fromAttributeValue,
  toAttributeMap,
  toAttributeValue,
} from './attribute-value.js';

describe('DynamoDB wire values', () => {
  it('writes every value type exactly', () => {
    expect(
      toAttributeMap({
        s: 'x',
        n: 1.5,
        big: 2n ** 64n,
        yes: true,
        none: null,
        bytes: Uint8Array.of(1, 2),
        list: [1, 'a'],
        map: { a: { b: 1 } },
      }),
    ).toEqual({
      s: { S: 'x' },
      n: { N: '1.5' },
      big: { N: '18446744073709551616' },
      yes: { BOOL: true },
      none: { NULL: true },
      bytes: { B: Uint8Array.of(1, 2) },
      list: { L: [{ N: '1' }, { S: 'a' }] },
      map: { M: { a: { M: { b: { N: '1' } } } } },
    });
  });

  it('reads integers beyond 2^53 as bigint and the rest as numbers', () => {
    expect(fromAttributeValue({ N: '9007199254740993' })).toBe(9007199254740993n);
    expect(fromAttributeValue({ N: '-12.25' })).toBe(-12.25);
    expect(fromAttributeValue({ N: '12345678901234567890123456789012345678' })).toBe(
      12345678901234567890123456789012345678n,
    );
  });

  it('refuses a decimal no JavaScript number holds, instead of rounding it', () => {
    expect(() => fromAttributeMap({ price: { N: '0.123456789012345678901' } })).toThrow(
      BackendError,
    );
  });

  it('round-trips what it writes', () => {
    const item = {
      id: 'a',
      values: [0.1, 2n ** 60n, -3],
      nested: { flag: false, raw: Uint8Array.of(255) },
    };
    expect(fromAttributeMap(toAttributeMap(item))).toEqual(item);
  });

  it('reads sets written by other clients as lists', () => {
    expect(fromAttributeValue({ SS: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(fromAttributeValue({ NS: ['1', '2.5'] })).toEqual([1, 2.5]);
  });

  it('writes the exact digits of a bigint key', () => {
    expect(toAttributeValue(10n ** 37n)).toEqual({ N: `1${'0'.repeat(37)}` });
  });
});
