import type { StoredItem, StoredValue } from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import { copyStoredItem } from './stored-copy.js';

describe('copyStoredItem', () => {
  it('copies every value the store holds, sharing no container with the original', () => {
    const item = JSON.parse('{"__proto__": {"constructor": [1, {"x": "y"}]}, "id": "a"}');
    item.bytes = new Uint8Array([1, 2]);
    item.set = new Set([new Uint8Array([3])]);
    item.numbers = new Set([1, 2n ** 70n]);
    item.nothing = null;
    const copy = copyStoredItem(item);
    expect(copy).toEqual(item);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(copy)).toEqual(Object.getOwnPropertyNames(item));
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.enumerable).toBe(true);
    const inner = (value: StoredItem) =>
      Object.getOwnPropertyDescriptor(value, '__proto__')?.value as StoredItem;
    expect(inner(copy)).not.toBe(inner(item));
    expect(inner(copy).constructor).not.toBe(inner(item).constructor);
    expect((inner(copy).constructor as unknown as StoredValue[])[1]).not.toBe(
      (inner(item).constructor as unknown as StoredValue[])[1],
    );
    expect(copy.bytes).not.toBe(item.bytes);
    expect([...(copy.set as Set<Uint8Array>)][0]).not.toBe([...item.set][0]);
    (copy.bytes as Uint8Array)[0] = 9;
    expect(item.bytes[0]).toBe(1);
  });

  it('copies any depth without overflowing the stack', () => {
    let deep: StoredValue = 'bottom';
    for (let level = 0; level < 20_000; level++) deep = level % 2 ? [deep] : { d: deep };
    const item = { id: 'deep', deep };
    // Walked in a loop (a recursive comparison would overflow the stack itself), counting the
    // levels where the copy shares a container with the original or differs in kind.
    let original: unknown = item;
    let copy: unknown = copyStoredItem(item);
    let levels = 0;
    let wrong = 0;
    while (typeof original === 'object' && original !== null) {
      if (copy === original || Array.isArray(copy) !== Array.isArray(original)) wrong++;
      const next = (value: unknown) => {
        const container = value as { d?: unknown; deep?: unknown } & unknown[];
        return Array.isArray(value) ? container[0] : (container.d ?? container.deep);
      };
      [original, copy] = [next(original), next(copy)];
      levels++;
    }
    expect([copy, levels, wrong]).toEqual(['bottom', 20_001, 0]);
  });
});
