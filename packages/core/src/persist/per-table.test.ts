import { describe, expect, it } from 'vitest';
import { keyAttributeRoles } from './index-key-values.js';
import { perTable } from './per-table.js';
import type { IndexDescriptor, TableDescriptor } from './table-descriptor.js';

function things(): TableDescriptor {
  return {
    name: 'things',
    specName: 'things',
    partitionKey: { name: 'id', type: 'string' },
    indexes: [],
  };
}

// As the registry merges a later model's indexes into a table models already share.
function addIndex(table: TableDescriptor, index: IndexDescriptor): void {
  (table as { indexes: readonly IndexDescriptor[] }).indexes = [...table.indexes, index];
}

describe('perTable', () => {
  it('derives once a descriptor, and again once the table gains an index', () => {
    let derived = 0;
    const names = perTable((table) => {
      derived += 1;
      return table.indexes.map((index) => index.name);
    });
    const table = things();
    expect(names(table)).toEqual([]);
    expect(names(table)).toEqual([]);
    expect(derived).toBe(1);
    addIndex(table, { name: 'byX', partitionKey: { name: 'x', type: 'string' } });
    expect(names(table)).toEqual(['byX']);
    expect(names(table)).toEqual(['byX']);
    expect(derived).toBe(2);
    expect(names(things())).toEqual([]);
    expect(derived).toBe(3);
  });

  it("keeps a table's key attributes current: a later model's index key is checked as a key", () => {
    const table = things();
    expect([...keyAttributeRoles(table).keys()]).toEqual(['id']);
    addIndex(table, { name: 'byX', partitionKey: { name: 'x', type: 'number' } });
    expect(keyAttributeRoles(table).get('x')).toEqual({
      attribute: { name: 'x', type: 'number' },
      role: 'partition',
    });
  });
});
