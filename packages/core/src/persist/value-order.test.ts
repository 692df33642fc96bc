import { describe, expect, it } from 'vitest';
import { compareBytes, compareNumbers, compareStrings } from './value-order.js';

describe('DynamoDB value order', () => {
  it('orders strings by UTF-8 bytes (code points), not UTF-16 units', () => {
    const sorted = ['😀', '\uFF61', 'é', 'a', 'Z', '中', ''].sort(compareStrings);
    expect(sorted).toEqual(['', 'Z', 'a', 'é', '中', '\uFF61', '😀']);
    // JavaScript's own order puts the astral character before U+FF61.
    expect(['\uFF61', '😀'].sort()).toEqual(['😀', '\uFF61']);
  });

  it('orders numbers exactly, across number and bigint', () => {
    expect(compareNumbers(2n ** 60n, 2 ** 53)).toBeGreaterThan(0);
    expect(compareNumbers(-(2n ** 60n), -1.5)).toBeLessThan(0);
    expect(compareNumbers(3n, 2.5)).toBeGreaterThan(0);
    expect(compareNumbers(2n, 2.5)).toBeLessThan(0);
    expect(compareNumbers(5n, 5)).toBe(0);
    expect([10, -1, 2.5, 0].sort(compareNumbers)).toEqual([-1, 0, 2.5, 10]);
  });

  it('orders bytes as unsigned values', () => {
    expect(compareBytes(Uint8Array.of(0x7f), Uint8Array.of(0x80))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBeLessThan(0);
  });
});
