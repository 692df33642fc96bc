import { describe, expect, it } from 'vitest';
import { normalize, problemKeys, schemaNode } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { type Dialect, SchemaNormalizer } from './normalize-schema.js';
import { validateValue } from './validate-value.js';

/** Problems of `value` against the schema `raw`, as pointer and keyword. */
function check(raw: unknown, value: unknown, dialect: Dialect = 'oas3.1') {
  return problemKeys(validateValue(schemaNode(raw, dialect), value));
}

const ok: never[] = [];
const at = (pointer: string, keyword: string) => [{ pointer, keyword }];

describe('type', () => {
  it.each([
    ['string', ['', 'a', '😀'], [1, true, null, [], {}]],
    ['integer', [0, -5, 42, 10n], [1.5, '1', true, null]],
    ['number', [0, 1.5, -2, 10n], ['1', false, null, {}]],
    ['boolean', [true, false], [0, 'true', null]],
    ['object', [{}, { a: 1 }], [[], null, 'x']],
    ['array', [[], [1, 'a']], [{}, 'x', null]],
    ['null', [null], [0, '', false]],
  ])('%s accepts its own values and rejects others', (type, good, bad) => {
    for (const value of good) expect(check({ type }, value), String(value)).toEqual(ok);
    for (const value of bad) expect(check({ type }, value), String(value)).toEqual(at('', 'type'));
  });

  it('accepts a list of types (3.1)', () => {
    expect(check({ type: ['string', 'integer'] }, 'a')).toEqual(ok);
    expect(check({ type: ['string', 'integer'] }, 3)).toEqual(ok);
    expect(check({ type: ['string', 'integer'] }, 3.5)).toEqual(at('', 'type'));
  });

  it('reports only the type when the type is wrong', () => {
    expect(check({ type: 'string', minLength: 5, pattern: '^a' }, 3)).toEqual(at('', 'type'));
  });

  it.each([
    ['a function', () => 1],
    ['a Map', new Map()],
    ['a symbol', Symbol('s')],
  ])('rejects %s, which JSON cannot hold, even without a type', (_label, value) => {
    expect(check({}, value)).toEqual(at('', 'type'));
    expect(check({ type: 'object', properties: {} }, { x: value })).toEqual(at('/x', 'type'));
  });

  it('takes bytes where the schema says nothing (another client stored B), not in a string property', () => {
    expect(check({}, new Uint8Array([1]))).toEqual(ok);
    expect(check({ type: 'object', properties: {} }, { x: new Uint8Array([1]) })).toEqual(ok);
    expect(check({ type: 'string' }, new Uint8Array([1]))).toEqual(at('', 'type'));
    expect(check({ type: 'string', format: 'binary' }, new Uint8Array([1]))).toEqual(ok);
  });

  it('counts the bytes of a binary string against minLength and maxLength (they were ignored)', () => {
    const sized = { type: 'string', format: 'binary', minLength: 2, maxLength: 3 };
    expect(check(sized, new Uint8Array([1, 2]))).toEqual(ok);
    expect(check(sized, new Uint8Array([1, 2, 3]))).toEqual(ok);
    expect(check(sized, new Uint8Array([1]))).toEqual(at('', 'minLength'));
    expect(check(sized, new Uint8Array([1, 2, 3, 4]))).toEqual(at('', 'maxLength'));
    expect(check({ ...sized, minLength: 1 }, new Uint8Array([]))).toEqual(at('', 'minLength'));
    // Not by their base64 (four bytes are eight characters), nor by a Buffer's view of a pool.
    expect(
      check({ type: 'string', format: 'binary', maxLength: 4 }, Buffer.from([1, 2, 3, 4])),
    ).toEqual(ok);
    // Bytes another client stored where the schema says nothing are no string to count.
    expect(check({ maxLength: 1 }, new Uint8Array([1, 2]))).toEqual(ok);
  });

  it('takes bytes in a byte-format string as their base64, which its other keywords check', () => {
    const byte = { type: 'string', format: 'byte', maxLength: 4 };
    expect(check(byte, new Uint8Array([1, 2, 3]))).toEqual(ok);
    // Four bytes are eight characters of base64.
    expect(check(byte, new Uint8Array([1, 2, 3, 4]))).toEqual(at('', 'maxLength'));
    expect(check({ type: 'string', format: 'byte', enum: ['AQ=='] }, new Uint8Array([1]))).toEqual(
      ok,
    );
  });

  it('a Date is not a JSON object (it would be stored as {})', () => {
    expect(check({}, new Date(0))).toEqual(at('', 'type'));
    expect(check({ type: 'object' }, { when: new Date(0) })).toEqual(at('/when', 'type'));
  });

  it('rejects undefined inside a list', () => {
    expect(check({ type: 'array' }, [1, undefined])).toEqual(at('/1', 'type'));
  });

  it('accepts any JSON value where the schema gives no type', () => {
    for (const value of ['a', 1, true, null, [1, { a: [null] }], { a: { b: 'c' } }])
      expect(check({}, value)).toEqual(ok);
  });
});

describe('enum and const', () => {
  it('enum accepts listed values only, compared deeply', () => {
    const schema = { enum: ['a', 1, null, { x: [1] }] };
    for (const value of ['a', 1, null, { x: [1] }]) expect(check(schema, value)).toEqual(ok);
    for (const value of ['b', 2, { x: [2] }, [1]])
      expect(check(schema, value)).toEqual(at('', 'enum'));
  });

  it('enum compares a bigint with an equal number', () => {
    expect(check({ type: 'integer', enum: [5, 7] }, 5n)).toEqual(ok);
    expect(check({ type: 'integer', enum: [5, 7] }, 6n)).toEqual(at('', 'enum'));
  });

  it('const requires the one value, compared deeply', () => {
    expect(check({ const: { a: [1, 2] } }, { a: [1, 2] })).toEqual(ok);
    expect(check({ const: { a: [1, 2] } }, { a: [2, 1] })).toEqual(at('', 'const'));
    expect(check({ const: 'x' }, 'y')).toEqual(at('', 'const'));
    expect(check({ const: null }, null)).toEqual(ok);
  });

  it('names the values it allows with their line breaks and bidi controls escaped', () => {
    const messages = (raw: unknown, value: unknown) =>
      validateValue(schemaNode(raw, 'oas3.1'), value).map((problem) => problem.message);
    expect(messages({ enum: ['a\u202eb', { k: '\u2028' }] }, 'x')).toEqual([
      'must be one of "a\\u202eb", {"k":"\\u2028"}',
    ]);
    expect(messages({ const: 'c\u2066' }, 'x')).toEqual(['must be "c\\u2066"']);
  });
});

describe('objects', () => {
  const person = {
    type: 'object',
    required: ['name', 'age'],
    properties: {
      name: { type: 'string' },
      age: { type: 'integer' },
      address: {
        type: 'object',
        required: ['city'],
        properties: { city: { type: 'string' }, zip: { type: 'string' } },
      },
    },
  };

  it('[P-12] required names each missing property; undefined counts as missing', () => {
    expect(check(person, { name: 'Ada', age: 36 })).toEqual(ok);
    expect(check(person, { age: undefined })).toEqual([
      { pointer: '/age', keyword: 'required' },
      { pointer: '/name', keyword: 'required' },
    ]);
  });

  it('properties are checked with nested pointers', () => {
    expect(check(person, { name: 'Ada', age: 'old', address: { zip: 75001 } })).toEqual([
      { pointer: '/address/city', keyword: 'required' },
      { pointer: '/address/zip', keyword: 'type' },
      { pointer: '/age', keyword: 'type' },
    ]);
  });

  it('additionalProperties false rejects undeclared properties', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { a: {} } };
    expect(check(schema, { a: 1 })).toEqual(ok);
    expect(check(schema, { a: 1, b: 2, c: 3 })).toEqual([
      { pointer: '/b', keyword: 'additionalProperties' },
      { pointer: '/c', keyword: 'additionalProperties' },
    ]);
  });

  it('additionalProperties false counts properties declared by allOf members', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: { a: {} },
      allOf: [{ type: 'object', properties: { b: { type: 'string' } } }],
    };
    expect(check(schema, { a: 1, b: 'x' })).toEqual(ok);
    expect(check(schema, { a: 1, c: 'x' })).toEqual(at('/c', 'additionalProperties'));
  });

  it('additionalProperties as a schema checks every undeclared property', () => {
    const schema = {
      type: 'object',
      properties: { a: {} },
      additionalProperties: { type: 'integer' },
    };
    expect(check(schema, { a: 'x', b: 1, c: 2 })).toEqual(ok);
    expect(check(schema, { a: 'x', b: 'one', c: 2.5 })).toEqual([
      { pointer: '/b', keyword: 'type' },
      { pointer: '/c', keyword: 'type' },
    ]);
  });

  it('minProperties and maxProperties count defined properties', () => {
    const schema = { type: 'object', minProperties: 1, maxProperties: 2 };
    expect(check(schema, { a: 1 })).toEqual(ok);
    expect(check(schema, { a: undefined })).toEqual(at('', 'minProperties'));
    expect(check(schema, { a: 1, b: 2, c: 3 })).toEqual(at('', 'maxProperties'));
  });
});

