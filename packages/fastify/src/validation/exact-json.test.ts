import { describe, expect, it } from 'vitest';
import { explainInexactIntegers, hasLongInteger, parseJsonExactly } from './exact-json.js';

// Texts the exact reading must read as JSON.parse does.
const likeJsonParse = [
  '{"id":"1234567890123456789","n":1,"f":-1.5e-3,"t":true,"x":false,"z":null}',
  '[1234567890123456,-0,0.1,1E+2,1.0,"\\"1234567890123456\\\\","\\u00e9\\ud83d\\ude00"]',
  '{"__proto__":{"a":1},"constructor":1234567890123456,"toString":[],"a":{"b":[[],{}]}}',
  ' \t\r\n[{ "a" : [ 1 , 2 ] , "a" : "last" , "9" : 1 , "1" : 2 }\n\t, 1234567890123456 ] ',
  '"12345678901234567890"',
  '"\\\\\\"12345678901234567890\\\\"',
  '{"":"","\\n":"\\/\\b\\f\\n\\r\\t","k":"1234567890123456"}',
  '12345678901234.56789',
  '1234567890123456789e-5',
];

describe('parseJsonExactly', () => {
  it.each(likeJsonParse)('reads %s as JSON.parse does', (text) => {
    // The integer of 16 digits (below 2^53) makes it read exactly, not by JSON.parse.
    const read = `[${text},1234567890123456]`;
    expect(hasLongInteger(read)).toBe(true);
    expect(parseJsonExactly(read)).toStrictEqual([JSON.parse(text), 1234567890123456]);
  });

  it('makes names own data properties, __proto__ included, as JSON.parse does', () => {
    const value = parseJsonExactly('{"__proto__":{"polluted":9007199254740993}}') as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({
      polluted: 9007199254740993n,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads integers of digits only beyond 2^53 as bigints, at any depth', () => {
    expect(
      parseJsonExactly(
        '{"a":9007199254740993,"b":[9007199254740992,-9223372036854775808],"c":9007199254740991}',
      ),
    ).toStrictEqual({
      a: 9007199254740993n,
      b: [9007199254740992n, -9223372036854775808n],
      c: 9007199254740991,
    });
    expect(parseJsonExactly('123456789012345678901234567890')).toBe(
      123456789012345678901234567890n,
    );
  });

  it('reads numbers with a fraction or an exponent, and integers beyond 1000 digits, as JSON.parse does', () => {
    for (const text of [
      '9007199254740993.0',
      '9007199254740993e0',
      '1e20',
      '12345678901234567.5',
    ]) {
      expect(parseJsonExactly(`[${text}, 1234567890123456789]`)).toStrictEqual([
        JSON.parse(text),
        1234567890123456789n,
      ]);
    }
    expect(parseJsonExactly('9'.repeat(1001))).toBe(Number.POSITIVE_INFINITY);
    expect(parseJsonExactly('9'.repeat(1000))).toBe(10n ** 1000n - 1n);
  });

  it('throws what JSON.parse throws for text that is not JSON', () => {
    for (const text of [
      '{',
      '[12345678901234567890,]',
      '"1234567890123456\u0001"',
      '0123456789012345678',
    ]) {
      expect(() => parseJsonExactly(text)).toThrow(SyntaxError);
    }
  });

  it('reads nesting as deep as JSON.parse does, without recursion', () => {
    const depth = 100_000;
    const text = `${'['.repeat(depth)}12345678901234567890${']'.repeat(depth)}`;
    let value = parseJsonExactly(text);
    for (let level = 0; level < depth; level++) value = (value as unknown[])[0];
    expect(value).toBe(12345678901234567890n);
  });
});

describe('hasLongInteger', () => {
  it('finds an integer of 16 digits or more, wherever it stands', () => {
    for (const text of [
      '1234567890123456',
      '-1234567890123456',
      '[1,1234567890123456]',
      '{"a":\t-12345678901234567890\n}',
      `{"pad":"${'x'.repeat(37)}","a":1234567890123456}`,
    ]) {
      expect([text, hasLongInteger(text)]).toEqual([text, true]);
    }
  });

  it('passes over fractions, mantissas, strings of digits and shorter integers (read by JSON.parse alone)', () => {
    for (const text of [
      '[0.3333333333333333,48.856614000000006]',
      '[12345678901234567.5,1234567890123456e3,1234567890123456E3]',
      '{"id":"1234567890123456789","ids":["12345678901234567890"]}',
      '[123456789012345,-123456789012345]',
    ]) {
      expect([text, hasLongInteger(text)]).toEqual([text, false]);
    }
  });
});

describe('explainInexactIntegers', () => {
  it('rewords the bigint advice for integers beyond 2^53 a client wrote with an exponent', () => {
    const body = { a: 1e20, b: [1, 1e200], c: 'x' };
    const problems = [
      { pointer: '/query/a', keyword: 'type', message: 'use a bigint' },
      { pointer: '/body/a', keyword: 'type', message: 'use a bigint (format int64)' },
      { pointer: '/body/b/1', keyword: 'type', message: 'is too large to be stored' },
      { pointer: '/body/c', keyword: 'type', message: 'must be a bigint' },
    ];
    explainInexactIntegers(problems, 1, body, '/body');
    expect(problems.map((problem) => problem.message)).toEqual([
      'use a bigint',
      'is an integer beyond 2^53 written with a fraction or an exponent, which is not read exactly: write it with digits only',
      'is too large to be stored',
      'must be a bigint',
    ]);
  });
});
