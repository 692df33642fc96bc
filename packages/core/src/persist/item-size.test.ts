import { describe, expect, it } from 'vitest';
import { itemSize, sizeAboveLimit, valueSizeBound } from './item-size.js';
import type { StoredItem, StoredValue } from './stored-value.js';

// DynamoDB's rules: names and strings count their UTF-8 bytes; a number counts its significant
// digits in pairs aligned on the decimal point, plus 1, plus 1 if negative; binary its length; null and
// booleans 1; a list or map 3 bytes plus 1 per element (and a map its names).
describe('[P-15] itemSize', () => {
  it('counts names and strings in UTF-8 bytes', () => {
    expect(itemSize({ id: 'abc' })).toBe(2 + 3);
    expect(itemSize({ ü: 'é😀' })).toBe(2 + (2 + 4));
    expect(itemSize({ empty: '' })).toBe(5);
  });

  it.each([
    [12345, 5, 4],
    [0, 1, 1],
    [1000, 1, 2],
    [0.001, 1, 2],
    [-123.45, 5, 5],
    [1.5e-7, 2, 2],
    [1e21, 1, 2],
    [123456789012345, 15, 9],
    [12345678901234567890n, 20, 11],
    [10n ** 37n, 1, 2],
    [-(10n ** 38n - 1n), 38, 21],
  ])('counts %s as %i significant digits: %i bytes', (value, _digits, bytes) => {
    expect(itemSize({ n: value })).toBe(1 + bytes);
  });

  it('counts binary by its length', () => {
    expect(itemSize({ b: new Uint8Array(10) })).toBe(1 + 10);
    expect(itemSize({ b: new Uint8Array() })).toBe(1);
  });

  it('counts null and booleans as 1 byte', () => {
    expect(itemSize({ a: null, b: true, c: false })).toBe(3 * (1 + 1));
  });

  it('adds 3 bytes per list and 1 per element', () => {
    expect(itemSize({ l: [] })).toBe(1 + 3);
    expect(itemSize({ l: ['a', 'bc'] })).toBe(1 + 3 + (1 + 1) + (1 + 2));
  });

  it('adds 3 bytes per map and 1 per element, with the element names', () => {
    expect(itemSize({ m: {} })).toBe(1 + 3);
    expect(itemSize({ m: { a: 'x', bb: 1 } })).toBe(1 + 3 + (1 + 1 + 1) + (1 + 2 + 2));
  });

  it('adds the overheads of every level of nesting', () => {
    const inner = 3 + (1 + 1 + 1); // { k: true }
    const list = 3 + (1 + inner); // [ { k: true } ]
    const outer = 3 + (1 + 1 + list); // { l: [...] }
    expect(itemSize({ m: { l: [{ k: true }] } })).toBe(1 + outer);
  });

  it('sizes an item of exactly 400 KB', () => {
    expect(itemSize({ data: 'x'.repeat(400 * 1024 - 4) })).toBe(400 * 1024);
  });

  it('adds up a realistic profile', () => {
    const profile = {
      profile_id: 'p-1', // 10 + 3
      name: 'Zoë', // 4 + 4
      view_count: 42, // 10 + 2
      tags: ['a', 'b'], // 4 + 3 + 2 + 2
      avatar: new Uint8Array(5), // 6 + 5
      nickname: null, // 8 + 1
    };
    expect(itemSize(profile)).toBe(13 + 8 + 12 + 11 + 11 + 9);
  });
});

describe('sizeAboveLimit', () => {
  const items: StoredItem[] = [
    { id: 'abc', n: 12345, list: [1, 'é😀', { deep: 'x'.repeat(50) }] },
    { ü: 'é😀'.repeat(40), big: 123456789012345678901234567890n },
    { blob: new Uint8Array(300), set: new Set(['a', 'bb']) },
    // Three UTF-8 bytes a UTF-16 unit, in names and values: where the cheap bound is tight.
    { 中文: '中'.repeat(100), nested: { 'ｱ€': ['€'.repeat(20)] } },
  ];

  it.each(items.map((item) => [item]))('agrees with itemSize at every limit: %o', (item) => {
    const size = itemSize(item);
    for (const limit of [0, 1, size - 1, size, size + 1, 3 * size, 400 * 1024])
      expect(sizeAboveLimit(item, limit)).toBe(size > limit ? size : undefined);
  });
});

describe('deep items', () => {
  // Nested `depth` times in lists or maps around one leaf.
  function nested(depth: number, leaf: StoredValue, kind: 'list' | 'map'): StoredValue {
    let value = leaf;
    for (let level = 0; level < depth; level++) value = kind === 'list' ? [value] : { k: value };
    return value;
  }

  it.each(['list', 'map'] as const)(
    'counts an item nested 100,000 levels in %ss, as deep as another client may have stored one',
    (kind) => {
      const depth = 100_000;
      const perLevel = kind === 'list' ? 3 + 1 : 3 + 1 + 1; // overhead, separator (and the name)
      const item = { v: nested(depth, 'abc', kind) };
      expect(itemSize(item)).toBe(1 + depth * perLevel + 3);
      expect(sizeAboveLimit(item, 0)).toBe(1 + depth * perLevel + 3);
      expect(valueSizeBound(item.v)).toBeGreaterThanOrEqual(depth * perLevel + 3);
    },
  );

  it('counts the same at every depth, where the count leaves recursion for a loop', () => {
    const leaf = { s: 'é😀', n: 12.5, b: new Uint8Array(3), set: new Set([1, 22]), z: null };
    for (const depth of [60, 64, 65, 66, 70, 200]) {
      const item = { v: nested(depth, leaf, 'map') };
      const inner = itemSize(leaf);
      expect(itemSize(item)).toBe(1 + depth * 5 + 3 + inner + Object.keys(leaf).length);
      expect(sizeAboveLimit(item, 0)).toBe(itemSize(item));
    }
  });
});

describe('numbers another client stored', () => {
  it('sizes a 400,000-digit integer with a long run of inner zeros in linear time', () => {
    // `0+$` tried each zero of the run to the end: seconds for one such number.
    const huge = 10n ** 400_000n + 1n;
    expect(valueSizeBound(huge)).toBe(Math.ceil(400_001 / 2) + 1);
  });
});

describe('[P-15] numbers count as DynamoDB stores them', () => {
  it.each([
    [0, 1],
    [1, 2],
    [-1, 3],
    [100, 2],
    [123, 3],
    [1.2, 3],
    [12.3, 3],
    [0.05, 2],
    [-0.1234, 4],
    [1.5e-7, 2],
    [9007199254740993n, 9],
    [-9007199254740993n, 10],
    [12345678901234567890123456789012345678n, 20],
    [9.999e125, 3],
    [1.7976931348623157e308, 10],
  ])('%s: base-100 digit pairs aligned on the point, the exponent, the sign', (value, bytes) => {
    // One byte for the attribute name `a`.
    expect(itemSize({ a: value }) - 1).toBe(bytes);
  });
});