describe('arrays', () => {
  it('items are checked with their index in the pointer', () => {
    expect(check({ type: 'array', items: { type: 'string' } }, ['a', 1, 'c', false])).toEqual([
      { pointer: '/1', keyword: 'type' },
      { pointer: '/3', keyword: 'type' },
    ]);
  });

  it('stops looking past 1,000 problems: a list of 450,000 wrong items, an object of 5,000 wrong properties', () => {
    const list = validateValue(
      schemaNode({ type: 'array', items: { type: 'string' }, maxItems: 20, uniqueItems: true }),
      new Array(450_000).fill(1),
    );
    expect(list[0]).toMatchObject({ pointer: '', keyword: 'maxItems' });
    expect(list.length).toBe(1000);
    expect(list.at(-1)).toMatchObject({ pointer: '/998', keyword: 'type' });
    const record = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`p${index}`, 1]));
    const properties = validateValue(
      schemaNode({
        type: 'object',
        minProperties: 5000,
        additionalProperties: { type: 'string' },
      }),
      record,
    );
    expect(properties.length).toBe(1000);
    // The properties past the cap are still counted: no false minProperties problem.
    expect(properties.some((problem) => problem.keyword === 'minProperties')).toBe(false);
  });

  it('stops past 1,000 problems when the items are valid but repeat: 300,000 equal items', () => {
    const problems = validateValue(
      schemaNode({ type: 'array', items: { type: 'integer' }, uniqueItems: true }),
      new Array(300_000).fill(1),
    );
    expect(problems.length).toBe(1000);
    expect(problems[0]).toMatchObject({ pointer: '/1', keyword: 'uniqueItems' });
    expect(problems.at(-1)).toMatchObject({ pointer: '/1000', keyword: 'uniqueItems' });
  });

  it('stops past 1,000 unevaluated properties or items, refused or checked', () => {
    const names = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`p${index}`, 1]));
    const items = new Array(5000).fill(1);
    for (const unevaluated of [false, { type: 'string' }]) {
      const properties = validateValue(
        schemaNode({ type: 'object', unevaluatedProperties: unevaluated }),
        names,
      );
      expect(properties.length).toBe(1000);
      expect(properties.at(-1)).toMatchObject({ pointer: '/p999' });
      const list = validateValue(
        schemaNode({ type: 'array', prefixItems: [{}], unevaluatedItems: unevaluated }),
        items,
      );
      expect(list.length).toBe(1000);
      expect(list.at(-1)).toMatchObject({ pointer: '/1000' });
    }
  });

  it('minItems and maxItems', () => {
    const schema = { type: 'array', minItems: 1, maxItems: 2 };
    expect(check(schema, [1])).toEqual(ok);
    expect(check(schema, [1, 2])).toEqual(ok);
    expect(check(schema, [])).toEqual(at('', 'minItems'));
    expect(check(schema, [1, 2, 3])).toEqual(at('', 'maxItems'));
  });

  it('uniqueItems flags each repeat, compared deeply', () => {
    const schema = { type: 'array', uniqueItems: true };
    expect(check(schema, [1, 2, 3])).toEqual(ok);
    expect(check(schema, [1, 2, 1])).toEqual(at('/2', 'uniqueItems'));
    expect(check(schema, [{ a: [1] }, { a: [1] }])).toEqual(at('/1', 'uniqueItems'));
    expect(check(schema, [{ a: 1 }, { a: 2 }])).toEqual(ok);
  });

  it('uniqueItems holds 1, 1n and 1.0 as repeats, on short and long lists alike', () => {
    const schema = { type: 'array', uniqueItems: true };
    const long = (extra: unknown[]) => [...Array.from({ length: 40 }, (_, i) => `x${i}`), ...extra];
    for (const [first, second] of [
      [1, 1n],
      [1, 1.0],
      [2n ** 60n, 2n ** 60n],
      [
        { a: [1], b: 'x' },
        { b: 'x', a: [1n] },
      ],
      [new Uint8Array([1]), new Uint8Array([1])],
    ]) {
      expect(check(schema, [first, second]), String(first)).toEqual(at('/1', 'uniqueItems'));
      expect(check(schema, long([first, second]))).toEqual(at('/41', 'uniqueItems'));
    }
    for (const [first, second] of [
      [1, '1'],
      [{ a: 1 }, { a: 1, b: 2 }],
      [
        [1, 2],
        [2, 1],
      ],
      [null, {}],
      [true, 1],
    ]) {
      expect(check(schema, [first, second])).toEqual(ok);
      expect(check(schema, long([first, second]))).toEqual(ok);
    }
  });

  it('uniqueItems takes linear time: 200,000 items, the repeat last', () => {
    const schema = schemaNode({ type: 'array', uniqueItems: true, items: { type: 'integer' } });
    const integers = Array.from({ length: 200_000 }, (_, index) => index);
    expect(problemKeys(validateValue(schema, [...integers, 5]))).toEqual(
      at('/200000', 'uniqueItems'),
    );
    const objects = integers.map((index) => ({ id: `s${index}` }));
    const open = schemaNode({ type: 'array', uniqueItems: true });
    expect(problemKeys(validateValue(open, [...objects, { id: 's7' }]))).toEqual(
      at('/200000', 'uniqueItems'),
    );
  });
});

describe('strings', () => {
  it('minLength and maxLength count code points, not UTF-16 units', () => {
    const schema = { type: 'string', minLength: 2, maxLength: 2 };
    expect(check(schema, '😀😀')).toEqual(ok);
    expect(check(schema, '😀')).toEqual(at('', 'minLength'));
    expect(check(schema, '😀😀😀')).toEqual(at('', 'maxLength'));
    expect(check(schema, 'ab')).toEqual(ok);
  });

  it('pattern searches the string, in Unicode mode', () => {
    expect(check({ type: 'string', pattern: '^[0-9]{5}$' }, '75001')).toEqual(ok);
    expect(check({ type: 'string', pattern: '^[0-9]{5}$' }, '7500')).toEqual(at('', 'pattern'));
    expect(check({ type: 'string', pattern: 'b' }, 'abc')).toEqual(ok);
    expect(check({ type: 'string', pattern: '^.$' }, '😀')).toEqual(ok);
  });
});

describe('numbers', () => {
  it('minimum and maximum are inclusive', () => {
    const schema = { type: 'number', minimum: 0, maximum: 10 };
    expect(check(schema, 0)).toEqual(ok);
    expect(check(schema, 10)).toEqual(ok);
    expect(check(schema, -0.5)).toEqual(at('', 'minimum'));
    expect(check(schema, 10.5)).toEqual(at('', 'maximum'));
  });

  it.each(['swagger2', 'oas3.0'] as const)('exclusive bounds in boolean style (%s)', (dialect) => {
    const schema = {
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 10,
      exclusiveMaximum: true,
    };
    expect(check(schema, 0.1, dialect)).toEqual(ok);
    expect(check(schema, 9.9, dialect)).toEqual(ok);
    expect(check(schema, 0, dialect)).toEqual(at('', 'exclusiveMinimum'));
    expect(check(schema, 10, dialect)).toEqual(at('', 'exclusiveMaximum'));
  });

  it('exclusive bounds false in boolean style stay inclusive (oas3.0)', () => {
    const schema = { type: 'number', minimum: 0, exclusiveMinimum: false };
    expect(check(schema, 0, 'oas3.0')).toEqual(ok);
    expect(check(schema, -1, 'oas3.0')).toEqual(at('', 'minimum'));
  });

  it('exclusive bounds in number style (oas3.1)', () => {
    const schema = { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 };
    expect(check(schema, 0.1)).toEqual(ok);
    expect(check(schema, 0)).toEqual(at('', 'exclusiveMinimum'));
    expect(check(schema, 10)).toEqual(at('', 'exclusiveMaximum'));
  });

  it('multipleOf, with decimal steps', () => {
    expect(check({ type: 'integer', multipleOf: 5 }, 15)).toEqual(ok);
    expect(check({ type: 'integer', multipleOf: 5 }, 7)).toEqual(at('', 'multipleOf'));
    expect(check({ type: 'number', multipleOf: 0.1 }, 0.3)).toEqual(ok);
    expect(check({ type: 'number', multipleOf: 0.01 }, 10.001)).toEqual(at('', 'multipleOf'));
    // Exact decimals, as JSON writes them: large quotients and tiny values alike.
    for (const [step, value] of [
      [0.01, 605906.45],
      [0.01, 80089035.16],
      [0.1, 115772225.1],
      [1e-8, 4411.25414992],
      [0.01, 19.99],
      [3, 0],
    ] as const)
      expect(check({ type: 'number', multipleOf: step }, value), `${value}`).toEqual(ok);
    for (const [step, value] of [
      [3, 2.5e-9],
      [3, 1e-10],
      [1, 1.0000000001],
      [0.1, 1e-10],
    ] as const)
      expect(check({ type: 'number', multipleOf: step }, value), `${value}`).toEqual(
        at('', 'multipleOf'),
      );
    expect(check({ type: 'number', multipleOf: 0.5 }, 10n ** 30n)).toEqual(ok);
  });

  it('an integer type rejects a fraction', () => {
    expect(check({ type: 'integer' }, 2.5)).toEqual(at('', 'type'));
  });

  it('an integer format takes no fraction under type number, or untyped', () => {
    for (const format of ['int32', 'int64'])
      for (const schema of [
        { type: 'number', format },
        { format },
        { type: ['number', 'null'], format },
      ]) {
        expect(check(schema, 1.5), `${JSON.stringify(schema)}`).toEqual(at('', 'format'));
        expect(check(schema, -0.25), `${JSON.stringify(schema)}`).toEqual(at('', 'format'));
        expect(check(schema, 7), `${JSON.stringify(schema)}`).toEqual(ok);
      }
    expect(check({ type: 'number', format: 'int64' }, 2n ** 62n)).toEqual(ok);
    expect(check({ type: 'number', format: 'int32' }, 2 ** 31)).toEqual(at('', 'format'));
    expect(check({ type: 'number', format: 'double' }, 1.5)).toEqual(ok);
    expect(check({ type: 'number', format: 'float' }, 1.5)).toEqual(ok);
  });

  it('[P-13] maximum compares a bigint exactly, never rounded', () => {
    const schema = { type: 'integer', format: 'int64', maximum: 9007199254740992 };
    expect(check(schema, 9007199254740992n)).toEqual(ok);
    expect(check(schema, 9007199254740993n)).toEqual(at('', 'maximum'));
  });

  it('[P-13] compares a bigint with a fractional bound exactly', () => {
    const schema = { type: 'integer', format: 'int64', minimum: 2.5, maximum: 3.5 };
    expect(check(schema, 3n)).toEqual(ok);
    expect(check(schema, 2n)).toEqual(at('', 'minimum'));
    expect(check(schema, 4n)).toEqual(at('', 'maximum'));
    const exclusive = {
      type: 'integer',
      format: 'int64',
      exclusiveMinimum: -3.5,
      exclusiveMaximum: -2.5,
    };
    expect(check(exclusive, -3n)).toEqual(ok);
    expect(check(exclusive, -4n)).toEqual(at('', 'exclusiveMinimum'));
    expect(check(exclusive, -2n)).toEqual(at('', 'exclusiveMaximum'));
  });

  it('[P-13] multipleOf checks a bigint exactly, never rounded', () => {
    const schema = { type: 'integer', format: 'int64', multipleOf: 2 };
    expect(check(schema, 2n ** 60n)).toEqual(ok);
    expect(check(schema, 2n ** 60n + 1n)).toEqual(at('', 'multipleOf'));
  });
});

