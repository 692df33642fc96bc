import { PGlite } from '@electric-sql/pglite';
import { loadApi, type PersistentModelClass } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../src/index.js';

// A page of a large partition reads the rows it returns, not the rest of the partition. PGlite
// runs no autovacuum, so its tables have no statistics: PostgreSQL took a partition for a few
// dozen rows and planned each page as a bitmap scan of every row after the cursor and a sort,
// a walk reading N²/2 / limit rows. Work is counted by the engine's own row counters.

interface Thing {
  pk: string;
  sk: number;
  tag?: string;
}

const itemCount = 1_000;
const limit = 50;
let database: PGlite;
let Thing: PersistentModelClass<Thing>;

beforeAll(async () => {
  database = await PGlite.create();
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(
    {
      openapi: '3.0.3',
      info: { title: 'walk work', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['pk', 'sk'],
            'x-persist': {
              table: 'things',
              key: 'pk',
              sort: 'sk',
              indexes: { byTag: { key: 'tag', sort: 'sk' } },
            },
            properties: {
              pk: { type: 'string' },
              sk: { type: 'integer' },
              tag: { type: 'string' },
            },
          },
        },
      },
    },
    { backend },
  );
  await backend.ensureTables(api.tables());
  Thing = api.persistent<Thing>('Thing');
  await Thing.saveMany(
    Array.from({ length: itemCount }, (_, sk) => ({ pk: 'big', sk, tag: 'all' })),
  );
});
afterAll(() => database.close());

// Rows the engine has read from the table so far, by any plan.
async function rowsRead(): Promise<number> {
  await database.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await database.query<{ read: string }>(
    `SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS read
       FROM pg_stat_user_tables WHERE relname = 'things'`,
  );
  return Number(rows[0]!.read);
}

async function walk(
  read: (cursor: string | undefined) => Promise<{ items: Thing[]; cursor?: string }>,
) {
  const before = await rowsRead();
  let cursor: string | undefined;
  let items = 0;
  do {
    const page = await read(cursor);
    items += page.items.length;
    cursor = page.cursor;
  } while (cursor);
  return { items, read: (await rowsRead()) - before };
}

describe('walking a partition of 1,000 items by pages of 50 on PGlite', () => {
  // Each page reads at most its `limit` rows (the last one ends the walk after one more read).
  const bound = itemCount + 2 * limit;

  it('reads each row about once, forward', async () => {
    const { items, read } = await walk((cursor) =>
      Thing.query({ partition: 'big', limit, ...(cursor ? { cursor } : {}) }),
    );
    expect(items).toBe(itemCount);
    expect(read).toBeLessThanOrEqual(bound);
  });

  it('reads each row about once, reversed', async () => {
    const { items, read } = await walk((cursor) =>
      Thing.query({ partition: 'big', limit, reverse: true, ...(cursor ? { cursor } : {}) }),
    );
    expect(items).toBe(itemCount);
    expect(read).toBeLessThanOrEqual(bound);
  });

  // PostgreSQL 17 and later could not prove the predicate of an index keyed on a table key
  // column (here its sort key) and never read the index: every page scanned the whole table.
  it('reads each row about once through an index keyed on a table key', async () => {
    const { items, read } = await walk((cursor) =>
      Thing.query({ partition: 'all', index: 'byTag', limit, ...(cursor ? { cursor } : {}) }),
    );
    expect(items).toBe(itemCount);
    expect(read).toBeLessThanOrEqual(bound);
  });

  it('reads each row about once with a filter that keeps none', async () => {
    const { items, read } = await walk((cursor) =>
      Thing.query({
        partition: 'big',
        limit,
        filter: { attr: 'tag', eq: 'none' },
        ...(cursor ? { cursor } : {}),
      }),
    );
    expect(items).toBe(0);
    expect(read).toBeLessThanOrEqual(bound);
  });

  it('reads each row about once in a scan of that index', async () => {
    const { items, read } = await walk((cursor) =>
      Thing.scan({ index: 'byTag', limit, ...(cursor ? { cursor } : {}) }),
    );
    expect(items).toBe(itemCount);
    expect(read).toBeLessThanOrEqual(bound);
  });

  it('reads each row about once in a scan', async () => {
    const { items, read } = await walk((cursor) =>
      Thing.scan({ limit, ...(cursor ? { cursor } : {}) }),
    );
    expect(items).toBe(itemCount);
    expect(read).toBeLessThanOrEqual(bound);
  });
});
