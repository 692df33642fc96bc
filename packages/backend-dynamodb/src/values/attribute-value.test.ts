import { runInNewContext } from 'node:vm';
import {
  BackendError,
  InvalidRequestError,
  type StoredValue,
  ValidationError,
} from '@macaron/core';
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

  it('writes numbers in plain decimal digits, which every engine reads (moto fails an ADD of 1e-7)', () => {
    expect(toAttributeValue(1e-7)).toEqual({ N: '0.0000001' });
    expect(toAttributeValue(-1.5e-10)).toEqual({ N: '-0.00000000015' });
    expect(toAttributeValue(1e21)).toEqual({ N: '1000000000000000000000' });
    expect(toAttributeValue(1.2345e25)).toEqual({ N: '12345000000000000000000000' });
    expect(toAttributeValue(1e-130)).toEqual({ N: `0.${'0'.repeat(129)}1` });
    expect(toAttributeValue(new Set([2e-7, 3]))).toEqual({ NS: ['0.0000002', '3'] });
    // Integers beyond 2^53 are bigints, as Macaron reads them; core stores no such number.
    for (const value of [1e-7, -1.5e-10, 1e-130, 123.456e-20, 1.5e-7])
      expect(fromAttributeValue(toAttributeValue(value))).toBe(value);
  });

  it('reads a negative zero another client stored as 0, which Macaron can save back', () => {
    for (const text of ['-0', '-00', '-0.0', '-0e5'])
      expect(Object.is(fromAttributeValue({ N: text }), 0)).toBe(true);
    expect(fromAttributeMap({ nested: { M: { zero: { N: '-0' } } } })).toEqual({
      nested: { zero: 0 },
    });
    expect(Object.is((fromAttributeMap({ z: { N: '-0' } }) as { z: number }).z, 0)).toBe(true);
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

  it('reads sets written by other clients as sets, and writes them back as the same sets', () => {
    const wire = {
      SS: { SS: ['a', 'b'] },
      NS: { NS: ['1', '2.5', '9007199254740993', `1${'0'.repeat(37)}`] },
      BS: { BS: [Uint8Array.of(1), Uint8Array.of(2, 3)] },
    };
    const item = fromAttributeMap(wire);
    expect(item).toEqual({
      SS: new Set(['a', 'b']),
      NS: new Set([1, 2.5, 9007199254740993n, 10n ** 37n]),
      BS: new Set([Uint8Array.of(1), Uint8Array.of(2, 3)]),
    });
    expect(toAttributeMap(item)).toEqual(wire);
  });

  it('refuses a number set holding one number in two spellings, instead of merging them', () => {
    expect(() => fromAttributeValue({ NS: ['1', '1.0'] })).toThrow(BackendError);
    expect(() => fromAttributeValue({ NS: ['1', '1.0'] })).toThrow('spelt differently');
  });

  it('reads a number spelt with a plus sign (moto stores it as sent) as its value; refuses text that is no number, in either mode', () => {
    expect(fromAttributeValue({ N: '+5' })).toBe(5);
    expect(fromAttributeValue({ N: '+0.25' })).toBe(0.25);
    expect(fromAttributeValue({ N: '+12345678901234567890' })).toBe(12345678901234567890n);
    for (const text of ['+-5', 'abc', '', '1e', ' 5', '0x10', 'NaN', 'Infinity'])
      for (const mode of ['refuse', 'nearest'] as const) {
        expect(() => fromAttributeValue({ N: text }, '', mode)).toThrow(BackendError);
        expect(() => fromAttributeValue({ N: text }, '', mode)).toThrow('is not a number');
      }
  });

  it('read as nearest numbers, two numbers of a set that round to one are refused, saying so', () => {
    const set = { NS: ['0.1', '0.10000000000000001'] };
    expect(() => fromAttributeValue(set, '', 'nearest')).toThrow(BackendError);
    expect(() => fromAttributeValue(set, '', 'nearest')).toThrow(
      'two numbers whose nearest JavaScript number is the same',
    );
  });

  it('refuses an empty set or a set of mixed kinds, which DynamoDB cannot store', () => {
    expect(() => toAttributeValue(new Set<string>())).toThrow(ValidationError);
    expect(() => toAttributeValue(new Set(['a', 1]) as never)).toThrow(ValidationError);
  });

  it('reads bytes given as base64 text, as an answer parsed without the SDK holds them, each value owning its bytes', () => {
    const item = fromAttributeMap({
      one: { B: 'AAEC/w==' } as never,
      set: { BS: ['AA==', 'AQI='] } as never,
      sdk: { B: Uint8Array.of(9) },
    });
    expect(item.one).toEqual(Uint8Array.of(0, 1, 2, 255));
    expect(item.set).toEqual(new Set([Uint8Array.of(0), Uint8Array.of(1, 2)]));
    expect(item.sdk).toEqual(Uint8Array.of(9));
    expect((item.one as Uint8Array).byteOffset).toBe(0);
    expect((item.one as Uint8Array).buffer.byteLength).toBe(4);
  });

  it('refuses bytes that are not strict base64 (other characters, the URL alphabet, no padding), which Buffer would misread, with a BackendError', () => {
    for (const bytes of ['not base64!!', '-_8=', 'AQ\nI=', 'AQI', 5, null]) {
      expect(() => fromAttributeMap({ data: { B: bytes } as never })).toThrow(
        /The stored bytes at \/data are not base64/,
      );
      expect(() => fromAttributeMap({ data: { BS: ['AA==', bytes] } as never })).toThrow(
        BackendError,
      );
    }
    expect(fromAttributeMap({ empty: { B: '' } as never }).empty).toEqual(new Uint8Array(0));
  });

  it('refuses members of the wrong type (N not text, L not a list, M null, SS of numbers) with a BackendError', () => {
    for (const value of [
      { N: 5 },
      { S: 1 },
      { BOOL: 'true' },
      { L: 'ab' },
      { M: null },
      { M: [] },
      { SS: [1] },
      { NS: '1' },
      { BS: 'AQI=' },
    ]) {
      expect(() => fromAttributeMap({ a: value as never })).toThrow(BackendError);
    }
    expect(() => fromAttributeMap(null as never)).toThrow(BackendError);
  });

  it('refuses a value nested deeper than any DynamoDB item (JSON.parse reads it) with a BackendError, not a stack overflow', () => {
    let value: unknown = { S: 'x' };
    for (let level = 0; level < 20_000; level++) value = { L: [value] };
    expect(() => fromAttributeMap({ a: value as never })).toThrow(/nested deeper than 256 levels/);
    let map: unknown = { S: 'x' };
    for (let level = 0; level < 300; level++) map = { M: { m: map } };
    expect(() => fromAttributeMap({ a: map as never })).toThrow(BackendError);
  });

  it('refuses a value that is no attribute value (null, text), as a foreign engine could answer it, with a BackendError', () => {
    for (const value of [null, 'text', 5]) {
      expect(() => fromAttributeMap({ a: value as never })).toThrow(BackendError);
      expect(() => fromAttributeMap({ a: { L: [value as never] } })).toThrow(
        /Unsupported DynamoDB value at \/a\/0/,
      );
    }
  });

  it('reads a map’s own attributes only, not a name a polluted prototype lists', () => {
    Object.defineProperty(Object.prototype, 'polluted', {
      value: { S: 'inherited' },
      enumerable: true,
      configurable: true,
      writable: true,
    });
    try {
      const item = fromAttributeMap({ a: { M: { b: { S: '1' } } } });
      expect(Object.keys(item)).toEqual(['a']);
      expect(Object.hasOwn(item, 'polluted')).toBe(false);
      expect(Object.hasOwn(item.a as object, 'polluted')).toBe(false);
    } finally {
      delete (Object.prototype as { polluted?: unknown }).polluted;
    }
  });

  it('names where a value it refuses is, at every depth and in every kind of container', () => {
    const cases: [unknown, RegExp][] = [
      [{ a: { N: 'x' } }, /number "x" at \/a is not a number/],
      [{ a: { L: [{ S: 'ok' }, { M: { b: { N: 'x' } } }] } }, /at \/a\/1\/b is not a number/],
      [{ a: { M: { b: { L: [{ BOOL: 'yes' }] } } } }, /value at \/a\/b\/0:/],
      [{ a: { M: { 'x/y': { B: 'not base64!' } } } }, /bytes at \/a\/x~1y are not base64/],
      [{ a: { L: [{ BS: ['AA==', '%%'] }] } }, /bytes at \/a\/0 are not base64/],
      [{ a: { L: [{ NS: ['1', '1.0'] }] } }, /number set at \/a\/0 holds one number twice/],
      [{ a: { L: [{ NS: ['1', 'x'] }] } }, /number "x" at \/a\/0 is not a number/],
      [{ a: { M: { b: { SS: ['s', 1] } } } }, /value at \/a\/b:/],
      [{ a: { L: [{ N: '1.000000000000000000001' }] } }, /at \/a\/0 has more precision/],
      [{ a: { M: { b: { NULL: true }, c: 5 } } }, /value at \/a\/c:/],
      [{ a: { M: null } }, /value at \/a:/],
    ];
    for (const [map, message] of cases)
      expect(() => fromAttributeMap(map as never), JSON.stringify(map)).toThrow(message);
    let deep: unknown = { S: 'x' };
    for (let level = 0; level < 300; level++) deep = { L: [deep] };
    expect(() => fromAttributeMap({ a: deep as never })).toThrow(
      new RegExp(`at /a${'/0'.repeat(256)} is nested deeper`),
    );
    // A value read alone takes the path it is given.
    expect(() => fromAttributeValue({ N: 'x' }, 'where')).toThrow(/at where is not a number/);
  });

  it('reads every attribute name as an own property, Object.prototype names included', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    const wire = Object.fromEntries(
      // A computed `['__proto__']` is an own property; a literal `__proto__:` would set the prototype.
      names.map((name) => [name, { M: { ['__proto__']: { S: `${name} inside` } } }]),
    );
    const item = fromAttributeMap(wire);
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.keys(item)).toEqual(names);
    for (const name of names) {
      const inner = Object.getOwnPropertyDescriptor(item, name)?.value as object;
      expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value).toBe(`${name} inside`);
    }
    expect(toAttributeMap(item)).toEqual(wire);
    expect(Object.keys(toAttributeMap(item))).toEqual(names);
  });

  it('refuses a value nested deeper than DynamoDB nests with InvalidRequestError, however deep', () => {
    const nested = (levels: number, bottom: StoredValue = []): StoredValue => {
      let value = bottom;
      for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { down: value };
      return value;
    };
    // 32 levels below the attribute are written (the kit's checkItemToWrite has refused deeper).
    expect(toAttributeMap({ a: nested(32) }).a).toBeDefined();
    expect(() => toAttributeMap({ a: nested(33) })).toThrow(InvalidRequestError);
    expect(() => toAttributeValue(nested(100_000))).toThrow(InvalidRequestError);
    expect(() => toAttributeMap({ a: [1, nested(100_000, 'x')] })).toThrow(
      /^The value at \/a\/1(\/0\/down){16} is nested deeper than the 32 levels DynamoDB nests$/,
    );
  });

  it('writes the exact digits of a bigint key', () => {
    expect(toAttributeValue(10n ** 37n)).toEqual({ N: `1${'0'.repeat(37)}` });
  });
});

