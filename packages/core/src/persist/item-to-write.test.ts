import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { value } from '../../test/support/schema-arbitraries.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { cloneItem, cloneItemToWrite } from '../evaluate/clone-value.js';
import { itemSize } from './item-size.js';
import { checkItemToWrite, unstorable } from './item-to-write.js';
import { checkJsonItemToWrite } from './json-item-to-write.js';
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
      for (const check of [checkItemToWrite, cloneItemToWrite, checkJsonItemToWrite])
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
      // JSON's values alone, counted by the one walk of checkJsonItemToWrite: 2- and 4-byte
      // characters (in values and in names), fractions, lists of lists, booleans and nulls.
      (count) => ({
        id: 'é😀',
        list: Array.from({ length: count }, (_, i) => [`ü${i}😀`, i / 7, i % 2 === 0, null]),
      }),
      (count) => ({
        id: 'a',
        list: Array.from({ length: count }, (_, i) => `${'ü😀'.repeat(9)}${i}`),
      }),
      (count) => ({
        id: 'a',
        map: Object.fromEntries(
          Array.from({ length: count }, (_, i) => [`${'😀'.repeat(9)}${i}`, 'é']),
        ),
      }),
    ];
    for (const shape of shapes) {
      const item = shape(2000);
      const size = itemSize(item);
      for (const check of [checkItemToWrite, cloneItemToWrite, checkJsonItemToWrite]) {
        expect(caught(() => check(item, table, 'putItem', size))).toBeUndefined();
        expect(caught(() => check(item, table, 'putItem', size - 1))).toBeInstanceOf(
          ValidationError,
        );
      }
    }
  });

  it('refuses, both ways, an item that is not an object, before looking into it', () => {
    for (const item of [undefined, null, 'x', 7, [{ id: 'a' }], new Uint8Array(1)]) {
      for (const check of [checkItemToWrite, cloneItemToWrite, checkJsonItemToWrite]) {
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

  it('checkJsonItemToWrite refuses what checkItemToWrite refuses, with its message, and says true exactly for the items of JSON values alone its walk finds nothing in (random values)', () => {
    // Strings, numbers, booleans, null, lists, and maps of Object's prototype or none.
    const jsonAlone = (held: unknown): boolean =>
      held === null ||
      ['string', 'number', 'boolean'].includes(typeof held) ||
      (Array.isArray(held) && held.every(jsonAlone)) ||
      (typeof held === 'object' &&
        !Array.isArray(held) &&
        [Object.prototype, null].includes(Object.getPrototypeOf(held)) &&
        Object.values(held as object).every((member) => member === undefined || jsonAlone(member)));
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'rank'), value),
        fc.constantFrom(undefined, 40, 400),
        (attributes, maxItemBytes) => {
          const item = { id: 'x', ...attributes } as StoredItem;
          const checked = caught(() => checkItemToWrite(item, table, 'putItem', maxItemBytes));
          let said: boolean | undefined;
          const json = caught(() => {
            said = checkJsonItemToWrite(item, table, 'putItem', maxItemBytes);
          });
          if (checked !== undefined) {
            expect((json as Error).constructor).toBe((checked as Error).constructor);
            expect((json as Error).message).toBe((checked as Error).message);
            return;
          }
          expect(json).toBeUndefined();
          // Not for what checkItemToWrite's quick walk flags and then finds nothing to refuse
          // in (an ill-formed name left undefined): that is checked in full, as JSON or not.
          expect(said).toBe(jsonAlone(item) && !unstorable(item, 0));
          // What it says true of, JSON.stringify writes as it is.
          if (said) expect(JSON.parse(JSON.stringify(item))).toEqual(item);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('checkJsonItemToWrite says false, having checked it in full, for an item of JSON values nested as deep as a backend takes, or of maps from another prototype', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 31; level++) deep = { next: deep };
    const item = { id: 'x', deep } as StoredItem;
    expect(checkJsonItemToWrite(item, table, 'putItem')).toBe(true);
    const deeper = { id: 'x', deep: { next: deep } } as StoredItem;
    expect(caught(() => checkItemToWrite(deeper, table, 'putItem'))).toBeInstanceOf(
      InvalidRequestError,
    );
    expect((caught(() => checkJsonItemToWrite(deeper, table, 'putItem')) as Error).message).toBe(
      (caught(() => checkItemToWrite(deeper, table, 'putItem')) as Error).message,
    );
    // A map of another class is no item value (checkItemToWrite refuses it) either way.
    class Point {
      x = 1;
    }
    const classed = { id: 'x', point: new Point() } as unknown as StoredItem;
    expect((caught(() => checkJsonItemToWrite(classed, table, 'putItem')) as Error).message).toBe(
      (caught(() => checkItemToWrite(classed, table, 'putItem')) as Error).message,
    );
    // Bytes, sets and bigints are checked in full and said not JSON's.
    for (const held of [new Uint8Array([1]), new Set(['a']), 5n, [1, new Set([2])], { m: 5n }])
      expect(checkJsonItemToWrite({ id: 'x', held } as StoredItem, table, 'putItem')).toBe(false);
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
      expect(caught(() => checkJsonItemToWrite(item, table, 'putItem'))).toBeInstanceOf(
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
