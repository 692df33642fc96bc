import { describe, expect, it } from 'vitest';
import { decodeItem } from './decode-item.js';

// A code of item_types that only begins like a known one ("BX", "SSQ", "KB1") is named as the
// unknown code it is, not as an item that does not hold what item_types says (the row is refused
// either way).
describe('an item_types code that only begins like a known one', () => {
  it.each([
    ['{"b": "QQ=="}', '{"/b": "BX"}'],
    ['{"s": ["a"]}', '{"/s": "SSQ"}'],
    ['{"b": "QQ=="}', '{"/b": "KB1"}'],
  ])('%s with item_types %s is refused as an unknown type code', (json, types) => {
    expect(() => decodeItem(json, types)).toThrow(/unknown type code/);
  });
});
