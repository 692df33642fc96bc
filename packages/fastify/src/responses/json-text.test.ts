import { describe, expect, it } from 'vitest';
import { stringifyWithBigints } from './json-text.js';

describe('stringifyWithBigints', () => {
  it('writes what JSON.stringify writes when there is no bigint', () => {
    const named = JSON.parse('{"__proto__":{"a":1},"toString":2}');
    // A hole is written null.
    const sparse = [1, 2, 3];
    delete sparse[1];
    for (const value of [
      { a: 1, b: 'x"\\\n\u2028\ud800', c: [true, false, null], d: { e: {} }, f: [] },
      { 'k"\n\ud800\u001f': 'é😀', '': '' },
      { skipped: undefined, fn: () => 1, symbol: Symbol('s'), kept: 0 },
      [undefined, () => 1, Symbol('s'), Number.NaN, Number.POSITIVE_INFINITY, -0],
      [new Date(0), { toJSON: (key: string) => `key ${key}` }],
      [Object(1), Object('s'), Object(false)],
      new Map([[1, 2]]),
      named,
      sparse,
      'text',
      1.5,
      null,
    ]) {
      expect(stringifyWithBigints(value)).toBe(JSON.stringify(value));
    }
    expect(stringifyWithBigints(undefined)).toBeUndefined();
    expect(stringifyWithBigints(() => 1)).toBeUndefined();
  });

  it('writes bigints as JSON numbers with their exact digits, at any depth', () => {
    expect(
      stringifyWithBigints({
        id: 9007199254740993n,
        min: -9223372036854775808n,
        list: [10n ** 20n, 1, [12345678901234567890123456789012345678n]],
        nested: { zero: 0n },
      }),
    ).toBe(
      '{"id":9007199254740993,"min":-9223372036854775808,"list":[100000000000000000000,1,[12345678901234567890123456789012345678]],"nested":{"zero":0}}',
    );
    expect(stringifyWithBigints(2n ** 64n)).toBe('18446744073709551616');
  });

  it('ignores a BigInt.prototype.toJSON an application added', () => {
    const prototype = BigInt.prototype as { toJSON?: () => string };
    prototype.toJSON = function (this: bigint) {
      return this.toString();
    };
    try {
      expect(stringifyWithBigints({ id: 9007199254740993n })).toBe('{"id":9007199254740993}');
    } finally {
      delete prototype.toJSON;
    }
  });
});
