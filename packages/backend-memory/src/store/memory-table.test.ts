import {
  compareKeyValues,
  compareStrings,
  evaluateSortCondition,
  type IndexDescriptor,
  type KeyValue,
  type SortKeyCondition,
  type StoredItem,
  type TableDescriptor,
} from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import { MemoryTable, positionAfter } from './memory-table.js';

const descriptor: TableDescriptor = {
  name: 't',
  specName: 't',
  partitionKey: { name: 'p', type: 'string' },
  sortKey: { name: 's', type: 'string' },
  indexes: [],
};

// A small deterministic generator, so that a failure replays.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('MemoryTable', () => {
  it('keeps each partition in sort-key order, holding the latest item, through puts, replacements and deletes in any order', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      const table = new MemoryTable(descriptor);
      const expected = new Map<string, { p: string; s: string; step: number }>();
      for (let step = 0; step < 400; step++) {
        const p = `p${Math.floor(next() * 2)}`;
        const s = `s${Math.floor(next() * 30)}`;
        if (next() < 0.3) {
          table.delete({ p, s });
          expected.delete(`${p}/${s}`);
        } else {
          const item = { p, s, step };
          table.put(item);
          expected.set(`${p}/${s}`, item);
        }
      }
      for (const p of ['p0', 'p1']) {
        const want = [...expected.values()]
          .filter((item) => item.p === p)
          .sort((left, right) => compareStrings(left.s, right.s));
        const held = table.partition(p);
        expect(held.length, `seed ${seed}`).toBe(want.length);
        // The very objects, in order: a replaced item never lingers in its partition.
        for (const [index, item] of held.entries()) expect(item, `seed ${seed}`).toBe(want[index]);
      }
    }
  });
});

const byG: IndexDescriptor = {
  name: 'byG',
  partitionKey: { name: 'g', type: 'string' },
  sortKey: { name: 'n', type: 'number' },
};
const indexed: TableDescriptor = { ...descriptor, indexes: [byG] };

// An item whose index key `g` counts its reads: what a write or a read costs, in key reads.
function counted(item: StoredItem, g: string | number | undefined, reads: { count: number }) {
  if (g !== undefined)
    Object.defineProperty(item, 'g', {
      enumerable: true,
      get() {
        reads.count++;
        return g;
      },
    });
  return item;
}

describe('MemoryTable sorted views (scan orders, index partitions)', () => {
  it('are kept in order by every write, not rebuilt: exactly what a table made afresh from the same items reads', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed);
      const table = new MemoryTable(indexed);
      const held = new Map<string, StoredItem>();
      const views = () => ({
        scan: table.scanOrder(),
        indexScan: table.scanOrder(byG),
        partitions: ['g0', 'g1', 'g2'].map((g) => table.indexPartition(byG, g)),
      });
      let first: ReturnType<typeof views> | undefined;
      for (let step = 0; step < 300; step++) {
        const p = `p${Math.floor(next() * 3)}`;
        const s = `s${Math.floor(next() * 20)}`;
        if (next() < 0.25) {
          table.delete({ p, s });
          held.delete(`${p}/${s}`);
        } else {
          // Of the index or not (no `g`, or a `g` of another type), moved between partitions.
          const shape = next();
          const item: StoredItem = { p, s, step };
          if (shape < 0.8) item.g = `g${Math.floor(next() * 3)}`;
          else if (shape < 0.9) item.g = 7;
          if (next() < 0.9) item.n = Math.floor(next() * 5);
          table.put(item);
          held.set(`${p}/${s}`, item);
        }
        if (next() < 0.3) {
          const read = views();
          first ??= read;
          const fresh = new MemoryTable(indexed);
          for (const item of held.values()) fresh.put(item);
          expect(read.scan, `seed ${seed} step ${step}`).toEqual(fresh.scanOrder());
          expect(read.indexScan, `seed ${seed} step ${step}`).toEqual(fresh.scanOrder(byG));
          for (const [position, g] of ['g0', 'g1', 'g2'].entries())
            expect(read.partitions[position], `seed ${seed} step ${step} ${g}`).toEqual(
              fresh.indexPartition(byG, g),
            );
          // The very lists read first, kept up to date (a partition emptied since is a new one).
          expect(read.scan).toBe(first.scan);
          expect(read.indexScan).toBe(first.indexScan);
        }
      }
    }
  });

  it('cost a write a few key reads each, not a read of the whole table at the next query or scan', () => {
    const reads = { count: 0 };
    const table = new MemoryTable(indexed);
    const size = 4096;
    for (let index = 0; index < size; index++)
      table.put(counted({ p: `p${index}`, s: 's', n: index }, `g${index % 8}`, reads));
    table.indexPartition(byG, 'g0');
    table.scanOrder();
    table.scanOrder(byG);
    reads.count = 0;
    const steps = 200;
    for (let step = 0; step < steps; step++) {
      // A new item, then a replacement moving an item to another index partition, then a delete.
      table.put(counted({ p: `q${step}`, s: 's', n: step }, `g${step % 8}`, reads));
      table.put(counted({ p: `p${step}`, s: 's', n: step }, `g${(step + 1) % 8}`, reads));
      table.delete({ p: `p${size - 1 - step}`, s: 's' });
      expect(table.indexPartition(byG, `g${step % 8}`).length).toBeGreaterThan(0);
      table.scanOrder();
      table.scanOrder(byG);
    }
    // Rebuilding the views after each write read every item's `g` (4096 or more a step); kept
    // in order, a step costs binary searches: about 3 × 2 × log2(4096) = 72 reads.
    expect(reads.count / steps).toBeLessThan(size / 16);
  });
});

