import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawSchema, value } from '../../test/support/schema-arbitraries.js';
import { schemaNode } from '../../test/support/specs.js';
import { itemSize } from '../persist/item-size.js';
import { refusedNameIn, unstorable } from '../persist/item-to-write.js';
import type { StoredItem } from '../persist/stored-value.js';
import { copyIfValid, sizeBoundOfLastCopy } from './checked-copy.js';
import { copyValue } from './copy-value.js';
import { validateValue } from './validate-value.js';

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

  it('copies no list that repeats an item under uniqueItems', () => {
    const schema = schemaNode({
      type: 'object',
      properties: { tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
    });
    expect(copyIfValid(schema, { tags: ['a', 'a'] })).toBeUndefined();
    expect(validateValue(schema, { tags: ['a', 'a'] })).not.toEqual([]);
  });

  it('counts code points against minLength: one emoji (two UTF-16 units) is one character', () => {
    const schema = schemaNode({
      type: 'object',
      properties: { s: { type: 'string', minLength: 2, maxLength: 3 } },
    });
    expect(copyIfValid(schema, { s: '😀' })).toBeUndefined();
    expect(copyIfValid(schema, { s: '😀😀😀' })).toEqual({ s: '😀😀😀' });
    expect(validateValue(schema, { s: '😀' })).not.toEqual([]);
  });

  it('copies no fraction under an integer format, whatever the type says', () => {
    for (const format of ['int32', 'int64'])
      for (const type of ['number', ['number', 'null'], undefined]) {
        const schema = schemaNode({ type: 'object', properties: { n: { type, format } } });
        expect(copyIfValid(schema, { n: 1.5 }), `${format} ${type}`).toBeUndefined();
        expect(validateValue(schema, { n: 1.5 })).not.toEqual([]);
      }
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

// Values with names DynamoDB refuses (`""`, one above 64 KB), nested past its 32 levels, and
// names and strings of 3 UTF-8 bytes a UTF-16 unit (the size bound's worst case).
const refusedNameValue = fc.oneof(
  fc.constantFrom(
    { '': 1 },
    { a: { '': 'x' } },
    { a: [{ '': null }] },
    { ['n'.repeat(65_536)]: 1 },
    { ['日'.repeat(20)]: 1 },
    { a: ['日'.repeat(20)], b: { ['本'.repeat(9)]: true } },
  ),
  fc.integer({ min: 30, max: 34 }).map((levels) => {
    let nested: unknown = 'leaf';
    for (let level = 0; level < levels; level++) nested = { a: nested };
    return nested;
  }),
);

function onlyJson(candidate: unknown): boolean {
  if (candidate === null || ['string', 'number', 'boolean'].includes(typeof candidate)) return true;
  if (Array.isArray(candidate)) return candidate.every(onlyJson);
  if (typeof candidate !== 'object') return false;
  const prototype = Object.getPrototypeOf(candidate);
  return prototype === Object.prototype && Object.values(candidate).every(onlyJson);
}

describe("what copyIfValid's copy holds, which a backend then takes without walking it again", () => {
  it('JSON values alone, each one stored, no name refused, within 32 levels, its size bounded', () => {
    fc.assert(
      fc.property(
        fc.oneof(rawSchema, fc.constant({})),
        fc.oneof(value, refusedNameValue),
        (raw, candidate) => {
          const schema = schemaNode(raw);
          const checked = copyIfValid(schema, candidate);
          if (checked === undefined) return;
          const bound = sizeBoundOfLastCopy();
          const item = checked as StoredItem;
          expect(onlyJson(item)).toBe(true);
          expect(unstorable(item, 0)).toBe(false);
          expect(refusedNameIn(item, '', 0)).toBeUndefined();
          expect(bound).toBeGreaterThanOrEqual(itemSize(item));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('leaves a name no backend stores to the slow way, declared or not', () => {
    const open = schemaNode({ type: 'object' });
    const declared = schemaNode({ type: 'object', properties: { '': { type: 'string' } } });
    expect(copyIfValid(open, { '': 1 })).toBeUndefined();
    expect(copyIfValid(declared, { '': 'x' })).toBeUndefined();
    expect(copyIfValid(open, { ['é'.repeat(32_768)]: 1 })).toBeUndefined();
    expect(copyIfValid(open, { ['é'.repeat(32_767)]: 1 })).toBeDefined();
  });
});