describe('numbers that cannot be stored exactly', () => {
  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['-0', -0],
    ['2^53 as a number', 2 ** 53],
    ['2^53 + 2 as a number', 2 ** 53 + 2],
    ['-(2^53) as a number', -(2 ** 53)],
    ['a bigint of 39 significant digits', 10n ** 38n + 1n],
    ['a negative bigint of 39 significant digits', -(10n ** 38n + 1n)],
    ['a bigint of 1e126', 10n ** 126n],
    ['1e200', 1e200],
    ['-1e200', -1e200],
    ['1e-200', 1e-200],
    ['9.99e-131, just below 1e-130', 9.99e-131],
    ['-5e-131', -5e-131],
  ])('[P-13] %s is a problem, typed or untyped', (_label, value) => {
    expect(check({ type: 'number' }, value)).toEqual(at('', 'type'));
    expect(check({ type: 'object' }, { n: value })).toEqual(at('/n', 'type'));
    expect(check({ type: 'array' }, [value])).toEqual(at('/0', 'type'));
  });

  it.each([
    ['the largest safe integer', Number.MAX_SAFE_INTEGER],
    ['a bigint of 38 digits', 10n ** 38n - 1n],
    ['a bigint of 39 digits, 1 significant (DynamoDB stores 1E+38)', 10n ** 38n],
    ['a bigint just below 1e126 with 38 significant digits', (10n ** 38n - 1n) * 10n ** 88n],
    ['123.456', 123.456],
    ['1.5e-100', 1.5e-100],
    ['1e-130', 1e-130],
    ['0', 0],
    ['0.1', 0.1],
  ])('[P-13] %s is storable', (_label, value) => {
    // Beyond 2^53 a typed integer must be int64 (P-18); an untyped value may use all 38 digits.
    const schema = typeof value === 'bigint' ? {} : { type: 'number' };
    expect(check(schema, value)).toEqual(ok);
  });
});

describe('strings that are not valid Unicode', () => {
  it('[P-14] a lone surrogate is a problem, typed or untyped', () => {
    expect(check({ type: 'string' }, 'a\uD800b')).toEqual(at('', 'type'));
    expect(check({ type: 'string' }, '\uDC00')).toEqual(at('', 'type'));
    expect(check({}, { s: ['ok', 'x\uD83D'] })).toEqual(at('/s/1', 'type'));
    expect(check({ type: 'string' }, '\uD83D\uDE00')).toEqual(ok);
  });

  it('[P-14] a property name (map key) with a lone surrogate is a problem', () => {
    expect(check({ type: 'object' }, { 'bad\uD800': 1 }).length).toBeGreaterThan(0);
  });
});

describe('combinators', () => {
  it('allOf reports the problems of every member', () => {
    const schema = {
      allOf: [
        { type: 'object', required: ['a'] },
        { type: 'object', properties: { b: { type: 'string' } } },
      ],
    };
    expect(check(schema, { a: 1, b: 'x' })).toEqual(ok);
    expect(check(schema, { b: 2 })).toEqual([
      { pointer: '/a', keyword: 'required' },
      { pointer: '/b', keyword: 'type' },
    ]);
  });

  it('anyOf needs at least one match', () => {
    const schema = { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 10 }] };
    expect(check(schema, 'x')).toEqual(ok);
    expect(check(schema, 12)).toEqual(ok);
    expect(check(schema, 3)).toEqual(at('', 'anyOf'));
  });

  it('oneOf needs exactly one match', () => {
    const schema = { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 10 }] };
    expect(check(schema, 3)).toEqual(ok);
    expect(check(schema, 10.5)).toEqual(ok);
    expect(check(schema, 12)).toEqual(at('', 'oneOf'));
    expect(check(schema, 'x')).toEqual(at('', 'oneOf'));
  });

  it('not rejects values that match', () => {
    const schema = { type: 'string', not: { enum: ['root', 'admin'] } };
    expect(check(schema, 'ada')).toEqual(ok);
    expect(check(schema, 'root')).toEqual(at('', 'not'));
  });

  it('false as a schema accepts nothing, true everything', () => {
    const schema = { type: 'object', properties: { never: false, always: true } };
    expect(check(schema, { always: [1] })).toEqual(ok);
    expect(check(schema, { never: 1 })).toEqual(at('/never', 'false'));
  });
});

