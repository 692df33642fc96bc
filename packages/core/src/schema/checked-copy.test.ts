import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemaNode } from '../../test/support/specs.js';
import { copyIfValid } from './checked-copy.js';
import { copyValue } from './copy-value.js';
import { validateValue } from './validate-value.js';

const names = ['a', 'b', 'constructor', '__proto__', '\uD800'];

// Raw schemas (OpenAPI 3.1) using the keywords the checked copy specialises, and some it
// leaves to the slow way (allOf, oneOf, uniqueItems, binary, unevaluated*); recursion through $ref.
const rawSchema = fc.letrec<{ schema: unknown; member: unknown }>((tie) => ({
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
const value = fc.letrec<{ value: unknown }>((tie) => ({
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

function objectsIn(root: unknown, found = new Set<object>()): Set<object> {
  if (root !== null && typeof root === 'object' && !found.has(root)) {
    found.add(root);
    for (const member of Object.values(root)) objectsIn(member, found);
  }
  return found;
}

function usesSlowWay(raw: unknown): boolean {
  return /"(allOf|oneOf|uniqueItems|unevaluatedProperties|unevaluatedItems)"|"binary"/.test(
    JSON.stringify(raw),
  );
}

function holdsOtherThanJson(candidate: unknown): boolean {
  if (typeof candidate === 'bigint' || candidate instanceof Uint8Array) return true;
  if (candidate instanceof Set || candidate instanceof Date) return true;
  if (candidate === null || typeof candidate !== 'object') return false;
  return Object.values(candidate).some(holdsOtherThanJson);
}

describe('copyIfValid against copyValue and validateValue', () => {
  it('copies exactly as copyValue does, and only values validateValue finds no problem in', () => {
    fc.assert(
      fc.property(rawSchema, value, (raw, candidate) => {
        const schema = schemaNode(raw);
        const slow = copyValue(schema, candidate, 'store');
        const problems = validateValue(schema, slow);
        const checked = copyIfValid(schema, candidate);
        if (checked !== undefined) {
          expect(problems).toEqual([]);
          // Deep strict equality by prototypes and own properties (`constructor` is data here).
          expect(isDeepStrictEqual(checked, slow)).toBe(true);
          // A copy: no object of the source is shared with it.
          const sources = objectsIn(candidate);
          for (const copied of objectsIn(checked)) expect(sources.has(copied)).toBe(false);
        } else if (
          problems.length === 0 &&
          typeof slow === 'object' &&
          slow !== null &&
          !usesSlowWay(raw) &&
          !holdsOtherThanJson(candidate)
        ) {
          // Without the keywords it leaves to the slow way, a valid JSON value is copied.
          expect.fail(`valid, yet not copied: ${JSON.stringify(raw)}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a __proto__ property as data and leaves the source untouched', () => {
    const schema = schemaNode({ type: 'object', properties: { name: { type: 'string' } } });
    const source = JSON.parse('{"name":"x","__proto__":{"polluted":true}}');
    const copy = copyIfValid(schema, source) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(copy).not.toBe(source);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves values deeper than validation goes to the slow way', () => {
    const schema = schemaNode({
      type: 'object',
      additionalProperties: { $ref: '#/components/schemas/T' },
    });
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 40; level++) deep = { next: deep };
    expect(copyIfValid(schema, deep)).toBeUndefined();
    expect(validateValue(schema, copyValue(schema, deep, 'store'))).not.toEqual([]);
  });
});
