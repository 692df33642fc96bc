import { describe, expect, it } from 'vitest';
import { repeatedItems } from './repeated-items.js';
import { sameValue } from './same-value.js';

// What uniqueItems compared before: each item with every earlier one.
function pairwise(items: readonly unknown[]): number[] {
  const repeats: number[] = [];
  for (let index = 1; index < items.length; index++)
    if (items.slice(0, index).some((earlier) => sameValue(earlier, items[index])))
      repeats.push(index);
  return repeats;
}

describe('repeatedItems', () => {
  const shared = { b: Number.NaN };
  const fn = () => 1;
  // [ , 1]: a hole, which sameValue reads as undefined.
  const withHole: unknown[] = [];
  withHole[1] = 1;
  const samples: unknown[] = [
    ...[1, 1n, -0, 0, 0n, 1.5, '1', 'n1', '', Number.NaN, Number.POSITIVE_INFINITY, -Infinity],
    // Strings spelt like the identity of an integer beyond 2^53, which they must not equal.
    ...['\u0000n1152921504606846976', '\u0000\u0000n1', '\u0000', 2n ** 70n, -(2n ** 70n)],
    ...[2 ** 60, 2n ** 60n, 2n ** 60n + 1n, 2 ** 53 + 2, true, false, null, undefined],
    ...[
      [],
      [1],
      [1n],
      [undefined],
      withHole,
      [undefined, 1],
      [[1, 2]],
      [[1n, 2]],
      ['a,b'],
      ['a', 'b'],
    ],
    ...[{}, { a: undefined }, { a: 1 }, { a: 1n }, { b: 1, a: 2 }, { a: 2, b: 1 }, { 'a:b': 1 }],
    ...[{ '"': 1 }, { x: 5 }, JSON.parse('{"__proto__":{}}'), new Date(0), new Date(5)],
    ...[new Uint8Array([1, 2]), new Uint8Array([1, 2]), new Uint8Array([]), '\u0001\u0002'],
    ...[new Set([1, 2]), new Set([2n, 1]), new Set(['a']), new Set(), new Set([[1], [1n]])],
    ...[shared, shared, { a: shared }, { a: shared }, { b: Number.NaN }, [Number.NaN], fn, fn],
    () => 1,
  ];

  it('finds the repeats sameValue finds, on lists short and long', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 3000; round++) {
      const length = 2 + Math.floor(random() * 40);
      const items = Array.from({ length }, () => samples[Math.floor(random() * samples.length)]);
      expect(repeatedItems(items, 32), String(round)).toEqual(pairwise(items));
    }
  });

  it('finds a repeat at the very end of a long list', () => {
    const items: unknown[] = Array.from({ length: 1000 }, (_, index) => ({ id: index }));
    items.push({ id: 0 });
    expect(repeatedItems(items, 32)).toEqual([1000]);
  });

  it('takes linear time: 200,000 items of each kind', () => {
    const kinds: unknown[][] = [
      Array.from({ length: 200_000 }, (_, index) => index),
      Array.from({ length: 200_000 }, (_, index) => `s${index}`),
      Array.from({ length: 200_000 }, (_, index) => ({ id: index, tags: [index] })),
    ];
    for (const items of kinds) {
      items.push(items[123]);
      expect(repeatedItems(items, 32)).toEqual([200_000]);
    }
    // Two items holding sets of 200,000 members.
    const tags = () => ({
      tags: new Set(Array.from({ length: 200_000 }, (_, index) => `t${index}`)),
    });
    expect(repeatedItems([tags(), tags()], 32)).toEqual([1]);
    expect(repeatedItems([tags().tags, tags().tags], 32)).toEqual([1]);
  });

  it('takes linear time on integers beyond 2^64 sharing their low 64 bits (V8 hashes a bigint by those alone)', () => {
    const items: unknown[] = Array.from(
      { length: 100_000 },
      (_, index) => BigInt(index + 1) << 64n,
    );
    items.push(7n << 64n);
    expect(repeatedItems(items, 32)).toEqual([100_000]);
  });

  it('walks no deeper than the levels allowed, so a very deep item cannot overflow the stack', () => {
    const deep = () => JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const nested = (levels: number) => {
      let value: unknown = 1;
      for (let level = 1; level < levels; level++) value = [value];
      return value;
    };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    // Short lists compare pairwise, long ones by keys: both paths.
    for (const padding of [[], Array.from({ length: 20 }, (_, index) => `p${index}`)]) {
      const last = padding.length + 1;
      expect(repeatedItems([...padding, deep(), deep()], 32)).toEqual([]);
      expect(repeatedItems([...padding, nested(3), nested(3)], 3)).toEqual([last]);
      expect(repeatedItems([...padding, nested(3), nested(4)], 3)).toEqual([]);
      // Unwalked, the very same value still repeats.
      expect(repeatedItems([...padding, cyclic, cyclic], 32)).toEqual([last]);
    }
  });
});
