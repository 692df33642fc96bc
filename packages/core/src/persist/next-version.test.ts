import { describe, expect, it } from 'vitest';
import { nextVersion } from './next-version.js';

describe('[P-23] nextVersion', () => {
  it('starts at 1 and counts up', () => {
    expect(nextVersion(undefined)).toBe(1);
    expect(nextVersion(1)).toBe(2);
  });

  it('turns into an exact bigint past 2^53, and stays one', () => {
    expect(nextVersion(Number.MAX_SAFE_INTEGER)).toBe(2n ** 53n);
    expect(nextVersion(2n ** 53n)).toBe(2n ** 53n + 1n);
    expect(nextVersion(2n ** 62n)).toBe(2n ** 62n + 1n);
    expect(nextVersion(5n)).toBe(6n);
  });
});
