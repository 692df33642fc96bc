import type { SortKeyCondition, TableDescriptor } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { partitionQuery, scanQuery } from './page-query.js';
import { tableLayout } from './table-layout.js';

const table: TableDescriptor = {
  name: 'pages',
  specName: 'pages',
  partitionKey: { name: 'pk', type: 'string' },
  sortKey: { name: 'sk', type: 'number' },
  indexes: [
    {
      name: 'by_owner',
      partitionKey: { name: 'owner', type: 'string' },
      sortKey: { name: 'at', type: 'binary' },
    },
  ],
};
const layout = tableLayout(table);
const index = layout.indexes.get('by_owner');

// The highest placeholder a text uses: its statement takes that many parameters.
function placeholderCount(text: string): number {
  return Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
}

const sorts: Record<string, SortKeyCondition | undefined> = {
  none: undefined,
  eq: { eq: 5 },
  lt: { lt: 5 },
  lte: { lte: 5 },
  gt: { gt: 5 },
  gte: { gte: 5 },
  between: { between: [1, 9] },
};

describe('page texts, made once a shape, each with its parameters in placeholder order', () => {
  for (const [name, sort] of Object.entries(sorts))
    for (const startKey of [undefined, { pk: 'a', sk: 3 }])
      for (const limit of [undefined, 10])
        for (const aggregated of [false, true])
          it(`a partition page: sort ${name}, ${startKey ? 'after a key' : 'first'}, ${limit ? 'limited' : 'unlimited'}, ${aggregated ? 'one row' : 'a row an item'}`, () => {
            const request = {
              partition: 'a',
              ...(sort ? { sort } : {}),
              ...(startKey ? { startKey } : {}),
              ...(limit ? { limit } : {}),
            };
            const query = partitionQuery(layout, undefined, request, aggregated);
            expect(placeholderCount(query.text)).toBe(query.parameters.length);
            expect(placeholderCount(query.byRow)).toBe(query.parameters.length);
            expect(query.aggregated).toBe(aggregated);
            const values = [
              'a',
              ...(sort ? Object.values(sort).flat().map(String) : []),
              ...(startKey ? ['3'] : []),
              ...(limit ? [limit] : []),
            ];
            expect(query.parameters).toEqual(values);
            // The same shape with other values: the same text, other parameters.
            const again = partitionQuery(
              layout,
              undefined,
              { ...request, partition: 'b', ...(limit ? { limit: 20 } : {}) },
              aggregated,
            );
            expect(again.text).toBe(query.text);
            expect(again.parameters[0]).toBe('b');
          });

  it('a text prefix and a bytes prefix: one placeholder each, the bytes one used twice', () => {
    const text = partitionQuery(
      layout,
      undefined,
      { partition: 'a', sort: { beginsWith: 'x' } },
      false,
    );
    expect(text.text).toMatch(/starts_with\("sk", \$2::text\)/);
    expect(text.parameters).toEqual(['a', 'x']);
    const bytes = partitionQuery(
      layout,
      index,
      { partition: 'o', sort: { beginsWith: new Uint8Array([1, 2]) } },
      false,
    );
    expect(bytes.text).toMatch(/substr\("at", 1, length\(\$2::bytea\)\) = \$2::bytea/);
    expect(bytes.parameters).toEqual(['o', Buffer.from([1, 2])]);
  });

  it('an index page after a key: the index keys then the table keys, in the text and the parameters', () => {
    const startKey = { owner: 'o', at: new Uint8Array([7]), pk: 'a', sk: 3 };
    const query = partitionQuery(layout, index, { partition: 'o', startKey, limit: 5 }, false);
    expect(query.text).toContain('("at", "pk", "sk") > ($2::bytea, $3::text, $4::numeric)');
    expect(query.parameters).toEqual(['o', Buffer.from([7]), 'a', '3', 5]);
    // The table's pages of that shape are another text.
    const onTable = partitionQuery(
      layout,
      undefined,
      { partition: 'a', startKey, limit: 5 },
      false,
    );
    expect(onTable.text).not.toBe(query.text);
    expect(onTable.parameters).toEqual(['a', '3', 5]);
  });

  it('scan pages of the table and of an index: every key column in the order, sparse on the index', () => {
    const startKey = { owner: 'o', at: new Uint8Array([7]), pk: 'a', sk: 3 };
    const tableScan = scanQuery(layout, undefined, { startKey, limit: 5 }, true);
    expect(placeholderCount(tableScan.text)).toBe(tableScan.parameters.length);
    expect(tableScan.parameters).toEqual(['a', '3', 5]);
    const indexScan = scanQuery(layout, index, { startKey }, false);
    expect(indexScan.text).toContain('"owner" IS NOT NULL AND "at" IS NOT NULL');
    expect(indexScan.parameters).toEqual(['o', Buffer.from([7]), 'a', '3']);
    expect(placeholderCount(indexScan.text)).toBe(indexScan.parameters.length);
  });
});