describe('discriminator', () => {
  const cat = {
    type: 'object',
    required: ['petType'],
    properties: { petType: { type: 'string' }, lives: { type: 'integer' } },
  };
  const dog = {
    type: 'object',
    required: ['petType'],
    properties: { petType: { type: 'string' }, bark: { type: 'string' } },
  };

  it('checks not beside the discriminator, whichever variant it selects', () => {
    const pet = {
      oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
      discriminator: { propertyName: 'petType', mapping: { cat: '#/components/schemas/Cat' } },
      not: { required: ['bark'] },
    };
    const node = schemaNode(pet, 'oas3.0', { Cat: cat, Dog: dog });
    expect(problemKeys(validateValue(node, { petType: 'cat', lives: 1 }))).toEqual(ok);
    expect(problemKeys(validateValue(node, { petType: 'cat', bark: 'x' }))).toEqual(at('', 'not'));
  });

  it('selects the variant through the mapping', () => {
    const pet = {
      oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
      discriminator: {
        propertyName: 'petType',
        mapping: { cat: '#/components/schemas/Cat', dog: 'Dog' },
      },
    };
    const node = schemaNode(pet, 'oas3.0', { Cat: cat, Dog: dog });
    const problems = (value: unknown) => problemKeys(validateValue(node, value));
    expect(problems({ petType: 'cat', lives: 9 })).toEqual(ok);
    expect(problems({ petType: 'dog', bark: 'woof' })).toEqual(ok);
    // The variant's own problems, not a bare oneOf failure: the discriminator chose Cat.
    expect(problems({ petType: 'cat', lives: 'nine' })).toEqual(at('/lives', 'type'));
    expect(problems({ petType: 'cow' })).toEqual(at('/petType', 'discriminator'));
    expect(problems({ lives: 1 })).toEqual(at('/petType', 'discriminator'));
    expect(problems({ petType: 7 })).toEqual(at('/petType', 'discriminator'));
  });

  it('selects a variant by a string alone: 1 or true names none, though the mapping lists "1" and "true"', () => {
    const pet = {
      oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
      discriminator: {
        propertyName: 'petType',
        mapping: { '1': '#/components/schemas/Cat', true: '#/components/schemas/Dog' },
      },
    };
    const node = schemaNode(pet, 'oas3.0', {
      Cat: { ...cat, properties: { ...cat.properties, petType: {} } },
      Dog: { ...dog, properties: { ...dog.properties, petType: {} } },
    });
    const problems = (value: unknown) => problemKeys(validateValue(node, value));
    expect(problems({ petType: '1', lives: 9 })).toEqual(ok);
    expect(problems({ petType: 1, lives: 9 })).toEqual(at('/petType', 'discriminator'));
    expect(problems({ petType: true, bark: 'woof' })).toEqual(at('/petType', 'discriminator'));
  });

  it('without the property (not required by the spec), the members decide', () => {
    const privateUser = {
      type: 'object',
      required: ['plan'],
      properties: { kind: { type: 'string' }, plan: { type: 'string' } },
    };
    const publicUser = {
      type: 'object',
      required: ['login'],
      properties: { kind: { type: 'string' }, login: { type: 'string' } },
      additionalProperties: false,
    };
    const user = {
      oneOf: [{ $ref: '#/components/schemas/Private' }, { $ref: '#/components/schemas/Public' }],
      discriminator: { propertyName: 'kind', mapping: { private: 'Private', public: 'Public' } },
    };
    const node = schemaNode(user, 'oas3.0', { Private: privateUser, Public: publicUser });
    const problems = (value: unknown) => problemKeys(validateValue(node, value));
    expect(problems({ login: 'octocat' })).toEqual(ok);
    expect(problems({ kind: 'public', login: 'octocat' })).toEqual(ok);
    // None fits: the missing name is the problem, as when it names no variant.
    expect(problems({ other: 1 })).toEqual(at('/kind', 'discriminator'));
    expect(problems({ kind: 'admin', login: 'x' })).toEqual(at('/kind', 'discriminator'));
    // A NULL (another client's, where the spec allows it) names nothing: as absent.
    const nullable = schemaNode(user, 'oas3.0', {
      Private: privateUser,
      Public: { ...publicUser, properties: { ...publicUser.properties, kind: { nullable: true } } },
    });
    expect(problemKeys(validateValue(nullable, { kind: null, login: 'octocat' }))).toEqual(ok);
  });

  it("selects OpenAPI 3.2's defaultMapping when the property is absent or names no variant", () => {
    const other = {
      type: 'object',
      required: ['note'],
      properties: { petType: { type: 'string' }, note: { type: 'string' } },
    };
    const pet = {
      oneOf: [
        { $ref: '#/components/schemas/Cat' },
        { $ref: '#/components/schemas/Dog' },
        { $ref: '#/components/schemas/Other' },
      ],
      discriminator: { propertyName: 'petType', mapping: { cat: 'Cat' }, defaultMapping: 'Other' },
      unevaluatedProperties: false,
    };
    const schemas = { Cat: cat, Dog: dog, Other: other, T: pet };
    const document = { openapi: '3.2.0', info: { title: 't', version: '1' }, paths: {} };
    const node = new SchemaNormalizer({ ...document, components: { schemas } }, 'oas3.1').atPointer(
      '/components/schemas/T',
      'T',
    );
    // Before 3.2, `defaultMapping` is no keyword: a value naming no variant stays refused.
    const before = schemaNode(pet, 'oas3.1', { Cat: cat, Dog: dog, Other: other });
    expect(problemKeys(validateValue(before, { petType: 'cow', note: 'moo' }))).toContainEqual(
      at('/petType', 'discriminator')[0],
    );
    const problems = (value: unknown) => problemKeys(validateValue(node, value));
    expect(problems({ petType: 'cat', lives: 9 })).toEqual(ok);
    // The default variant, not a discriminator problem and not the oneOf members.
    expect(problems({ petType: 'cow', note: 'moo' })).toEqual(ok);
    expect(problems({ note: 'no type' })).toEqual(ok);
    expect(problems({ petType: 'cow' })).toEqual(at('/note', 'required'));
    expect(problems({ petType: 7, note: 'x' })).toEqual(at('/petType', 'type'));
    // What the default variant evaluates is evaluated; nothing else is.
    expect(problems({ note: 'x', lives: 1 })).toEqual(at('/lives', 'unevaluatedProperties'));
  });

  it('without a mapping, selects the variant by its schema name', () => {
    const pet = {
      oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
      discriminator: { propertyName: 'petType' },
    };
    const node = schemaNode(pet, 'oas3.0', { Cat: cat, Dog: dog });
    expect(problemKeys(validateValue(node, { petType: 'Cat', lives: 9 }))).toEqual(ok);
    expect(problemKeys(validateValue(node, { petType: 'Dog', bark: 1 }))).toEqual(
      at('/bark', 'type'),
    );
    expect(problemKeys(validateValue(node, { petType: 'cat' }))).toEqual(
      at('/petType', 'discriminator'),
    );
  });

  it('on a parent that its variants extend with allOf, validates without looping', () => {
    // The OpenAPI 3.0 specification's own example: Pet maps to Cat and Dog, which allOf Pet.
    const { node } = normalize(
      {
        Pet: {
          type: 'object',
          required: ['petType'],
          properties: { petType: { type: 'string' } },
          discriminator: {
            propertyName: 'petType',
            mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' },
          },
        },
        Cat: {
          allOf: [
            { $ref: '#/components/schemas/Pet' },
            { type: 'object', properties: { lives: { type: 'integer' } } },
          ],
        },
        Dog: {
          allOf: [
            { $ref: '#/components/schemas/Pet' },
            { type: 'object', properties: { bark: { type: 'string' } } },
          ],
        },
      },
      'Cat',
      'oas3.0',
    );
    expect(problemKeys(validateValue(node, { petType: 'cat', lives: 9 }))).toEqual(ok);
    expect(problemKeys(validateValue(node, { petType: 'cat', lives: 'x' }))).toEqual(
      at('/lives', 'type'),
    );
  });

  it('in Swagger 2.0 (a property name on the parent), accepts the variants', () => {
    const { node } = normalize(
      {
        Pet: {
          type: 'object',
          discriminator: 'petType',
          required: ['petType'],
          properties: { petType: { type: 'string' } },
        },
        Cat: {
          allOf: [
            { $ref: '#/definitions/Pet' },
            { type: 'object', properties: { lives: { type: 'integer' } } },
          ],
        },
      },
      'Cat',
      'swagger2',
    );
    expect(problemKeys(validateValue(node, { petType: 'Cat', lives: 9 }))).toEqual(ok);
  });

  it('in Swagger 2.0, takes the name of the schema or of any schema that inherits it, however deep', () => {
    const pet = {
      type: 'object',
      discriminator: 'petType',
      required: ['petType'],
      properties: { petType: { type: 'string' } },
    };
    // No schema inherits it (yet): its own name.
    const alone = normalize({ Pet: pet }, 'Pet', 'swagger2').node;
    expect(problemKeys(validateValue(alone, { petType: 'Pet' }))).toEqual(ok);
    expect(problemKeys(validateValue(alone, { petType: 'Cat' }))).toEqual(
      at('/petType', 'discriminator'),
    );
    const definitions = {
      Pet: pet,
      Cat: { allOf: [{ $ref: '#/definitions/Pet' }, { type: 'object' }] },
      Lion: {
        allOf: [
          { $ref: '#/definitions/Cat' },
          { type: 'object', properties: { mane: { type: 'boolean' } } },
        ],
      },
    };
    const lion = normalize(definitions, 'Lion', 'swagger2').node;
    expect(problemKeys(validateValue(lion, { petType: 'Lion', mane: true }))).toEqual(ok);
    expect(problemKeys(validateValue(lion, { petType: 'Lion', mane: 1 }))).toEqual(
      at('/mane', 'type'),
    );
  });

  it('in OpenAPI 3, a parent that lists its members (oneOf) keeps to them: a grandchild is no value of its own', async () => {
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'pets', version: '1' },
      paths: {},
      components: {
        schemas: {
          Pet: {
            type: 'object',
            required: ['petType'],
            properties: { petType: { type: 'string' } },
            oneOf: [ref('Cat'), ref('Dog')],
            discriminator: { propertyName: 'petType' },
          },
          Cat: {
            allOf: [ref('Pet'), { type: 'object', properties: { lives: { type: 'integer' } } }],
          },
          Dog: { allOf: [ref('Pet')] },
          Lion: {
            allOf: [ref('Cat'), { type: 'object', properties: { mane: { type: 'boolean' } } }],
          },
        },
      },
    });
    expect(problemKeys(api.validate('Pet', { petType: 'Cat' }))).toEqual(ok);
    expect(problemKeys(api.validate('Pet', { petType: 'Lion' }))).toEqual(
      at('/petType', 'discriminator'),
    );
  });

  it('in Swagger 2.0, dispatches through the parent to every schema that inherits it, however deep', async () => {
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'pets', version: '1' },
      paths: {},
      definitions: {
        Pet: {
          type: 'object',
          discriminator: 'petType',
          required: ['petType'],
          properties: { petType: { type: 'string' } },
        },
        Cat: { allOf: [{ $ref: '#/definitions/Pet' }, { type: 'object' }] },
        Lion: {
          allOf: [
            { $ref: '#/definitions/Cat' },
            { type: 'object', properties: { mane: { type: 'boolean' } } },
          ],
        },
      },
    });
    for (const name of ['Pet', 'Cat', 'Lion'])
      expect(problemKeys(api.validate('Pet', { petType: name })), name).toEqual(ok);
    // Through the parent, a Lion is checked as one.
    expect(problemKeys(api.validate('Pet', { petType: 'Lion', mane: 1 }))).toEqual(
      at('/mane', 'type'),
    );
    expect(api.validate('Pet', { petType: 'Bird' }).map((problem) => problem.message)).toEqual([
      'must be one of "Pet", "Cat", "Lion"',
    ]);
  });

  // Azure's specs (AutoRest) name each variant by x-ms-discriminator-value, and the property's
  // enum lists those values alone: read by the schema name, every value was refused.
  it('selects a variant by the value it declares with x-ms-discriminator-value or x-discriminator-value', async () => {
    for (const dialect of ['swagger2', 'oas3'] as const) {
      const ref = (name: string) =>
        dialect === 'swagger2' ? `#/definitions/${name}` : `#/components/schemas/${name}`;
      const schemas = {
        Criteria: {
          type: 'object',
          discriminator: dialect === 'swagger2' ? 'odata.type' : { propertyName: 'odata.type' },
          required: ['odata.type'],
          properties: {
            'odata.type': { type: 'string', enum: ['Azure.Single', 'Azure.Multiple', 'Other'] },
          },
        },
        Single: {
          'x-ms-discriminator-value': 'Azure.Single',
          allOf: [{ $ref: ref('Criteria') }],
          properties: { single: { type: 'string' } },
        },
        Multiple: {
          'x-discriminator-value': 'Azure.Multiple',
          allOf: [{ $ref: ref('Criteria') }],
          properties: { count: { type: 'integer' } },
        },
        // An explicit mapping entry (OpenAPI 3) comes before the extension.
        Mapped: {
          'x-ms-discriminator-value': 'Unused',
          allOf: [{ $ref: ref('Criteria') }],
          properties: { mapped: { type: 'boolean' } },
        },
      };
      const document =
        dialect === 'swagger2'
          ? { swagger: '2.0', info: { title: 'a', version: '1' }, paths: {}, definitions: schemas }
          : {
              openapi: '3.0.3',
              info: { title: 'a', version: '1' },
              paths: {},
              components: {
                schemas: {
                  ...schemas,
                  Criteria: {
                    ...schemas.Criteria,
                    discriminator: {
                      propertyName: 'odata.type',
                      mapping: { Other: ref('Mapped') },
                    },
                  },
                },
              },
            };
      const api = await loadApi(document);
      expect(
        problemKeys(api.validate('Criteria', { 'odata.type': 'Azure.Single' })),
        dialect,
      ).toEqual(ok);
      // Through the parent, each is checked as the variant its value selects.
      expect(
        problemKeys(api.validate('Criteria', { 'odata.type': 'Azure.Single', single: 1 })),
        dialect,
      ).toEqual(at('/single', 'type'));
      expect(
        problemKeys(api.validate('Criteria', { 'odata.type': 'Azure.Multiple', count: 'x' })),
        dialect,
      ).toEqual(at('/count', 'type'));
      if (dialect === 'oas3')
        expect(
          problemKeys(api.validate('Criteria', { 'odata.type': 'Other', mapped: 'x' })),
        ).toEqual(at('/mapped', 'type'));
    }
  });

  // A value declared by two variants of one discriminator (or by one and named by another)
  // selected the first silently: the other could never be validated or stored as itself.
  it('refuses two variants of one discriminator selected by one declared value, naming both', async () => {
    const variant = (extension: Record<string, unknown>, property: string) => ({
      ...extension,
      allOf: [{ $ref: '#/components/schemas/Parent' }],
      properties: { [property]: { type: 'string' } },
    });
    const document = (schemas: Record<string, unknown>) => ({
      openapi: '3.0.3',
      info: { title: 'a', version: '1' },
      paths: {},
      components: {
        schemas: {
          Parent: {
            type: 'object',
            discriminator: { propertyName: 'kind' },
            required: ['kind'],
            properties: { kind: { type: 'string' } },
          },
          ...schemas,
        },
      },
    });
    for (const [schemas, shown] of [
      [
        {
          A: variant({ 'x-ms-discriminator-value': 'same' }, 'a'),
          B: variant({ 'x-discriminator-value': 'same' }, 'b'),
        },
        'A and B are both selected by the discriminator value "same" (A and B declare it',
      ],
      [
        { A: variant({ 'x-ms-discriminator-value': 'B' }, 'a'), B: variant({}, 'b') },
        'are both selected by the discriminator value "B" (A declares it',
      ],
      [
        { A: variant({ 'x-ms-discriminator-value': 'Parent' }, 'a') },
        'Parent and A are both selected by the discriminator value "Parent" (A declares it',
      ],
    ] as const) {
      const error = await loadApi(document(schemas)).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, shown).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems.map((problem) => problem.pointer)).toEqual([
        '/components/schemas/Parent/discriminator',
      ]);
      expect((error as SpecError).problems[0]!.message).toContain(shown);
    }
    // Mapped explicitly, the value is the mapping's; in two hierarchies, one value is each one's.
    const mapped = document({
      A: variant({ 'x-ms-discriminator-value': 'same' }, 'a'),
      B: variant({ 'x-ms-discriminator-value': 'same' }, 'b'),
    });
    (mapped.components.schemas.Parent.discriminator as Record<string, unknown>).mapping = {
      same: '#/components/schemas/B',
    };
    const api = await loadApi(mapped);
    expect(problemKeys(api.validate('Parent', { kind: 'same', b: 1 }))).toEqual(at('/b', 'type'));
    const twoHierarchies = document({
      A: variant({ 'x-ms-discriminator-value': 'same' }, 'a'),
      Other: {
        type: 'object',
        discriminator: { propertyName: 'kind' },
        required: ['kind'],
        properties: { kind: { type: 'string' } },
      },
      C: {
        'x-ms-discriminator-value': 'same',
        allOf: [{ $ref: '#/components/schemas/Other' }],
        properties: { c: { type: 'string' } },
      },
    });
    const both = await loadApi(twoHierarchies);
    expect(problemKeys(both.validate('Parent', { kind: 'same', a: 1 }))).toEqual(at('/a', 'type'));
    expect(problemKeys(both.validate('Other', { kind: 'same', c: 1 }))).toEqual(at('/c', 'type'));
  });

  // An alias stands for the schema it refers to: the value that schema declares selects it, and
  // its own name does not (read by its name, `cat` was refused and `Kitty` taken).
  it('selects an alias of a variant by the value the variant declares', async () => {
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'a', version: '1' },
      paths: {},
      components: {
        schemas: {
          Pet: {
            oneOf: [{ $ref: '#/components/schemas/Kitty' }],
            discriminator: { propertyName: 'kind' },
          },
          Kitty: { $ref: '#/components/schemas/Cat' },
          Cat: {
            'x-ms-discriminator-value': 'cat',
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' }, purr: { type: 'boolean' } },
          },
        },
      },
    });
    expect(problemKeys(api.validate('Pet', { kind: 'cat', purr: true }))).toEqual(ok);
    expect(problemKeys(api.validate('Pet', { kind: 'cat', purr: 1 }))).toEqual(at('/purr', 'type'));
    expect(problemKeys(api.validate('Pet', { kind: 'Kitty', purr: true }))).toEqual(
      at('/kind', 'discriminator'),
    );
  });

  // Read as no value, the schema was selected by its name instead, a value the spec never gives.
  it('refuses a declared value that is no string, and two extensions that disagree', async () => {
    const spec = (extensions: Record<string, unknown>) => ({
      swagger: '2.0',
      info: { title: 'a', version: '1' },
      paths: {},
      definitions: {
        Pet: { type: 'object', discriminator: 'kind', properties: { kind: { type: 'string' } } },
        Cat: { ...extensions, allOf: [{ $ref: '#/definitions/Pet' }] },
      },
    });
    for (const [extensions, pointer, message] of [
      [
        { 'x-ms-discriminator-value': 1 },
        '/definitions/Cat/x-ms-discriminator-value',
        'x-ms-discriminator-value must be a string, the value of the discriminator that selects Cat, not 1',
      ],
      [
        { 'x-discriminator-value': true },
        '/definitions/Cat/x-discriminator-value',
        'x-discriminator-value must be a string, the value of the discriminator that selects Cat, not true',
      ],
      [
        { 'x-ms-discriminator-value': 'cat', 'x-discriminator-value': 'Cat' },
        '/definitions/Cat/x-discriminator-value',
        'x-discriminator-value "Cat" differs from x-ms-discriminator-value "cat": declare the one value that selects Cat',
      ],
    ] as const) {
      const error = await loadApi(spec(extensions)).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems).toEqual([{ pointer, message }]);
    }
    // The same value twice is one value.
    const api = await loadApi(
      spec({ 'x-ms-discriminator-value': 'cat', 'x-discriminator-value': 'cat' }),
    );
    expect(problemKeys(api.validate('Pet', { kind: 'cat' }))).toEqual(ok);
  });

  // Azure's nested discriminators: below a variant discriminating on another property, a value
  // is that property's, and two schemas under two variants may declare it (refused as two
  // variants of Pet selected by "small").
  it('takes one value declared under two variants that discriminate on another property', async () => {
    const pet = { type: 'object', discriminator: 'kind', properties: { kind: { type: 'string' } } };
    const variant = (parent: string, value: string, property: string) => ({
      'x-ms-discriminator-value': value,
      allOf: [
        { $ref: `#/definitions/${parent}` },
        { type: 'object', properties: { [property]: { type: 'boolean' } } },
      ],
    });
    const sized = (value: string, property: string) => ({
      ...variant('Pet', value, property),
      discriminator: 'size',
      properties: { size: { type: 'string' } },
    });
    const spec = (definitions: Record<string, unknown>) => ({
      swagger: '2.0',
      info: { title: 'a', version: '1' },
      paths: {},
      definitions,
    });
    const api = await loadApi(
      spec({
        Pet: pet,
        Cat: sized('cat', 'purr'),
        Dog: sized('dog', 'bark'),
        SmallCat: variant('Cat', 'small', 'mews'),
        SmallDog: variant('Dog', 'small', 'yaps'),
      }),
    );
    expect(problemKeys(api.validate('Pet', { kind: 'dog', size: 'small', yaps: 1 }))).toEqual(
      at('/yaps', 'type'),
    );
    expect(problemKeys(api.validate('Pet', { kind: 'cat', size: 'small', mews: 1 }))).toEqual(
      at('/mews', 'type'),
    );
    // Checked as itself, a SmallCat names Cat on `kind` (whose `size` names it), not Dog.
    expect(problemKeys(api.validate('SmallCat', { kind: 'cat', size: 'small' }))).toEqual(ok);
    expect(problemKeys(api.validate('SmallCat', { kind: 'dog', size: 'small' }))).toContainEqual({
      pointer: '/kind',
      keyword: 'discriminator',
    });
    // On the same property (Bing's `_type` at every level), one value is still one schema's.
    const error = await loadApi(
      spec({
        Pet: pet,
        Cat: { ...sized('cat', 'purr'), discriminator: 'kind' },
        Dog: { ...sized('dog', 'bark'), discriminator: 'kind' },
        SmallCat: variant('Cat', 'small', 'mews'),
        SmallDog: variant('Dog', 'small', 'yaps'),
      }),
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map((problem) => problem.pointer)).toEqual([
      '/definitions/Pet/discriminator',
    ]);
  });

  // A Cat whose petType names Dog was a valid Cat wherever it was also a valid Dog: its
  // ancestor's discriminator checked it as a Dog. Read through the parent, it is one.
  it('refuses a variant whose discriminator value names a sibling, in every form of inheritance through allOf', async () => {
    const ref = (name: string) => `#/components/schemas/${name}`;
    const base = {
      type: 'object',
      required: ['petType'],
      properties: { petType: { type: 'string' }, name: { type: 'string' } },
    };
    const extending = (parent: string, extra: Record<string, unknown> = {}) => ({
      ...extra,
      allOf: [{ $ref: ref(parent) }, { type: 'object', properties: { [parent]: {} } }],
    });
    const forms: [string, Record<string, unknown>, Record<string, string>][] = [
      [
        'oneOf parent extended by its members',
        {
          Pet: {
            ...base,
            oneOf: [{ $ref: ref('Cat') }, { $ref: ref('Dog') }, { $ref: ref('Lion') }],
            discriminator: { propertyName: 'petType' },
          },
          Cat: extending('Pet'),
          Dog: extending('Pet'),
          Lion: extending('Cat'),
        },
        { Cat: 'Cat', Dog: 'Dog', Lion: 'Lion' },
      ],
      [
        'allOf inheritance',
        {
          Pet: { ...base, discriminator: { propertyName: 'petType' } },
          Cat: extending('Pet'),
          Dog: extending('Pet'),
          Lion: extending('Cat'),
        },
        { Cat: 'Cat', Dog: 'Dog', Lion: 'Lion' },
      ],
      [
        'a mapping',
        {
          Pet: {
            ...base,
            discriminator: {
              propertyName: 'petType',
              mapping: { cat: ref('Cat'), dog: ref('Dog'), lion: ref('Lion') },
            },
          },
          Cat: extending('Pet'),
          Dog: extending('Pet'),
          Lion: extending('Cat'),
        },
        { Cat: 'cat', Dog: 'dog', Lion: 'lion' },
      ],
      [
        'x-ms-discriminator-value',
        {
          Pet: { ...base, discriminator: { propertyName: 'petType' } },
          Cat: extending('Pet', { 'x-ms-discriminator-value': 'cat' }),
          Dog: extending('Pet', { 'x-ms-discriminator-value': 'dog' }),
          Lion: extending('Cat', { 'x-ms-discriminator-value': 'lion' }),
        },
        { Cat: 'cat', Dog: 'dog', Lion: 'lion' },
      ],
    ];
    for (const [form, schemas, values] of forms) {
      const api = await loadApi({
        openapi: '3.0.3',
        info: { title: 'a', version: '1' },
        paths: {},
        components: { schemas },
      });
      // Its own value, a descendant's (a Lion is a Cat) or an ancestor's (read as it, the
      // object is one), as the variant types `macaron generate` writes take them.
      for (const [model, value] of [
        ['Cat', values.Cat],
        ['Cat', values.Lion],
        ['Lion', values.Lion],
        ['Lion', values.Cat],
        ['Pet', values.Dog],
      ] as const)
        expect(
          problemKeys(api.validate(model, { petType: value })),
          `${form}: ${model} ${value}`,
        ).toEqual(ok);
      // A sibling's value is the discriminator's problem at its property.
      for (const [model, value] of [
        ['Cat', values.Dog],
        ['Dog', values.Cat],
        ['Lion', values.Dog],
        ['Dog', values.Lion],
      ] as const) {
        const problems = api.validate(model, { petType: value });
        expect(problemKeys(problems), `${form}: ${model} ${value}`).toContainEqual({
          pointer: '/petType',
          keyword: 'discriminator',
        });
      }
      const message = api
        .validate('Cat', { petType: values.Dog })
        .find((problem) => problem.keyword === 'discriminator')!.message;
      expect(message, form).toMatch(
        /^must name Cat, a schema it extends or one extending it, not a sibling: one of /,
      );
      expect(message, form).toContain(`"${values.Cat}", "${values.Lion}"`);
      expect(message, form).not.toContain(`"${values.Dog}"`);
      expect(() => api.model('Dog').fromJSON({ petType: values.Cat }), form).toThrow(
        ValidationError,
      );
    }
  });
});

