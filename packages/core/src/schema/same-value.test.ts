import { describe, expect, it } from 'vitest';
import { sameValue } from './same-value.js';

// sameValue as it compared sets before: each member with each of the other set's.
function sameMembersEach(left: ReadonlySet<unknown>, right: ReadonlySet<unknown>): boolean {
  if (left.size !== right.size) return false;
  const rest = [...right];
  return [...left].every((member) => rest.some((other) => sameValue(member, other)));
}

describe('sameValue', () => {
  it('holds 1, 1n and 1.0 equal, 0 and -0, equal bytes, objects of equal own properties', () => {
    expect(sameValue(1, 1n)).toBe(true);
    expect(sameValue(0, -0)).toBe(true);
    expect(sameValue(2 ** 60, 2n ** 60n)).toBe(true);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(false);
    expect(sameValue(new Uint8Array([1]), new Uint8Array([1]))).toBe(true);
    expect(sameValue({ a: [1], b: undefined }, { a: [1n] })).toBe(true);
    expect(sameValue([1], [1, 2])).toBe(false);
  });

  it('compares sets as before, member by member', () => {
    const members: unknown[] = [
      ...[1, 1n, 2, 2n ** 60n, 2 ** 60, -0, 0, 1.5, Number.NaN, 'a', 'b', '1', true, null],
      ...[new Uint8Array([1]), new Uint8Array([1]), new Uint8Array([2]), [1], [1n], { a: 1 }],
    ];
    let seed = 3;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const randomSet = () =>
      new Set(
        Array.from(
          { length: Math.floor(random() * 5) },
          () => members[Math.floor(random() * members.length)],
        ),
      );
    for (let round = 0; round < 5000; round++) {
      const [left, right] = [randomSet(), randomSet()];
      expect(sameValue(left, right), String(round)).toBe(sameMembersEach(left, right));
    }
  });

  it('compares sets of 200,000 members in linear time', () => {
    const strings = Array.from({ length: 200_000 }, (_, index) => `s${index}`);
    expect(sameValue(new Set(strings), new Set([...strings].reverse()))).toBe(true);
    const numbers = Array.from({ length: 200_000 }, (_, index) => index);
    const bigints = numbers.map((index) => BigInt(index));
    expect(sameValue(new Set(numbers), new Set(bigints))).toBe(true);
    expect(sameValue(new Set(numbers), new Set([...bigints.slice(1), -1n]))).toBe(false);
  });

  it('compares no deeper than the levels given: below, values are equal where the very same', () => {
    const deep = () => JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(sameValue(deep(), deep(), 32)).toBe(false);
    const shared = [1];
    expect(sameValue([[shared]], [[shared]], 2)).toBe(true);
    expect(sameValue([[[1]]], [[[1]]], 2)).toBe(false);
    expect(sameValue([[[1]]], [[[1]]], 4)).toBe(true);
  });
});
