import { describe, expect, it } from 'vitest';
import { keyValueId } from './key-value-id.js';

describe('key value ids', () => {
  it('gives equal ids to equal key values only', () => {
    expect(keyValueId(5)).toBe(keyValueId(5n));
    expect(keyValueId('5')).not.toBe(keyValueId(5));
    expect(keyValueId(Uint8Array.of(1))).not.toBe(keyValueId('1'));
  });
});