describe('nullable in the three dialects', () => {
  it('Swagger 2.0: x-nullable allows null; nullable is not a Swagger keyword', () => {
    expect(check({ type: 'string', 'x-nullable': true }, null, 'swagger2')).toEqual(ok);
    expect(check({ type: 'string' }, null, 'swagger2')).toEqual(at('', 'type'));
    expect(check({ type: 'string', nullable: true }, null, 'swagger2')).toEqual(at('', 'type'));
  });

  it('OpenAPI 3.0: nullable: true allows null', () => {
    expect(check({ type: 'integer', nullable: true }, null, 'oas3.0')).toEqual(ok);
    expect(check({ type: 'integer', nullable: false }, null, 'oas3.0')).toEqual(at('', 'type'));
    expect(check({ type: 'integer', nullable: true }, 'x', 'oas3.0')).toEqual(at('', 'type'));
  });

  it("OpenAPI 3.1: type [T, 'null'] allows null; nullable is no longer a keyword", () => {
    expect(check({ type: ['string', 'null'] }, null)).toEqual(ok);
    expect(check({ type: ['string', 'null'] }, 'a')).toEqual(ok);
    expect(check({ type: 'string', nullable: true }, null)).toEqual(at('', 'type'));
  });

  it('nullable and x-nullable allow null beside an enum that leaves it out (as GitHub writes it)', () => {
    const reason = { type: 'string', enum: ['false positive', "won't fix"] };
    expect(check({ ...reason, nullable: true }, null, 'oas3.0')).toEqual(ok);
    expect(check({ ...reason, 'x-nullable': true }, null, 'swagger2')).toEqual(ok);
    expect(check({ ...reason, nullable: true }, 'other', 'oas3.0')).toEqual(at('', 'enum'));
    // 3.1 is JSON Schema: the enum decides.
    expect(check({ ...reason, type: ['string', 'null'] }, null)).toEqual(at('', 'enum'));
  });

  it('nullable without a type allows null beside oneOf (as GitHub writes it); not in 3.1', () => {
    const either = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(check({ ...either, nullable: true }, null, 'oas3.0')).toEqual(ok);
    expect(check({ ...either, 'x-nullable': true }, null, 'swagger2')).toEqual(ok);
    expect(check({ ...either, nullable: true }, 'x', 'oas3.0')).toEqual(ok);
    expect(check({ ...either, nullable: true }, true, 'oas3.0')).toEqual(at('', 'oneOf'));
    expect(check(either, null, 'oas3.0')).toEqual(at('', 'oneOf'));
    expect(check({ ...either, nullable: true }, null)).toEqual(at('', 'oneOf'));
  });

  it('null skips the checks of the other type', () => {
    expect(check({ type: ['string', 'null'], minLength: 3, format: 'email' }, null)).toEqual(ok);
  });
});

