import { describe, expect, it } from 'vitest';
import { keyValueId } from './key-value-id.js';

describe('key value ids', () => {
  it('gives equal ids to equal key values of one type only', () => {
    expect(keyValueId(5)).toBe(keyValueId(5n));
    expect(keyValueId(5)).not.toBe(keyValueId(6));
    expect(keyValueId(2 ** 53 + 2)).not.toBe(keyValueId(2n ** 53n + 1n));
    expect(keyValueId('a')).toBe('a');
    expect(keyValueId('a')).not.toBe(keyValueId('A'));
    expect(keyValueId(Uint8Array.of(1))).toBe(keyValueId(Buffer.of(1)));
    expect(keyValueId(Uint8Array.of(1))).not.toBe(keyValueId(Uint8Array.of(1, 0)));
  });
});
