import { describe, expect, it } from 'vitest';
import {
  JsonNumberRangeError,
  mayReadOtherwise,
  parseJsonExactly,
  readNumberExactly,
} from './exact-json.js';

// Texts the exact reading must read as JSON.parse does.
const likeJsonParse = [
  '{"id":"1234567890123456789","n":1,"f":-1.5e-3,"t":true,"x":false,"z":null}',
  '[1234567890123456,-0,0.1,1E+2,1.0,"\\"1234567890123456\\\\","\\u00e9\\ud83d\\ude00"]',
  '{"__proto__":{"a":1},"constructor":1234567890123456,"toString":[],"a":{"b":[[],{}]}}',
  ' \t\r\n[{ "a" : [ 1 , 2 ] , "a" : "last" , "9" : 1 , "1" : 2 }\n\t, 1234567890123456 ] ',
  '"12345678901234567890"',
  '"\\\\\\"12345678901234567890\\\\"',
  '{"":"","\\n":"\\/\\b\\f\\n\\r\\t","k":"1234567890123456"}',
  '12345678901234.568',
  '1234567890123456800e-5',
  // Not integers, or integers a number holds: as JSON.parse reads them.
  '[1.5,1e15,-1e15,1.5e-05,2E-7,1e-320,0.1,2.50,1.5e3,0.30000000000000004]',
  // Fractions of 16 digits or more that are their nearest number, however written.
  '[0.3333333333333333,3.3333333333333335,48.85661400000001,3.33333333333333350000e0]',
  // Doubles written to 17 significant digits (C's %.17g): the same numbers.
  '[0.10000000000000001,12345678.123456789,48.856614000000008]',
  // Zeros, with their sign, however written.
  '[0,-0,-0.0,0e400,-0E-400,0.000000000000000000000]',
  // Integers a number holds, however written: numbers, as JSON.parse reads them.
  '[9007199254740991.0,-9.007199254740991e15,123456789012345.6e1,1e+15]',
];

// Integers beyond 2^53 written with a fraction or an exponent, as Python's json writes large
// floats, and their exact values.
const integersWritten: [string, bigint][] = [
  ['1e+20', 10n ** 20n],
  ['1E21', 10n ** 21n],
  ['1.5E21', 15n * 10n ** 20n],
  ['-1e+20', -(10n ** 20n)],
  ['1e16', 10n ** 16n],
  ['9007199254740993.0', 9007199254740993n],
  ['9007199254740993e0', 9007199254740993n],
  ['12345678901234567890.0', 12345678901234567890n],
  ['1.2345678901234567e+19', 12345678901234567000n],
  ['-9.223372036854775808e18', -9223372036854775808n],
  ['123456789012345678900000000000e-10', 12345678901234567890n],
  ['0.0000000000000000000090071992547409930e37', 90071992547409930n],
  ['1e125', 10n ** 125n],
  ['9.999999999999999999e125', 9999999999999999999n * 10n ** 107n],
];