describe('depth', () => {
  function nested(levels: number): unknown {
    let value: unknown = 1;
    for (let level = 0; level < levels; level++) value = [value];
    return value;
  }

  it('accepts values nested 30 levels deep', () => {
    expect(check({ type: 'object' }, { data: nested(30) })).toEqual(ok);
  });

  it('gives a depth problem beyond 32 levels', () => {
    const problems = check({ type: 'object' }, { data: nested(33) });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.keyword).toBe('depth');
    expect(problems[0]!.pointer).toMatch(/^\/data(\/0)+$/);
  });

  it('stops at the limit on very deep values instead of overflowing the stack', () => {
    const problems = check({ type: 'object' }, { data: nested(100_000) });
    expect(problems.map((problem) => problem.keyword)).toEqual(['depth']);
  });

  it('stops at the limit inside a uniqueItems list, with the same problem, not a RangeError', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const schema = { type: 'object', properties: { list: { type: 'array', uniqueItems: true } } };
    for (const body of [`{"list":[${deep},${deep}]}`, `{"list":[${deep},[[1]],[[1]],${deep}]}`]) {
      const problems = check(schema, JSON.parse(body));
      expect(problems.map((problem) => problem.keyword)).toContain('depth');
      expect(problems.every((problem) => problem.keyword !== 'uniqueItems')).toBe(
        !body.includes('[[1]]'),
      );
    }
    // Typed items stop at their type: still no RangeError.
    const typed = { type: 'array', uniqueItems: true, items: { type: 'string' } };
    expect(check(typed, JSON.parse(`[${deep},${deep}]`))).toEqual([
      { pointer: '/0', keyword: 'type' },
      { pointer: '/1', keyword: 'type' },
    ]);
  });

  it('enum and const compare a very deep value without a RangeError', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(check({ enum: [[[]]] }, deep).map((problem) => problem.keyword)).toContain('enum');
    expect(check({ const: [[[]]] }, deep).map((problem) => problem.keyword)).toContain('const');
  });

  it('stops on a value that contains itself', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const problems = check({ type: 'object' }, cyclic);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.keyword).toBe('depth');
  });
});

