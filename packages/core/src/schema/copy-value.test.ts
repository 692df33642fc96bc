import { describe, expect, it } from 'vitest';
import { schemaNode } from '../../test/support/specs.js';
import { adoptValue, copyValue } from './copy-value.js';

const closed = schemaNode({
  type: 'object',
  properties: {
    name: { type: 'string' },
    nickname: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' } } } },
    address: { type: 'object', properties: { city: { type: 'string' } } },
  },
});
const open = schemaNode({
  type: 'object',
  properties: { name: { type: 'string' } },
  additionalProperties: { type: 'object', properties: { level: { type: 'integer' } } },
});
const extended = schemaNode({
  allOf: [{ type: 'object', properties: { name: { type: 'string' } } }],
});

// A stored item as another client may have written it: nulls where the schema allows none.
function storedItem(): Record<string, unknown> {
  return {
    name: null,
    nickname: null,
    tags: [{ label: null, other: null }, null],
    address: { city: null, zip: null },
    undeclared: { name: null, deep: [null] },
    extra: { level: null },
  };
}

describe('adoptValue', () => {
  it.each([
    ['declared properties only', closed],
    ['an additionalProperties schema', open],
    ['allOf members', extended],
  ])('normalises in place exactly as copyValue(store) copies, with %s', (_label, schema) => {
    const adopted = storedItem();
    const nested = adopted.address;
    adoptValue(schema, adopted);
    expect(adopted).toEqual(copyValue(schema, storedItem(), 'store'));
    // Taken over, not copied.
    expect(adopted.address).toBe(nested);
  });

  it('drops disallowed nulls at every level and keeps allowed and undeclared ones', () => {
    const adopted = storedItem();
    adoptValue(closed, adopted);
    expect(adopted).toEqual({
      nickname: null,
      tags: [{ other: null }, null],
      address: { zip: null },
      undeclared: { name: null, deep: [null] },
      extra: { level: null },
    });
  });
});
