import { describe, expect, it } from 'vitest';
import { keyFingerprint } from './item-key.js';

describe('keyFingerprint', () => {
  it('is the same for the same key, whatever the order of its attributes', () => {
    expect(keyFingerprint('t', { a: 's', b: 1 })).toBe(keyFingerprint('t', { b: 1, a: 's' }));
  });

  it('tells apart keys that a plain concatenation would run together', () => {
    const fingerprints = [
      keyFingerprint('t', { a: 'x|1:b1:sy' }),
      keyFingerprint('t', { a: 'x', b: 'y' }),
      keyFingerprint('t|1:a', { b: 's' }),
      keyFingerprint('t', { a: '1' }),
      keyFingerprint('t', { a: 1 }),
      keyFingerprint('t', { a: new Uint8Array([49]) }),
      keyFingerprint('u', { a: '1' }),
    ];
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('reads bytes exactly, a view into a larger buffer included', () => {
    const buffer = new Uint8Array([0, 1, 2, 3]);
    expect(keyFingerprint('t', { a: buffer.subarray(1, 3) })).toBe(
      keyFingerprint('t', { a: new Uint8Array([1, 2]) }),
    );
  });
});