describe('JSON pointers', () => {
  it('escape / and ~ in property names (RFC 6901)', () => {
    const schema = {
      type: 'object',
      required: ['a/b'],
      properties: {
        'a/b': { type: 'string' },
        'm~n': { type: 'string' },
        '~1': { type: 'string' },
      },
    };
    expect(check(schema, { 'm~n': 1, '~1': 2 })).toEqual([
      { pointer: '/a~1b', keyword: 'required' },
      { pointer: '/m~0n', keyword: 'type' },
      { pointer: '/~01', keyword: 'type' },
    ]);
  });

  it('start at the pointer given', () => {
    expect(problemKeys(validateValue(schemaNode({ type: 'string' }), 1, '/profile/name'))).toEqual(
      at('/profile/name', 'type'),
    );
  });

  it('the root is the empty pointer', () => {
    expect(check({ type: 'object' }, [])).toEqual(at('', 'type'));
  });
});

describe('every problem at once', () => {
  it('[P-11] lists problems from every level in one result', () => {
    const schema = {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', format: 'uuid' },
        email: { type: 'string', format: 'email' },
        scores: { type: 'array', items: { type: 'integer', minimum: 0 } },
        meta: { type: 'object', properties: { created: { type: 'string', format: 'date' } } },
      },
    };
    expect(
      check(schema, {
        email: 'nope',
        scores: [1, -1, 2.5],
        meta: { created: '2023-02-29' },
        extra: true,
      }),
    ).toEqual([
      { pointer: '/email', keyword: 'format' },
      { pointer: '/extra', keyword: 'additionalProperties' },
      { pointer: '/id', keyword: 'required' },
      { pointer: '/meta/created', keyword: 'format' },
      { pointer: '/scores/1', keyword: 'minimum' },
      { pointer: '/scores/2', keyword: 'type' },
    ]);
  });
});

describe('enum, const and uniqueItems compare own properties', () => {
  it('a __proto__ key is data: {} is not equal to { __proto__: {} }', () => {
    const withProto = JSON.parse('{"__proto__":{}}');
    expect(check({ enum: [withProto] }, { x: 5 })).toEqual(at('', 'enum'));
    expect(check({ const: withProto }, { zzz: 1 })).toEqual(at('', 'const'));
    expect(check({ enum: [withProto] }, JSON.parse('{"__proto__":{}}'))).toEqual(ok);
    expect(check({ type: 'array', uniqueItems: true }, [withProto, { b: 2 }])).toEqual(ok);
  });
});

describe('property names are data', () => {
  const names = Object.getOwnPropertyNames(Object.prototype);
  const withOwn = (name: string, value: unknown) =>
    Object.defineProperty({}, name, { value, enumerable: true, writable: true });

  it.each(names)('a closed schema refuses %s, an open one takes it', (name) => {
    const closed = { type: 'object', additionalProperties: false, properties: { a: {} } };
    expect(check(closed, withOwn(name, 'x'))).toEqual(at(`/${name}`, 'additionalProperties'));
    expect(check({ type: 'object' }, withOwn(name, { nested: 1 }))).toEqual(ok);
  });

  it.each(names)('a required %s is missing unless the object has its own', (name) => {
    const schema = schemaNode({ type: 'object', required: [name] }, 'oas3.1');
    expect(problemKeys(validateValue(schema, {}))).toEqual(at(`/${name}`, 'required'));
    expect(problemKeys(validateValue(schema, withOwn(name, 1)))).toEqual(ok);
  });

  it('a declared property named like Object.prototype is validated by its own schema', () => {
    const schema = {
      type: 'object',
      properties: { constructor: { type: 'string' }, toString: { type: 'integer' } },
    };
    expect(check(schema, { constructor: 'x', toString: 1 })).toEqual(ok);
    expect(check(schema, withOwn('toString', 'not an integer'))).toEqual(at('/toString', 'type'));
  });
});

describe('sets', () => {
  const tags = { type: 'array', items: { type: 'string', maxLength: 3 } };

  it('takes a set where an array is allowed, checking each member', () => {
    expect(check(tags, new Set(['a', 'b']))).toEqual(ok);
    expect(check(tags, new Set(['long one']))).toEqual(at('/0', 'maxLength'));
    expect(check({ type: 'string' }, new Set(['a']))).toEqual(at('', 'type'));
    expect(check({}, new Set([1, 2n, 3.5]))).toEqual(ok);
    expect(check({}, new Set([new Uint8Array([1])]))).toEqual(ok);
  });

  it('refuses what DynamoDB cannot store: an empty set, mixed members, other members', () => {
    expect(check(tags, new Set())).toEqual(at('', 'set'));
    expect(check({}, new Set(['a', 1]))).toEqual(at('', 'set'));
    expect(check({}, new Set([true]))).toEqual(at('', 'set'));
    expect(check({}, new Set([{}]))).toEqual(at('', 'set'));
  });
});

describe('the JSON Schema 2020-12 keywords of OpenAPI 3.1', () => {
  it('prefixItems: a schema for each first item, items for the rest', () => {
    const tuple = {
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'integer' }],
      items: false,
    };
    expect(check(tuple, ['x'])).toEqual(ok);
    expect(check(tuple, ['x', 2])).toEqual(ok);
    expect(check(tuple, [1])).toEqual(at('/0', 'type'));
    expect(check(tuple, ['x', 2, 'extra'])).toEqual(at('/2', 'false'));
  });

  it('patternProperties: names matching a pattern take its schema and are not additional', () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'string' } },
      patternProperties: { '^x-': { type: 'string' } },
      additionalProperties: false,
    };
    expect(check(schema, { id: 'a', 'x-trace': 'y' })).toEqual(ok);
    expect(check(schema, { 'x-trace': 1 })).toEqual(at('/x-trace', 'type'));
    expect(check(schema, { other: 'y' })).toEqual(at('/other', 'additionalProperties'));
  });

  it('patternProperties: a name takes the schema of every pattern it matches, and of properties', () => {
    const schema = {
      type: 'object',
      properties: { ab: { minLength: 2 } },
      patternProperties: { '^a': { type: 'string' }, b$: { maxLength: 3 } },
    };
    expect(check(schema, { ab: 'xyz', axb: 'xyz' })).toEqual(ok);
    expect(check(schema, { axb: 'wxyz' })).toEqual(at('/axb', 'maxLength'));
    expect(check(schema, { ab: 'x' })).toEqual(at('/ab', 'minLength'));
    expect(check(schema, { ab: 'wxyz' })).toEqual(at('/ab', 'maxLength'));
  });

  it('contains, minContains and maxContains count the matching items', () => {
    const schema = { type: 'array', contains: { type: 'integer' }, minContains: 2, maxContains: 3 };
    expect(check(schema, [1, 'a', 2])).toEqual(ok);
    // maxContains is inclusive: as many matches as it says are allowed.
    expect(check(schema, [1, 2, 'a', 3])).toEqual(ok);
    expect(check(schema, [1, 'a'])).toEqual(at('', 'contains'));
    expect(check(schema, [1, 2, 3, 4])).toEqual(at('', 'maxContains'));
    expect(check({ type: 'array', contains: { const: 'x' } }, [])).toEqual(at('', 'contains'));
  });

  it('propertyNames and dependentRequired', () => {
    expect(check({ type: 'object', propertyNames: { maxLength: 3 } }, { abc: 1 })).toEqual(ok);
    expect(check({ type: 'object', propertyNames: { maxLength: 3 } }, { abcd: 1 })).toEqual(
      at('/abcd', 'propertyNames'),
    );
    const dependent = { type: 'object', dependentRequired: { card: ['billing'] } };
    expect(check(dependent, { card: 1, billing: 2 })).toEqual(ok);
    expect(check(dependent, { billing: 2 })).toEqual(ok);
    expect(check(dependent, { card: 1 })).toEqual(at('/billing', 'dependentRequired'));
  });

  it('if, then and else; dependentSchemas', () => {
    // As parsed from a spec: a literal with a `then` key would read as a promise to linters.
    const schema = JSON.parse(`{
      "type": "object",
      "if": { "properties": { "kind": { "const": "card" } }, "required": ["kind"] },
      "then": { "required": ["number"] },
      "else": { "required": ["iban"] },
      "dependentSchemas": { "number": { "properties": { "number": { "pattern": "^[0-9]+$" } } } }
    }`);
    expect(check(schema, { kind: 'card', number: '42' })).toEqual(ok);
    expect(check(schema, { kind: 'card' })).toEqual(at('/number', 'required'));
    expect(check(schema, { kind: 'bank', iban: 'FR' })).toEqual(ok);
    expect(check(schema, { kind: 'bank' })).toEqual(at('/iban', 'required'));
    expect(check(schema, { kind: 'card', number: 'x' })).toEqual(at('/number', 'pattern'));
  });

  it('are keywords of 3.1 only: a 3.0 schema that uses them is read as 3.0 reads it', () => {
    const schema = { type: 'object', patternProperties: { '^x-': { type: 'string' } } };
    expect(check(schema, { 'x-trace': 1 }, 'oas3.0')).toEqual(ok);
  });
});