describe('bytes and sets of another realm', () => {
  // Vitest's jsdom environment makes the global `Uint8Array` jsdom's while the SDK's bytes are
  // Node's; a vm context (Vitest's vm pools, Jest) the other way round. Bytes either way.
  const foreign = <T>(source: string): T => runInNewContext(`(${source})`) as T;

  it('reads them as bytes of this realm, in a value and in a set', () => {
    const read = fromAttributeMap({
      data: { B: foreign('new Uint8Array([1, 2, 255])') },
      many: { BS: [foreign('new Uint8Array([3])'), foreign('new Uint8Array([4])')] },
    } as never);
    expect(read).toStrictEqual({
      data: new Uint8Array([1, 2, 255]),
      many: new Set([new Uint8Array([3]), new Uint8Array([4])]),
    });
  });

  it('writes them as bytes, and a set of them as a binary set', () => {
    expect(
      toAttributeMap({
        data: foreign('new Uint8Array([1, 2])'),
        many: foreign('new Set([new Uint8Array([3])])'),
        names: foreign("new Set(['a'])"),
      } as never),
    ).toStrictEqual({
      data: { B: new Uint8Array([1, 2]) },
      many: { BS: [new Uint8Array([3])] },
      names: { SS: ['a'] },
    });
  });
});
