import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { value } from '../../test/support/schema-arbitraries.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { cloneItem, cloneItemToWrite } from '../evaluate/clone-value.js';
import { itemSize } from './item-size.js';
import { checkItemToWrite } from './item-to-write.js';
import type { StoredItem } from './stored-value.js';
import type { TableDescriptor } from './table-descriptor.js';

const table = {
  name: 'notes',
  partitionKey: { name: 'id', type: 'string' },
  indexes: [{ name: 'byRank', partitionKey: { name: 'rank', type: 'number' } }],
} as unknown as TableDescriptor;

function caught(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('items given to a backend to write', () => {
  it('refuses, both ways, a set of anything but strings, numbers or bytes', () => {
    for (const members of [[true], [null], [[1]], [{ a: 1 }], [false, true]] as unknown[][]) {
      const item = { id: 'a', set: new Set(members) } as unknown as StoredItem;
      for (const check of [checkItemToWrite, cloneItemToWrite])
        expect(
          caught(() => check(item, table, 'putItem')),
          JSON.stringify(members),
        ).toBeInstanceOf(InvalidRequestError);
    }
  });

  it('copies bytes, a Buffer included (whose slice() shares its memory), as plain Uint8Arrays', () => {
    const bytes = Buffer.from([1, 2]);
    const item = { id: 'a', bytes, set: new Set([Buffer.from([3])]) } as unknown as StoredItem;
    for (const copy of [cloneItem(item), cloneItemToWrite(item, table, 'putItem')]) {
      bytes[0] = 9;
      expect(copy.bytes).toEqual(new Uint8Array([1, 2]));
      expect(Buffer.isBuffer(copy.bytes)).toBe(false);
      bytes[0] = 1;
    }
  });

  it('refuses, both ways, an item one byte past maxItemBytes, whatever its values (22-byte bigints, sets, nested maps)', () => {
    const shapes: ((count: number) => StoredItem)[] = [
      (count) => ({ id: 'a', list: Array.from({ length: count }, () => -(10n ** 38n - 1n) * 10n) }),
      (count) => ({ id: 'a', set: new Set(Array.from({ length: count }, (_, i) => `s${i}`)) }),
      (count) => ({
        id: 'a',
        map: Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, { n: i }])),
      }),
    ];
    for (const shape of shapes) {
      const item = shape(2000);
      const size = itemSize(item);
      for (const check of [checkItemToWrite, cloneItemToWrite]) {
        expect(caught(() => check(item, table, 'putItem', size))).toBeUndefined();
        expect(caught(() => check(item, table, 'putItem', size - 1))).toBeInstanceOf(
          ValidationError,
        );
      }
    }
  });

  it('refuses, both ways, an item that is not an object, before looking into it', () => {
    for (const item of [undefined, null, 'x', 7, [{ id: 'a' }], new Uint8Array(1)]) {
      for (const check of [checkItemToWrite, cloneItemToWrite]) {
        const error = caught(() => check(item as unknown as StoredItem, table, 'putItem'));
        expect(error, String(item)).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message, String(item)).toBe('putItem: the item must be an object');
      }
    }
  });

  it('cloneItemToWrite refuses what checkItemToWrite refuses, with its message, and copies the rest (random values)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'rank'), value),
        (attributes) => {
          const item = { id: 'x', ...attributes } as StoredItem;
          const checked = caught(() => checkItemToWrite(item, table, 'putItem'));
          const copied = caught(() => cloneItemToWrite(item, table, 'putItem'));
          if (checked === undefined) {
            expect(copied).toBeUndefined();
            expect(cloneItemToWrite(item, table, 'putItem')).toEqual(cloneItem(item));
          } else {
            expect(checked).toBeInstanceOf(InvalidRequestError);
            expect((copied as Error).message).toBe((checked as Error).message);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses what no engine stores, and key attributes missing or of another type', () => {
    const refused: StoredItem[] = [
      { id: 'x', a: Number.NaN },
      { id: 'x', a: -0 },
      { id: 'x', a: 2 ** 60 },
      { id: 'x', a: new Set<string>() },
      { id: 'x', a: new Set(['a', 1]) as never },
      { id: 'x', a: new Set([1, 1n]) },
      { id: 'x', a: [1, undefined] as never },
      { id: 'x', a: 'a\uD800' },
      { id: 'x', a: new Date(0) as never },
      { a: 'no id' },
      { id: 7 },
      { id: 'x', rank: 'not a number' },
    ];
    for (const item of refused) {
      expect(caught(() => checkItemToWrite(item, table, 'putItem'))).toBeInstanceOf(
        InvalidRequestError,
      );
      expect(caught(() => cloneItemToWrite(item, table, 'putItem'))).toBeInstanceOf(
        InvalidRequestError,
      );
    }
    const kept = {
      id: 'x',
      a: [new Set<number | bigint>([1, 2n ** 70n]), new Uint8Array([1]), null, { b: 1.5 }],
    } as StoredItem;
    expect(cloneItemToWrite(kept, table, 'putItem')).toEqual(kept);
  });
});