describe('unevaluatedProperties and unevaluatedItems (3.1)', () => {
  // Cases compared with ajv's 2020-12 mode and python-jsonschema (Draft202012Validator).
  const base = { type: 'object', properties: { id: { type: 'string' } } };

  it('closes a composition: what allOf members and $ref targets declare is evaluated', () => {
    const closed = {
      allOf: [base, { properties: { note: { type: 'string' } } }],
      unevaluatedProperties: false,
    };
    expect(check(closed, { id: 'a', note: 'n' })).toEqual(ok);
    expect(check(closed, { id: 'a', other: 1 })).toEqual(at('/other', 'unevaluatedProperties'));
    // A $ref with siblings (3.1) applies its target in place.
    const extended = {
      $ref: '#/components/schemas/Base',
      properties: { note: { type: 'string' } },
      unevaluatedProperties: false,
    };
    const node = schemaNode(extended, 'oas3.1', { Base: base });
    expect(problemKeys(validateValue(node, { id: 'a', note: 'n' }))).toEqual(ok);
    expect(problemKeys(validateValue(node, { id: 'a', x: 1 }))).toEqual(
      at('/x', 'unevaluatedProperties'),
    );
  });

  it('takes a schema for the properties nothing else evaluates', () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'string' } },
      patternProperties: { '^x-': { type: 'string' } },
      unevaluatedProperties: { type: 'integer' },
    };
    expect(check(schema, { id: 'a', 'x-trace': 't', count: 2 })).toEqual(ok);
    expect(check(schema, { count: 'two' })).toEqual(at('/count', 'type'));
    // An undefined property is no property.
    expect(check({ ...schema, unevaluatedProperties: false }, { other: undefined })).toEqual(ok);
  });

  it('counts an anyOf or oneOf member only where it matches', () => {
    const schema = {
      type: 'object',
      anyOf: [
        { properties: { card: { type: 'string' } }, required: ['card'] },
        { properties: { iban: { type: 'string' } }, required: ['iban'] },
      ],
      unevaluatedProperties: false,
    };
    expect(check(schema, { card: 'c', iban: 'i' })).toEqual(ok);
    // iban is declared by the member that does not match: unevaluated.
    expect(check(schema, { card: 'c', iban: 1 })).toEqual(at('/iban', 'unevaluatedProperties'));
    const one = { ...schema, oneOf: schema.anyOf, anyOf: undefined };
    expect(check(one, { card: 'c' })).toEqual(ok);
    expect(check(one, { card: 'c', extra: 1 })).toEqual(at('/extra', 'unevaluatedProperties'));
  });

  it('counts if with then where if matches, else where it does not; not never counts', () => {
    const schema = JSON.parse(`{
      "type": "object",
      "if": { "properties": { "kind": { "const": "card" } }, "required": ["kind"] },
      "then": { "properties": { "number": { "type": "string" } } },
      "else": { "properties": { "iban": { "type": "string" } } },
      "unevaluatedProperties": false
    }`);
    expect(check(schema, { kind: 'card', number: '4' })).toEqual(ok);
    expect(check(schema, { kind: 'card', iban: 'FR' })).toEqual(
      at('/iban', 'unevaluatedProperties'),
    );
    expect(check(schema, { iban: 'FR' })).toEqual(ok);
    // `if` does not match: its kind is not evaluated, nor then's number.
    expect(problemKeys(validateValue(schemaNode(schema), { kind: 'bank', number: '4' }))).toEqual([
      { pointer: '/kind', keyword: 'unevaluatedProperties' },
      { pointer: '/number', keyword: 'unevaluatedProperties' },
    ]);
    const negated = { type: 'object', not: { properties: { a: { type: 'string' } } } };
    expect(check({ ...negated, unevaluatedProperties: false }, { a: 1 })).toEqual(
      at('/a', 'unevaluatedProperties'),
    );
  });

  it('does not count an if that fails, even one closed by unevaluatedProperties', () => {
    // ajv 8 counts the properties of a failed `if` here; 2020-12 (and python-jsonschema) do not.
    const schema = JSON.parse(`{
      "if": { "oneOf": [{}], "unevaluatedProperties": false },
      "then": { "properties": { "c": {} } },
      "unevaluatedProperties": false
    }`);
    expect(check(schema, { a: 1 })).toEqual(at('/a', 'unevaluatedProperties'));
  });

  it('counts the dependentSchemas of the properties present', () => {
    const schema = {
      type: 'object',
      properties: { card: { type: 'string' } },
      dependentSchemas: { card: { properties: { expiry: { type: 'string' } } } },
      unevaluatedProperties: false,
    };
    expect(check(schema, { card: 'c', expiry: '12/30' })).toEqual(ok);
    expect(check(schema, { expiry: '12/30' })).toEqual(at('/expiry', 'unevaluatedProperties'));
  });

  it('counts everything a subschema with its own additionalProperties or unevaluatedProperties takes', () => {
    for (const member of [
      { additionalProperties: true },
      { additionalProperties: { type: 'integer' } },
      { unevaluatedProperties: true },
      { unevaluatedProperties: { type: 'integer' } },
    ]) {
      const schema = { type: 'object', allOf: [member], unevaluatedProperties: false };
      expect(check(schema, { a: 1 }), JSON.stringify(member)).toEqual(ok);
    }
    // Inside a member, its unevaluatedProperties sees only the member's own evaluations.
    const inner = {
      type: 'object',
      properties: { a: { type: 'string' } },
      allOf: [{ properties: { b: {} }, unevaluatedProperties: false }],
    };
    expect(check(inner, { a: 'x', b: 1 })).toEqual(at('/a', 'unevaluatedProperties'));
  });

  it('keeps the inheritance choice: allOf declarations are not additional to additionalProperties: false', () => {
    const schema = {
      type: 'object',
      allOf: [base],
      properties: { note: { type: 'string' } },
      additionalProperties: false,
      unevaluatedProperties: false,
    };
    expect(check(schema, { id: 'a', note: 'n' })).toEqual(ok);
    // One problem, not two: additionalProperties refuses it, and evaluates it in doing so.
    expect(check(schema, { other: 1 })).toEqual(at('/other', 'additionalProperties'));
  });

  it("counts a discriminator's variant, which Pet's own keywords cannot see", () => {
    const schemas = {
      Pet: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' }, name: { type: 'string' } },
        discriminator: { propertyName: 'kind' },
        unevaluatedProperties: false,
      },
      Cat: {
        allOf: [
          { $ref: '#/components/schemas/Pet' },
          { properties: { lives: { type: 'integer' } } },
        ],
      },
    };
    const { node: pet, normalizer } = normalize(schemas, 'Pet');
    // Cat names Pet in its allOf: normalised, it is Pet's variant `Cat`.
    normalizer.atPointer('/components/schemas/Cat', 'Cat');
    expect(problemKeys(validateValue(pet, { kind: 'Cat', name: 'Tom', lives: 9 }))).toEqual(ok);
    expect(problemKeys(validateValue(pet, { kind: 'Cat', barks: true }))).toEqual(
      at('/barks', 'unevaluatedProperties'),
    );
  });

  it('unevaluatedItems: after prefixItems, items and the items contains matches', () => {
    const tuple = { type: 'array', prefixItems: [{ type: 'string' }], unevaluatedItems: false };
    expect(check(tuple, ['a'])).toEqual(ok);
    expect(check(tuple, ['a', 2])).toEqual(at('/1', 'unevaluatedItems'));
    expect(check({ ...tuple, items: { type: 'integer' } }, ['a', 2])).toEqual(ok);
    expect(check({ ...tuple, unevaluatedItems: { type: 'integer' } }, ['a', 2, 'b'])).toEqual(
      at('/2', 'type'),
    );
    // contains evaluates the items it matches, not the others (ajv 8 counts them all).
    const contains = { type: 'array', contains: { type: 'integer' }, unevaluatedItems: false };
    expect(check(contains, [1, 2])).toEqual(ok);
    expect(check(contains, [1, 'a'])).toEqual(at('/1', 'unevaluatedItems'));
    // Through allOf, and an anyOf member where it matches.
    const composed = {
      type: 'array',
      allOf: [{ prefixItems: [{}] }],
      anyOf: [{ prefixItems: [{}, { type: 'string' }] }, { items: { type: 'boolean' } }],
      unevaluatedItems: false,
    };
    expect(check(composed, [1, 'b'])).toEqual(ok);
    expect(check(composed, [1, 'b', 'c'])).toEqual(at('/2', 'unevaluatedItems'));
    expect(check(composed, [true, false, true])).toEqual(ok);
    // A set is a list of its members to the schema.
    expect(check(tuple, new Set(['a', 'b']))).toEqual(at('/1', 'unevaluatedItems'));
    // An undefined item is reported once, as such, not again by the unevaluatedItems schema.
    expect(check({ ...tuple, unevaluatedItems: { type: 'integer' } }, ['a', undefined])).toEqual(
      at('/1', 'type'),
    );
  });

  it('through a loaded API: fromJSON reads int64 strings under unevaluatedProperties, validate refuses the rest', async () => {
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'counters', version: '1' },
      paths: {},
      components: {
        schemas: {
          Named: { type: 'object', properties: { name: { type: 'string' } } },
          Counters: {
            $ref: '#/components/schemas/Named',
            unevaluatedProperties: { type: 'integer', format: 'int64' },
          },
        },
      },
    });
    const counters = api.model('Counters').fromJSON({ name: 'c', big: '9007199254740993' });
    expect((counters as unknown as Record<string, unknown>).big).toBe(9007199254740993n);
    expect(problemKeys(api.validate('Counters', { name: 'c', other: 'x' }))).toEqual(
      at('/other', 'type'),
    );
    expect(() => api.model('Counters').fromJSON({ name: 1 })).toThrow(ValidationError);
  });

  it('are keywords of 3.1 only', () => {
    const schema = { type: 'object', unevaluatedProperties: false, unevaluatedItems: false };
    expect(check(schema, { a: 1 }, 'oas3.0')).toEqual(ok);
    expect(check({ type: 'array', unevaluatedItems: false }, [1], 'oas3.0')).toEqual(ok);
  });
});
