import { InvalidRequestError, type TableDescriptor } from '@macaron/core';
import { expect, it } from 'vitest';
import { indexName, tableLayout } from './table-layout.js';

it('refuses two index names that shorten to the same PostgreSQL name', () => {
  // Found by search: 63-byte names end in a 32-bit hash, and these two share it.
  const [first, second] = [`${'i'.repeat(60)}7rnw`, `${'i'.repeat(60)}opba`];
  expect(indexName('coll', first)).toBe(indexName('coll', second));
  const table: TableDescriptor = {
    name: 'coll',
    specName: 'coll',
    partitionKey: { name: 'pk', type: 'string' },
    indexes: [
      { name: first, partitionKey: { name: 'a', type: 'string' } },
      { name: second, partitionKey: { name: 'b', type: 'string' } },
    ],
  };
  expect(() => tableLayout(table)).toThrow(InvalidRequestError);
  expect(() => tableLayout(table)).toThrow(/would have the same PostgreSQL name/);
});
