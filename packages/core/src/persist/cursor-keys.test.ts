import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/support/specs.js';
import { InvalidCursorError } from '../errors/persistence-errors.js';
import { createCursorCodec, deriveCursorKey, minCursorKeyLength } from './cursor-keys.js';
import type { CursorQuery } from './query-fingerprint.js';

const keyOne = 'one-0123456789abcdef0123456789abcdef';
const keyTwo = 'two-0123456789abcdef0123456789abcdef';
const query: CursorQuery = {
  kind: 'query',
  model: 'Order',
  table: 'orders',
  index: '',
  partition: 'c',
};
const key = { pk: 'c', sk: 'o1' };

function cursorOf(options: Parameters<typeof createCursorCodec>[0]): string {
  return createCursorCodec(options).forQuery(query).encode(key);
}

function opens(options: Parameters<typeof createCursorCodec>[0], cursor: string): boolean {
  try {
    createCursorCodec(options).forQuery(query).decode(cursor, ['pk', 'sk']);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCursorError);
    return false;
  }
}

function typeErrorMessage(options: Parameters<typeof createCursorCodec>[0]): string {
  const error = thrown(() => createCursorCodec(options));
  expect(error).toBeInstanceOf(TypeError);
  return (error as TypeError).message;
}

describe('createCursorCodec', () => {
  it('opens cursors of the same cursorKey in another codec (another instance)', () => {
    expect(opens({ cursorKey: keyOne }, cursorOf({ cursorKey: keyOne }))).toBe(true);
    expect(opens({ cursorKey: keyTwo }, cursorOf({ cursorKey: keyOne }))).toBe(false);
  });

  it('takes the deprecated cursorSecret as cursorKey', () => {
    expect(opens({ cursorSecret: keyOne }, cursorOf({ cursorKey: keyOne }))).toBe(true);
    expect(opens({ cursorKey: keyOne }, cursorOf({ cursorSecret: keyOne }))).toBe(true);
  });

  it('without a key, makes a random one per codec', () => {
    const cursor = cursorOf({});
    expect(opens({}, cursor)).toBe(false);
    const codec = createCursorCodec({});
    expect(codec.forQuery(query).decode(codec.forQuery(query).encode(key), ['pk', 'sk'])).toEqual(
      key,
    );
  });

  it('rotates: previousCursorKeys open, the current key encrypts', () => {
    const old = cursorOf({ cursorKey: keyOne });
    expect(opens({ cursorKey: keyTwo, previousCursorKeys: [keyOne] }, old)).toBe(true);
    expect(opens({ cursorKey: keyTwo, previousCursorKeys: [] }, old)).toBe(false);
    const fresh = cursorOf({ cursorKey: keyTwo, previousCursorKeys: [keyOne] });
    expect(opens({ cursorKey: keyOne }, fresh)).toBe(false);
    expect(opens({ cursorKey: keyTwo }, fresh)).toBe(true);
    // Rolling rotation, step 1: an instance that lists the new key opens its cursors already.
    expect(opens({ cursorKey: keyOne, previousCursorKeys: [keyTwo] }, fresh)).toBe(true);
  });

  it.each([
    ['cursorKey', { cursorKey: 'short' }],
    ['cursorKey', { cursorKey: '' }],
    ['cursorKey', { cursorKey: 'x'.repeat(minCursorKeyLength - 1) }],
    ['cursorSecret', { cursorSecret: 'another secret' }],
    ['previousCursorKeys[1]', { cursorKey: keyOne, previousCursorKeys: [keyTwo, 'old'] }],
    ['cursorKey', { cursorKey: 42 as unknown as string }],
    [
      'previousCursorKeys',
      { cursorKey: keyOne, previousCursorKeys: keyTwo as unknown as string[] },
    ],
    ['cursorKey', { cursorKey: keyOne, cursorSecret: keyOne }],
  ])('is a TypeError naming %s for a bad key option', (option, options) => {
    const message = typeErrorMessage(options);
    expect(message).toContain(option);
    // A key is a secret: the message never repeats it.
    for (const value of ['short', 'another secret', 'old', keyOne, keyTwo]) {
      expect(message).not.toContain(value);
    }
  });

  it('takes a key of exactly the minimum length', () => {
    expect(() => createCursorCodec({ cursorKey: 'x'.repeat(minCursorKeyLength) })).not.toThrow();
  });

  it('refuses key material with a lone surrogate, which UTF-8 would turn into U+FFFD: other keys would open its cursors', () => {
    // '\uD800' and '\uDFFF' alike become the same bytes: 32 of them would be one well-known key.
    const lone = '\uD800'.repeat(minCursorKeyLength);
    for (const options of [
      { cursorKey: lone },
      { cursorKey: `${keyOne}\uDC00` },
      { cursorSecret: lone },
      { cursorKey: keyOne, previousCursorKeys: [keyTwo, lone] },
    ]) {
      const message = typeErrorMessage(options);
      expect(message).toMatch(/lone surrogate/);
      expect(message).not.toContain('\uD800');
      // What to give instead: the key earlier versions derived from it (rolling upgrades).
      expect(message).toContain('toWellFormed()');
    }
    // That key opens the cursors made under the lone surrogate's U+FFFD, as earlier versions
    // made them: HKDF read the text as UTF-8.
    const earlier = `${keyOne}\uDC00`;
    expect(
      opens({ cursorKey: earlier.toWellFormed() }, cursorOf({ cursorKey: `${keyOne}\uFFFD` })),
    ).toBe(true);
    expect(typeErrorMessage({ cursorKey: keyOne, previousCursorKeys: [lone] })).toContain(
      'previousCursorKeys[0]',
    );
    // Well-formed text beyond ASCII is key material as any other.
    const emoji = '😀'.repeat(minCursorKeyLength);
    expect(opens({ cursorKey: emoji }, cursorOf({ cursorKey: emoji }))).toBe(true);
    expect(opens({ cursorKey: '\uFFFD'.repeat(32) }, cursorOf({ cursorKey: emoji }))).toBe(false);
  });
});

describe('deriveCursorKey', () => {
  it('derives a 32-byte AES key, the same for the same material, another for another', () => {
    expect(deriveCursorKey(keyOne)).toHaveLength(32);
    expect(deriveCursorKey(keyOne)).toEqual(deriveCursorKey(keyOne));
    expect(deriveCursorKey(keyOne)).not.toEqual(deriveCursorKey(keyTwo));
    // HKDF, not the material itself: the AES key does not hold the configured text.
    expect(deriveCursorKey(keyOne).toString('latin1')).not.toContain(keyOne.slice(0, 8));
  });
});
