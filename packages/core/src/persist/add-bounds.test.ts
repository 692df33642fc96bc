import { describe, expect, it } from 'vitest';
import { boundBrokenByAdd, type NumberBound } from './add-bounds.js';

const maximum: NumberBound = {
  side: 'upper',
  value: 100,
  exclusive: false,
  keyword: 'maximum',
  description: 'its maximum 100',
};

describe('boundBrokenByAdd', () => {
  it('names the bound an add breaks', () => {
    expect(boundBrokenByAdd(99, 2, [maximum])).toBe(maximum);
    expect(boundBrokenByAdd(98, 2, [maximum])).toBeUndefined();
    expect(boundBrokenByAdd(undefined, 101, [maximum])).toBe(maximum);
  });

  it('names it for an integer another client stored beyond 38 digits, whose sum DynamoDB cannot hold', () => {
    const stored = 10n ** 50n + 1n;
    expect(boundBrokenByAdd(stored, 1, [maximum])).toBe(maximum);
    expect(boundBrokenByAdd(-stored, 1, [maximum])).toBeUndefined();
  });
});
