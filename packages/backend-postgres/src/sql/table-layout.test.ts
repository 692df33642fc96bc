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

it('shortens a long name between characters, never inside one, and keeps the names it gave before', () => {
  // A table made without loadApi may have any name PostgreSQL holds: 60 bytes of emoji.
  const table: TableDescriptor = {
    name: '😀'.repeat(15),
    specName: 'emoji',
    partitionKey: { name: 'pk', type: 'string' },
    indexes: [{ name: 'byXYZ', partitionKey: { name: 'a', type: 'string' } }],
  };
  const layout = tableLayout(table);
  for (const name of [
    layout.primaryKeyName,
    ...[...layout.indexes.values()].map((index) => index.name),
  ]) {
    expect(name.isWellFormed()).toBe(true);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(name.startsWith('😀'.repeat(13))).toBe(true);
  }
  // The derivation names existing deployments' indexes: names that worked keep theirs.
  expect(indexName(`t${'x'.repeat(60)}`, 'byV')).toBe(`t${'x'.repeat(54)}~19cn9q8`);
  expect(indexName('é'.repeat(31), 'byV')).toBe(`${'é'.repeat(27)}~1e7jq2i`);
});

it('names what it refuses escaped: line breaks and bidi controls of a name are never shown as they are', () => {
  // Descriptors made without loadApi: the attribute a string key here and a number key there.
  const name = 'a\u2028\u202eb';
  const table: TableDescriptor = {
    name: 't\u2029x',
    specName: 't',
    partitionKey: { name, type: 'string' },
    indexes: [{ name: 'byA', partitionKey: { name, type: 'number' } }],
  };
  expect(() => tableLayout(table)).toThrow(InvalidRequestError);
  expect(() => tableLayout(table)).toThrow('attribute "a\\u2028\\u202eb" is a string key');
  expect(() => tableLayout(table)).not.toThrow(/[\u2028\u2029\u202e]/);
});