describe('parseJsonExactly', () => {
  it.each(likeJsonParse)('reads %s as JSON.parse does', (text) => {
    // The integer of 16 digits (below 2^53) makes it read exactly, not by JSON.parse.
    const read = `[${text},1234567890123456]`;
    expect(mayReadOtherwise(read)).toBe(true);
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
    expect(parseJsonExactly('9'.repeat(1000))).toBe(10n ** 1000n - 1n);
  });

  it.each(integersWritten)('reads the integer %s exactly, as a bigint', (text, exact) => {
    expect(parseJsonExactly(text)).toBe(exact);
    expect(parseJsonExactly(`{"a":[{"b":${text}}],"c":1.5}`)).toStrictEqual({
      a: [{ b: exact }],
      c: 1.5,
    });
  });

  it('reads integers written with an exponent wherever they stand', () => {
    expect(parseJsonExactly(' [ 1e+20 ,{"x":\t-1E21\n},[[1.5e16]],"1e+20",1e5] ')).toStrictEqual([
      10n ** 20n,
      { x: -(10n ** 21n) },
      [[15n * 10n ** 15n]],
      '1e+20',
      100000,
    ]);
  });

  it('refuses a number beyond a double, or below it but not zero, saying where', () => {
    const cases = [
      ['1e400', '', 'is too large to be stored (1e126 or above)'],
      ['{"a":[1,{"b":-1E+400}]}', '/a/1/b', 'is too large to be stored (1e126 or above)'],
      ['{"a/b":{"~":1e999999999}}', '/a~1b/~0', 'is too large to be stored (1e126 or above)'],
      [`[1,1e${'9'.repeat(2000)}]`, '/1', 'is too large to be stored (1e126 or above)'],
      [`{"n":${'9'.repeat(1001)}}`, '/n', 'is too large to be stored (1e126 or above)'],
      [`[${'1'.repeat(400)}.5]`, '/0', 'is too large to be stored (1e126 or above)'],
      ['[1e126]', '/0', 'is too large to be stored (1e126 or above)'],
      ['[-1.5e+300]', '/0', 'is too large to be stored (1e126 or above)'],
      ['{"a":1.7976931348623157e308}', '/a', 'is too large to be stored (1e126 or above)'],
      [`[${'1'.repeat(127)}.5]`, '/0', 'is too large to be stored (1e126 or above)'],
      ['{"a":1e-400}', '/a', 'is too small to be stored (below 1e-130)'],
      ['[[-1e-400]]', '/0/0', 'is too small to be stored (below 1e-130)'],
      ['{"x":[2e-324]}', '/x/0', 'is too small to be stored (below 1e-130)'],
      [`{"a":0.${'0'.repeat(400)}1}`, '/a', 'is too small to be stored (below 1e-130)'],
      [`{"a":1e-${'9'.repeat(2000)}}`, '/a', 'is too small to be stored (below 1e-130)'],
    ] as const;
    for (const [text, pointer, message] of cases) {
      let thrown: unknown;
      try {
        parseJsonExactly(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(JsonNumberRangeError);
      expect([text.slice(0, 40), (thrown as JsonNumberRangeError).pointer]).toEqual([
        text.slice(0, 40),
        pointer,
      ]);
      expect((thrown as Error).message).toBe(message);
    }
  });

  it('refuses a fraction whose nearest number is another, saying where and which', () => {
    const cases = [
      ['{"a":[1,0.30000000000000001]}', '/a/1', 'the nearest is 0.3'],
      ['3.333333333333333333333333333', '', 'the nearest is 3.3333333333333335'],
      ['{"n":12345678.1234567891}', '/n', 'the nearest is 12345678.12345679'],
      ['[48.856614000000006]', '/0', 'the nearest is 48.85661400000001'],
      ['[1.0000000000000001e-300]', '/0', 'the nearest is 1e-300'],
    ] as const;
    for (const [text, pointer, nearest] of cases) {
      expect(mayReadOtherwise(text)).toBe(true);
      let thrown: unknown;
      try {
        parseJsonExactly(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(JsonNumberRangeError);
      expect([text, (thrown as JsonNumberRangeError).pointer, (thrown as Error).message]).toEqual([
        text,
        pointer,
        `is no number JavaScript holds exactly (${nearest})`,
      ]);
    }
    for (const text of ['[12345678901234567.5]', '{"a":9007199254740993.5}']) {
      expect(() => parseJsonExactly(text)).toThrow(
        'is beyond 2^53 and not an integer: a number cannot hold it exactly',
      );
    }
  });

  it('builds no bigint of more than 126 digits from an exponent', () => {
    // 1e999999999 as a bigint would be a billion digits: it is refused at once (building it
    // would run past the test's timeout, without a timed assertion here).
    expect(() => parseJsonExactly('[1e999999999]')).toThrow(JsonNumberRangeError);
    expect(() => parseJsonExactly('[1e+200]')).toThrow(JsonNumberRangeError);
  });

  it('throws what JSON.parse throws for text that is not JSON', () => {
    for (const text of [
      '{',
      '[12345678901234567890,]',
      '"1234567890123456\u0001"',
      '0123456789012345678',
      '[1e+20,]',
      '[1.e20]',
      '[+1e20]',
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

describe('readNumberExactly', () => {
  it("reads a parameter's text as Number does, integers beyond 2^53 exactly", () => {
    expect(readNumberExactly('+1e+20')).toBe(10n ** 20n);
    expect(readNumberExactly('.5')).toBe(0.5);
    expect(readNumberExactly('5.')).toBe(5);
    expect(readNumberExactly('-0')).toBe(-0);
    expect(readNumberExactly('9007199254740993')).toBe(9007199254740993n);
    expect(() => readNumberExactly('1e999')).toThrow(JsonNumberRangeError);
  });

  it('reads a fraction only when its nearest number is the value written', () => {
    for (const [text, value] of [
      ['0.1', 0.1],
      ['2.50', 2.5],
      ['+.250000000000000000000', 0.25],
      ['1.5e3', 1500],
      ['1234567890123456.000', 1234567890123456],
      ['0.30000000000000004', 0.30000000000000004],
      ['-3.33333333333333350e-5', -3.3333333333333335e-5],
    ] as const) {
      expect([text, readNumberExactly(text)]).toEqual([text, value]);
    }
    for (const text of ['0.30000000000000001', '.99999999999999999', '9007199254740993.5']) {
      expect(() => readNumberExactly(text)).toThrow(JsonNumberRangeError);
    }
  });
});

describe('mayReadOtherwise', () => {
  it('finds an integer from 10^15, however written, and numbers beyond a double, wherever they stand', () => {
    for (const text of [
      '1234567890123456',
      '-1234567890123456',
      '[1,1234567890123456]',
      '{"a":\t-12345678901234567890\n}',
      `{"pad":"${'x'.repeat(37)}","a":1234567890123456}`,
      '1e+20',
      '{"a":1e20}',
      '[-1.5E21]',
      '{"a":12345678901234567890.0}',
      '[1234567890123456e3]',
      '{"a":"x","b": 1e16 }',
      '[1e400]',
      '[1e-400]',
      `[0.${'0'.repeat(330)}1]`,
      `[${'9'.repeat(400)}.5]`,
      '[12345678.1234567891]',
      '{"a":0.30000000000000001}',
    ]) {
      expect([text.slice(0, 40), mayReadOtherwise(text)]).toEqual([text.slice(0, 40), true]);
    }
  });

  it('passes over fractions, small exponents, strings of digits and shorter integers (read by JSON.parse alone)', () => {
    for (const text of [
      '[0.3333333333333333,48.85661400000001,0.30000000000000004]',
      '[1234567890.5,1.5e-05,1E-7,2.5e3,1e-300,2.50000000000000000]',
      '{"id":"1234567890123456789","ids":["12345678901234567890"]}',
      '{"id":"123e4567-e89b-12d3-a456-426614174000","s":"1e+20x","t":"a1e400"}',
      '[123456789012345,-123456789012345]',
      // Number-like words in a string that are no numbers.
      '{"s":" 1e20e5 , 2e+-3 , 1234567890123456e , 1234567890123456e+ "}',
    ]) {
      expect([text, mayReadOtherwise(text)]).toEqual([text, false]);
    }
  });

  it('measures each run of digits once, however long the string that holds it', () => {
    const long = 1 << 20;
    for (const text of [
      `{"a":"${'1'.repeat(long)}"}`,
      `{"a":"${'1e1-'.repeat(long / 4)}"}`,
      `{"a":"${'1e+1 '.repeat(long / 5)}"}`,
    ]) {
      expect(mayReadOtherwise(text)).toBe(false);
    }
    // Measuring each run again at each sixteenth character took minutes: far past the test's
    // timeout, which catches it without a timed assertion.
  });
});
