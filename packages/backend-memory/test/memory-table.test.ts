import type { IndexDescriptor, TableDescriptor } from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import { MemoryTable } from '../src/store/memory-table.js';

const byTag = {
  name: 'byTag',
  partitionKey: { name: 'tag', type: 'string' },
  sortKey: { name: 'n', type: 'number' },
} as IndexDescriptor;
const descriptor = {
  name: 'things',
  specName: 'things',
  partitionKey: { name: 'id', type: 'string' },
  indexes: [byTag],
} as unknown as TableDescriptor;

// What the table caches between writes, read through its private fields: a service that reads
// many partitions holding nothing must not grow with them.
function cachedIndexPartitions(table: MemoryTable): number {
  const indexes = (table as unknown as { indexes: Map<string, Map<string, unknown>> }).indexes;
  return [...indexes.values()].reduce((sum, partitions) => sum + partitions.size, 0);
}

describe('MemoryTable index partitions', () => {
  it('are read in index order, and what is cached between writes is what the table holds, however many partitions are asked for', () => {
    const table = new MemoryTable(descriptor);
    table.put({ id: 'a', tag: 'x', n: 2 });
    table.put({ id: 'b', tag: 'x', n: 1 });
    table.put({ id: 'c', tag: 'y', n: 1 });
    table.put({ id: 'd', tag: 'y' });
    expect(table.indexPartition(byTag, 'x').map((item) => item.id)).toEqual(['b', 'a']);
    for (let asked = 0; asked < 1000; asked++)
      expect(table.indexPartition(byTag, `absent-${asked}`)).toEqual([]);
    expect(cachedIndexPartitions(table)).toBe(2);
    // A write keeps it up to date: the item moved is read where it is now.
    table.put({ id: 'a', tag: 'y', n: 0 });
    expect(table.indexPartition(byTag, 'x').map((item) => item.id)).toEqual(['b']);
    expect(table.indexPartition(byTag, 'y').map((item) => item.id)).toEqual(['a', 'c']);
    table.delete({ id: 'b' });
    expect(table.indexPartition(byTag, 'x')).toEqual([]);
  });
});