// Sort-key values of each type, with neighbours of a prefix, duplicates (index partitions hold
// several items of one sort value), astral and multi-byte characters.
const sortValues: { type: string; values: KeyValue[]; operands: KeyValue[] }[] = [
  {
    type: 'string',
    values: ['', 'a', 'ab', 'ab', 'abc', 'abd', 'ac', 'b', 'é', 'éa', '\u{1f600}', 'z', 'a\u0000'],
    operands: ['a', 'ab', 'abc', 'b', 'é', '\u{1f600}', 'aa', 'zz', '0'],
  },
  {
    type: 'number',
    values: [-5, -1.5, 0, 0, 1, 2, 2.5, 3, 10, 100, 12345678901234567890n],
    operands: [-10, -1.5, 0, 1, 2, 2.25, 3, 99, 1e30],
  },
  {
    type: 'binary',
    values: [[0], [0, 1], [1], [1, 0], [1, 0, 0], [1, 1], [2], [255], [255, 0]].map(
      (bytes) => new Uint8Array(bytes),
    ),
    operands: [[0], [1], [1, 0], [2], [128], [255]].map((bytes) => new Uint8Array(bytes)),
  },
];

function conditions(operands: KeyValue[], type: string): SortKeyCondition[] {
  const found: SortKeyCondition[] = [];
  for (const value of operands) {
    found.push({ eq: value }, { lt: value }, { lte: value }, { gt: value }, { gte: value });
    if (type !== 'number') found.push({ beginsWith: value as string | Uint8Array });
    for (const upper of operands)
      if (compareKeyValues(value, upper) <= 0) found.push({ between: [value, upper] });
  }
  return found;
}

describe('MemoryTable.partitionRun', () => {
  it('finds, by binary search, exactly the items a sort condition keeps, and pages from a start key either way as filtering them did', () => {
    for (const { type, values, operands } of sortValues) {
      const index: IndexDescriptor = {
        name: 'bySort',
        partitionKey: { name: 'g', type: 'string' },
        sortKey: { name: 'v', type: type as 'string' },
      };
      const table = new MemoryTable({ ...descriptor, indexes: [index] });
      values.forEach((v, position) => {
        if (v !== '') table.put({ p: 'p', s: `s${position}`, g: 'x', v });
      });
      const partition = table.indexPartition(index, 'x');
      const order = (left: StoredItem, right: StoredItem) =>
        table.compareInIndex(index, left, right);
      for (const sort of conditions(operands, type)) {
        const run = table.partitionRun(index, 'x', sort);
        const kept = partition.filter((item) => evaluateSortCondition(sort, item.v));
        expect(run.entries.slice(run.low, run.high), JSON.stringify(sort)).toEqual(kept);
        // From each item's key, forwards and backwards, the items after it in that direction.
        for (const start of partition) {
          const after = positionAfter(run, start, order, false);
          expect(run.entries.slice(after, run.high)).toEqual(
            kept.filter((item) => order(item, start) > 0),
          );
          const before = positionAfter(run, start, order, true);
          expect(run.entries.slice(run.low, before)).toEqual(
            kept.filter((item) => order(item, start) < 0),
          );
        }
      }
    }
  });

  it("reads a sort condition's bounds in a few key reads, however long the partition", () => {
    const reads = { count: 0 };
    const table = new MemoryTable({ ...descriptor, indexes: [] });
    const size = 100_000;
    const partition: StoredItem[] = [];
    for (let index = 0; index < size; index++) {
      const item = { p: 'p', s: String(index).padStart(6, '0') };
      Object.defineProperty(item, 's', {
        enumerable: true,
        get() {
          reads.count++;
          return String(index).padStart(6, '0');
        },
      });
      partition.push(item);
    }
    // Put in order: the partition is appended to, then read as a query reads it.
    for (const item of partition) table.put(item);
    reads.count = 0;
    const run = table.partitionRun(undefined, 'p', { between: ['010000', '010099'] });
    expect(run.high - run.low).toBe(100);
    expect(reads.count).toBeLessThan(4 * Math.log2(size));
  });
});
