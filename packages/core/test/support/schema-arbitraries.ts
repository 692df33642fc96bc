// fast-check arbitraries of raw schemas and of values, shared by the tests that hold the
// specialised copies (checked, store) to the generic copyValue and validateValue.
import fc from 'fast-check';

const names = ['a', 'b', 'constructor', '__proto__', '\uD800'];

// Raw schemas (OpenAPI 3.1) using the keywords the checked copy specialises, and some it
// leaves to the slow way (allOf, oneOf, uniqueItems, binary, unevaluated*); recursion through $ref.
export const rawSchema = fc.letrec<{ schema: unknown; member: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      {},
      { type: 'string' },
      { type: ['string', 'null'] },
      { type: 'string', minLength: 2, maxLength: 3 },
      { type: 'string', pattern: '^a' },
      { type: 'string', format: 'date-time' },
      { type: 'string', format: 'binary' },
      { type: 'string', enum: ['a', 'b'] },
      { enum: ['a', null, 1] },
      { type: 'integer' },
      { type: 'integer', format: 'int32' },
      { type: 'number', format: 'int64' },
      { type: 'integer', minimum: 0, maximum: 10 },
      { type: 'number' },
      { type: ['number', 'null'], exclusiveMaximum: 2 },
      { type: 'boolean' },
      { type: 'null' },
    ),
    fc.record(
      {
        type: fc.constantFrom('object', ['object', 'null']),
        properties: fc.dictionary(fc.constantFrom(...names.slice(0, 4)), tie('member'), {
          maxKeys: 3,
        }),
        required: fc.subarray(names.slice(0, 4)),
        additionalProperties: fc.oneof(fc.constant(false), tie('member')),
        unevaluatedProperties: fc.oneof(fc.constant(false), tie('member')),
        minProperties: fc.constant(1),
        maxProperties: fc.constant(3),
      },
      { requiredKeys: ['type', 'properties'] },
    ),
    fc.record(
      {
        type: fc.constant('array'),
        items: tie('member'),
        minItems: fc.constant(1),
        maxItems: fc.constant(2),
        uniqueItems: fc.constant(true),
        unevaluatedItems: fc.oneof(fc.constant(false), tie('member')),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ allOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
  ),
  member: fc.oneof(tie('schema'), fc.constant({ $ref: '#/components/schemas/T' })),
})).schema;

// Values: valid and invalid leaves of every kind, undefined and null in objects and lists.
export const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      null,
      undefined,
      '',
      'a',
      'abcd',
      'a😀',
      '\uD800',
      '2026-12-01T10:00:00Z',
      '2026-02-30T10:00:00Z',
      0,
      7,
      -3,
      1.5,
      -0,
      2 ** 31,
      2 ** 53,
      3e-131,
      Number.NaN,
      5n,
      true,
      new Uint8Array([1]),
      new Set(['x']),
      new Date(0),
    ),
    fc.array(tie('value'), { maxLength: 3 }),
    fc
      .array(fc.tuple(fc.constantFrom(...names), tie('value')), { maxLength: 4 })
      .map((entries) => Object.fromEntries(entries)),
  ),
})).value;
