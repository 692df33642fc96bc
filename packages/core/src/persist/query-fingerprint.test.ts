import { describe, expect, it } from 'vitest';
import { type CursorQuery, queryFingerprint } from './query-fingerprint.js';

const base: CursorQuery = { kind: 'query', model: 'M', table: 't', index: '', partition: 'p' };

function same(left: Partial<CursorQuery>, right: Partial<CursorQuery>): boolean {
  return queryFingerprint({ ...base, ...left }).equals(queryFingerprint({ ...base, ...right }));
}

describe('queryFingerprint', () => {
  it('is a 32-byte SHA-256, stable for the same query', () => {
    expect(queryFingerprint(base)).toHaveLength(32);
    expect(same({}, {})).toBe(true);
  });

  it.each([
    ['bigint beyond 2^53', { partition: 2n ** 64n }, { partition: 2n ** 64n + 1n }],
    ['number and string', { partition: 1 }, { partition: '1' }],
    ['string and bytes', { partition: 'a' }, { partition: new Uint8Array([97]) }],
    ['bytes one bit apart', { partition: new Uint8Array([0]) }, { partition: new Uint8Array([1]) }],
    ['NFC and NFD', { partition: '\u00e9' }, { partition: 'e\u0301' }],
    ['a lone surrogate and U+FFFD', { partition: '\ud800' }, { partition: '\ufffd' }],
    ['fractions apart in the 17th digit', { partition: 0.1 }, { partition: 0.1 + 2 ** -56 }],
    [
      'null and absent filter values',
      { filter: { attr: 'a', eq: null } },
      { filter: { attr: 'a', exists: false } },
    ],
    ['true and "true"', { filter: { attr: 'a', eq: true } }, { filter: { attr: 'a', eq: 'true' } }],
    ['list order', { filter: { attr: 'a', eq: [1, 2] } }, { filter: { attr: 'a', eq: [2, 1] } }],
    [
      'a list and a set',
      { filter: { attr: 'a', eq: ['x'] } },
      { filter: { attr: 'a', eq: new Set(['x']) } as never },
    ],
    ['a field moved across the boundary', { model: 'ab', table: 'c' }, { model: 'a', table: 'bc' }],
    ['reverse', { reverse: false }, { reverse: true }],
    ['kind', { kind: 'query' }, { kind: 'scan' }],
  ] as [string, Partial<CursorQuery>, Partial<CursorQuery>][])(
    'tells apart %s',
    (_label, left, right) => {
      expect(same(left, right)).toBe(false);
    },
  );

  it.each([
    ['5, 5.0 and 5n', { partition: 5 }, { partition: 5n }],
    ['1e21 and its bigint', { partition: 1e21 }, { partition: 10n ** 21n }],
    ['0 and -0', { partition: 0 }, { partition: -0 }],
    [
      'map key order',
      { filter: { attr: 'a', eq: { x: 1, y: 2 } } },
      { filter: { attr: 'a', eq: { y: 2, x: 1 } } },
    ],
    [
      'set order',
      { filter: { attr: 'a', eq: new Set([1, 2]) } as never },
      { filter: { attr: 'a', eq: new Set([2, 1]) } as never },
    ],
    ['an undefined field and none', { sort: undefined }, {}],
  ] as [string, Partial<CursorQuery>, Partial<CursorQuery>][])(
    'equates %s',
    (_label, left, right) => {
      expect(same(left, right)).toBe(true);
    },
  );
});
