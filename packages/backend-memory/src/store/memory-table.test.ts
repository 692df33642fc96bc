import { compareStrings, type TableDescriptor } from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import { MemoryTable } from './memory-table.js';

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
