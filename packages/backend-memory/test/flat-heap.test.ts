import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';
import type { MemoryTable } from '../src/store/memory-table.js';

// Issue 14: a long-running service's heap is flat after warm-up; nothing core or the memory
// backend keeps grows with what callers send (filter and condition shapes, property names of
// update(), cursors, partition values, the texts of errors). Every input here is distinct and
// carries a 400-character name, so that anything kept per input costs 400 bytes or more: ten
// thousand of them, 4 MB at least, far above the margin of a heap measured after full GCs.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function usedHeap(): number {
  gc();
  gc();
  return getHeapStatistics().used_heap_size;
}

const spec = {
  openapi: '3.0.3',
  info: { title: 'flat heap', version: '1' },
  paths: {},
  components: {
    schemas: {
      Item: {
        type: 'object',
        required: ['id', 'n'],
        'x-persist': {
          table: 'items',
          key: 'id',
          sort: 'n',
          indexes: { byCat: { key: 'cat', sort: 'n' } },
        },
        properties: { id: { type: 'string' }, cat: { type: 'string' }, n: { type: 'integer' } },
        additionalProperties: true,
      },
      Closed: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        'x-persist': { table: 'closed', key: 'id', version: 'v' },
        properties: { id: { type: 'string' }, v: { type: 'integer' }, a: { type: 'string' } },
      },
    },
  },
};

const padding = 'x'.repeat(400);
// A text as one flat string, as a request's parsed text is (`padding + i` alone would be a
// string of 32 bytes pointing at the shared padding).
const flat = (text: string): string => JSON.parse(JSON.stringify(text)) as string;

async function setUp() {
  const backend = createMemoryBackend();
  const api = await loadApi(spec, { backend, cursorKey: 'flat-heap-cursor-key-0123456789abcdef' });
  const Item = api.persistent<Record<string, unknown>>('Item');
  const Closed = api.persistent<Record<string, unknown>>('Closed');
  for (let n = 0; n < 20; n++) await Item.create({ id: 'p', n, cat: 'c' });
  await Closed.create({ id: 'c', a: 'a' });
  // What the tables keep besides their items, read through private fields.
  const tables = (backend as unknown as { tables: Map<string, MemoryTable> }).tables;
  const kept = () =>
    [...tables.values()].map((table) => {
      const fields = table as unknown as {
        items: Map<string, unknown>;
        partitions: Map<string, unknown>;
        derived: Map<string, unknown[]>;
        indexes: Map<string, Map<string, unknown>>;
      };
      return {
        items: fields.items.size,
        partitions: fields.partitions.size,
        derived: [...fields.derived.values()].map((entries) => entries.length),
        indexes: [...fields.indexes.values()].map((partitions) => partitions.size),
      };
    });
  return { Item, Closed, kept };
}

type Models = Awaited<ReturnType<typeof setUp>>;

// One caller's distinct input `i`, through every way the model API takes one.
async function distinctInput({ Item, Closed }: Models, i: number): Promise<void> {
  const name = flat(`${padding}${i}`);
  const value = flat(`${padding}v${i}`);
  await Item.query({ partition: 'p', filter: { attr: name, eq: value }, limit: 5 });
  await Item.scan({
    filter: {
      or: [
        { attr: name, exists: false },
        { attr: ['m', name, i % 7], gt: i },
      ],
    },
    limit: 3,
  });
  await Item.query({
    index: 'byCat',
    partition: 'c',
    filter: { not: { attr: name, in: [i, value] } },
    limit: 2,
  });
  const page = await Item.query({
    partition: 'p',
    filter: { attr: name, exists: false },
    limit: 2,
  });
  await Item.query({
    partition: 'p',
    filter: { attr: name, exists: false },
    limit: 2,
    cursor: page.cursor,
  });
  await Item.query({ partition: 'p', cursor: value }).catch(() => undefined);
  await Item.update(
    { id: 'p', n: 1 },
    { set: { [name]: value }, add: { [`a${name}`]: 1 }, append: { [`l${name}`]: [i] } },
    { condition: { attr: `g${name}`, exists: false } },
  );
  await Item.update({ id: 'p', n: 1 }, { remove: [name, `a${name}`, `l${name}`] });
  const closed = await Closed.load({ id: 'c' });
  closed.a = value;
  await closed.save({ condition: { attr: name, exists: false } });
  // Refused: the texts of their errors name the input.
  await Closed.update({ id: 'c' }, { set: { [name]: 1 } }).catch(() => undefined);
  await Item.query({ partition: 'p', filter: { attr: name, bogus: i } as never }).catch(
    () => undefined,
  );
  await Item.query({ partition: 'p', index: `idx${i}` }).catch(() => undefined);
  await new Closed({ id: value, [name]: 1 }).save().catch(() => undefined);
  // Partitions of the table and of the index read while they hold nothing, and written then
  // emptied again.
  await Item.load({ id: value, n: i }).catch(() => undefined);
  await Item.query({ index: 'byCat', partition: value, sort: { gt: i } });
  await Item.getMany([{ id: value, n: i }]);
  await Item.create({ id: value, n: i, cat: value, [name]: value });
  await Item.scan({ index: 'byCat', limit: 1 });
  await Item.delete({ id: value, n: i });
}

describe('[issue 14] a long-running service', () => {
  // A bound on hangs, not a speed check: 11,000 distinct inputs took 46 s and 63 s (past the
  // package's 60 s) in two CI runs on a slow host, four packages' tests sharing two cores.
  it('keeps nothing per distinct filter, condition, property name, cursor, partition or error: the heap is flat after warm-up', {
    timeout: 240_000,
  }, async () => {
    const models = await setUp();
    for (let i = 0; i < 1000; i++) await distinctInput(models, i);
    const keptAfterWarmUp = models.kept();
    const before = usedHeap();
    const inputs = 10_000;
    for (let i = 1000; i < 1000 + inputs; i++) await distinctInput(models, i);
    const growth = usedHeap() - before;
    // The tables hold what they held: every partition written was emptied and dropped.
    expect(models.kept()).toEqual(keptAfterWarmUp);
    // 4 MB at least if anything were kept per input; what moves after warm-up (code optimised
    // late, the collector's own tables) is a few hundred KB (390 KiB in the run that added
    // this test; 4,768 KiB with one name kept per input planted in core's evaluateCondition).
    expect(growth, `the heap grew by ${Math.round(growth / 1024)} KiB`).toBeLessThan(
      2 * 1024 * 1024,
    );
  });
});
