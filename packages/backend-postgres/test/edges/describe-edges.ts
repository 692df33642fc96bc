import { randomBytes } from 'node:crypto';
import {
  AccessDeniedError,
  AlreadyExistsError,
  BackendError,
  BatchIncompleteError,
  ConditionFailedError,
  InvalidRequestError,
  ItemNotFoundError,
  loadApi,
  type StoredValue,
  TableNotFoundError,
  ThrottledError,
  UnreachableError,
  ValidationError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../src/client/sql-client.js';
import type { PostgresBackend } from '../../src/index.js';
import { sortKeysByPage } from '../page-walk.js';

/** The engine of a test file: a backend on it, and plain SQL beside it. */
export interface EdgeEngine {
  backend(): PostgresBackend;
  sql(): SqlExecutor;
  /**
   * How many levels deep an item the tests nest (even): some thousands, far past DynamoDB's 32
   * and the depth a recursive walk in JavaScript survives, within what the engine's jsonb
   * takes (PGlite's stack holds about 5,500 levels, a server's default 2 MB about 16,000).
   */
  readonly deepLevels: number;
}

let counter = 0;

const spec = (table: string) => ({
  openapi: '3.0.3',
  info: { title: 'edges', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id'],
        'x-persist': { table, key: 'id' },
        properties: {
          id: { type: 'string' },
          count: { type: 'integer' },
          ratio: { type: 'number' },
          map: { type: 'object', additionalProperties: { type: 'integer' } },
        },
      },
    },
  },
});

/**
 * Rows and requests at the edges of the layout, on one engine: names that escaping could
 * merge, rows another client wrote that cannot be read or disagree with their key columns,
 * limits past 32 bits.
 */
export function describeEdges(engine: EdgeEngine): void {
  async function open() {
    const table = `edges${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const backend = engine.backend();
    const api = await loadApi(spec(table), { backend });
    await backend.ensureTables(api.tables());
    const insert = (id: string, item: string) =>
      engine.sql().query(`INSERT INTO "${table}" (id, item) VALUES ($1, $2::jsonb)`, [id, item]);
    const count = async () =>
      Number((await engine.sql().query(`SELECT count(*) AS n FROM "${table}"`))[0]!.n);
    return { api, backend, Thing: api.persistent<Record<string, unknown>>('Thing'), insert, count };
  }

  it('key attributes named with the words of the statements around them: batches of every size write and read them', async () => {
    const table = `edges${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const backend = engine.backend();
    // Quotes too: in the SQL the backend writes, a name is an identifier and a string literal.
    const partition = "p ON CONFLICT (x) VALUES ('";
    const sort = ' VALUES ($1) ON CONFLICT "';
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'edges', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Row: {
              type: 'object',
              required: [partition, sort],
              'x-persist': { table, key: partition, sort },
              properties: { [partition]: { type: 'string' }, [sort]: { type: 'integer' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const Row = api.persistent<Record<string, unknown>>('Row');
    const rows = Array.from({ length: 7 }, (_, n) => ({ [partition]: 'a', [sort]: n }));
    await Row.saveMany(rows);
    expect((await Row.query({ partition: 'a' })).items.map((row) => row[sort])).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    const keys = rows.map((row) => ({ [partition]: 'a', [sort]: row[sort] }));
    expect((await Row.getMany(keys.slice(0, 5))).every(Boolean)).toBe(true);
    await Row.deleteMany(keys.slice(0, 3));
    expect((await Row.query({ partition: 'a' })).items).toHaveLength(4);
  });

  it('a name holding U+0000 and one spelt with its escape are two names, kept apart', async () => {
    const { Thing } = await open();
    const map = Object.fromEntries([
      ['a\u0000', 1],
      ['a\\0', 2],
      ['\\', 3],
    ]);
    await Thing.create({ id: 'k', map });
    expect((await Thing.load('k')).map).toEqual(map);
  });

  it('an item no JavaScript value holds exactly: load refuses it, delete deletes it', async () => {
    const { Thing, backend, insert, count } = await open();
    await insert('x', '{"id": "x", "ratio": 0.12345678901234567890123}');
    await expect(Thing.load('x')).rejects.toBeInstanceOf(BackendError);
    expect(await Thing.delete('x')).toBe(true);
    expect(await count()).toBe(0);
    expect(await Thing.delete('x')).toBe(false);
    // Asked for the old item, which cannot be read, the delete fails and changes nothing.
    await insert('x', '{"id": "x", "ratio": 0.12345678901234567890123}');
    await expect(
      backend.deleteItem({ model: Thing.descriptor, key: { id: 'x' } }),
    ).rejects.toBeInstanceOf(BackendError);
    expect(await count()).toBe(1);
  });

  it('a row that cannot be read exactly is named by its key, never by a rounded number', async () => {
    const table = `edgesreading${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const backend = engine.backend();
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'readings', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Reading: {
              type: 'object',
              required: ['sensor', 'at'],
              'x-persist': { table, key: 'sensor', sort: 'at' },
              properties: { sensor: { type: 'string' }, at: { type: 'number' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const insert = (at: string) =>
      engine
        .sql()
        .query(
          `INSERT INTO "${table}" (sensor, at, item) VALUES ('s', ${at}, '{"sensor": "s", "at": ${at}, "x": 0.12345678901234567890123}'::jsonb)`,
        );
    await insert('3.333333333333333333333333333');
    await insert('2.5');
    const Reading = api.persistent<Record<string, unknown>>('Reading');
    const error = await Reading.query({ partition: 's' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toContain('(key {sensor="s", at=2.5})');
    await engine.sql().query(`DELETE FROM "${table}" WHERE at = 2.5`);
    const rounded = await Reading.query({ partition: 's' }).catch((caught: unknown) => caught);
    expect((rounded as Error).message).toContain('(key {sensor="s"})');
    expect((rounded as Error).message).not.toContain('3.33');
  });

  // Cat and Dog sharing a fresh table (key pk, sort sk, discriminator kind), and rows of it
  // inserted with plain SQL in partition P.
  async function sharedPets(
    properties: Record<string, unknown>,
    indexes?: Record<string, unknown>,
  ) {
    const table = `shared${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const pet = {
      type: 'object',
      required: ['pk', 'sk'],
      properties: { pk: { type: 'string' }, sk: { type: 'string' }, ...properties },
      'x-persist': {
        table,
        key: 'pk',
        sort: 'sk',
        discriminator: 'kind',
        ...(indexes ? { indexes } : {}),
      },
    };
    const backend = engine.backend();
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'shared', version: '1' },
        paths: {},
        components: { schemas: { Cat: pet, Dog: pet } },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const insert = (sk: string, item: string) =>
      engine
        .sql()
        .query(`INSERT INTO "${table}" (pk, sk, item) VALUES ('P', $1, $2::jsonb)`, [sk, item]);
    return { api, backend, insert };
  }

  it("[P-77] another model's row that cannot be read exactly is not found through this model, alone or in a batch", async () => {
    const { api, insert } = await sharedPets({ rank: { type: 'number' } });
    const table = api.tables()[0]!.name;
    await insert('cat', '{"pk": "P", "sk": "cat", "kind": "Cat", "rank": 1}');
    await insert(
      'dog',
      '{"pk": "P", "sk": "dog", "kind": "Dog", "rank": 0.12345678901234567890123}',
    );
    // Written by a client that knew no discriminator: no model's.
    await insert('legacy', '{"pk": "P", "sk": "legacy", "rank": 0.12345678901234567890123}');
    const Cat = api.persistent<{ pk: string; sk: string; rank?: number }>('Cat');
    const Dog = api.persistent('Dog');
    for (const sk of ['dog', 'legacy']) {
      expect(await Cat.get({ pk: 'P', sk })).toBeUndefined();
      await expect(Cat.load({ pk: 'P', sk })).rejects.toBeInstanceOf(ItemNotFoundError);
    }
    const many = await Cat.getMany([
      { pk: 'P', sk: 'cat' },
      { pk: 'P', sk: 'dog' },
      { pk: 'P', sk: 'legacy' },
    ]);
    expect(many.map((cat) => cat?.sk)).toEqual(['cat', undefined, undefined]);
    // Writes through Cat are settled by the key and the discriminator, which are exact: another
    // model's item, never changed, whatever the caller's condition adds.
    const dog = { pk: 'P', sk: 'dog' };
    expect(await Cat.delete(dog)).toBe(false);
    expect(await Cat.delete(dog, { condition: { attr: 'rank', eq: 1 } })).toBe(false);
    await expect(Cat.update(dog, { set: { rank: 2 } })).rejects.toBeInstanceOf(ItemNotFoundError);
    await expect(
      Cat.update(dog, { set: { rank: 2 } }, { condition: { attr: 'rank', exists: true } }),
    ).rejects.toBeInstanceOf(ItemNotFoundError);
    await expect(Cat.create(dog)).rejects.toBeInstanceOf(AlreadyExistsError);
    // The Dog exists; whether a condition on its unreadable number holds stays unknown.
    expect(await Dog.exists(dog)).toBe(true);
    expect(await Cat.exists(dog)).toBe(false);
    await expect(Dog.delete(dog, { condition: { attr: 'rank', eq: 1 } })).rejects.toBeInstanceOf(
      BackendError,
    );
    const [stored] = await engine
      .sql()
      .query(`SELECT item::text AS item FROM "${table}" WHERE sk = 'dog'`);
    expect(stored?.item).toBe(
      '{"pk": "P", "sk": "dog", "kind": "Dog", "rank": 0.12345678901234567890123}',
    );
    // The Dog's own reads still refuse what they cannot read exactly.
    await expect(Dog.get({ pk: 'P', sk: 'dog' })).rejects.toBeInstanceOf(BackendError);
    await expect(
      Dog.getMany([
        { pk: 'P', sk: 'cat' },
        { pk: 'P', sk: 'dog' },
      ]),
    ).rejects.toBeInstanceOf(BackendError);
    await expect(Dog.query({ partition: 'P' })).rejects.toBeInstanceOf(BackendError);
    await expect(Dog.scan()).rejects.toBeInstanceOf(BackendError);
    // A condition an exact attribute settles is decided (an `and` with a false part, an `or`
    // with a true one) whatever its part on the unreadable number would say.
    await expect(
      Dog.delete(dog, {
        condition: {
          and: [
            { attr: 'sk', eq: 'cat' },
            { attr: 'rank', eq: 1 },
          ],
        },
      }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    expect(await Dog.exists(dog)).toBe(true);
    expect(
      await Dog.delete(dog, {
        condition: {
          or: [
            { attr: 'sk', eq: 'dog' },
            { attr: 'rank', eq: 1 },
          ],
        },
      }),
    ).toBe(true);
    expect(await Dog.exists(dog)).toBe(false);
  });

  it("[P-99] getItem whose model reads otherwise later: another model's row that cannot be read exactly is judged by the model first read", async () => {
    const { api, backend, insert } = await sharedPets({ rank: { type: 'number' } });
    await insert(
      'dog',
      '{"pk": "P", "sk": "dog", "kind": "Dog", "rank": 0.12345678901234567890123}',
    );
    const cat = api.persistent('Cat').descriptor;
    const dog = api.persistent('Dog').descriptor;
    // Read as the Cat's (for which the Dog's row is another model's, known by its key and
    // discriminator), then as the Dog's (whose own row it cannot read exactly).
    let reads = 0;
    const request = Object.defineProperty({ key: { pk: 'P', sk: 'dog' } }, 'model', {
      enumerable: true,
      get: () => (reads++ === 0 ? cat : dog),
    }) as never;
    expect(await backend.getItem(request)).toEqual({ pk: 'P', sk: 'dog', kind: 'Dog' });
  });

  it("[P-78] another model's row that cannot be read exactly is left out of a query and a scan, page after page, through the table and an index; the model's own is refused", async () => {
    const { api, backend, insert } = await sharedPets(
      { owner: { type: 'string' }, rank: { type: 'number' } },
      { byOwner: { key: 'owner', sort: 'sk' } },
    );
    const inexact = '0.12345678901234567890123';
    await insert('a', '{"pk": "P", "sk": "a", "owner": "o", "kind": "Cat", "rank": 1}');
    await insert('b', `{"pk": "P", "sk": "b", "owner": "o", "kind": "Dog", "rank": ${inexact}}`);
    await insert('c', `{"pk": "P", "sk": "c", "owner": "o", "rank": ${inexact}}`);
    await insert('d', '{"pk": "P", "sk": "d", "owner": "o", "kind": "Cat", "rank": 2}');
    const Cat = api.persistent<{ pk: string; sk: string; rank?: number }>('Cat');
    const Dog = api.persistent('Dog');
    expect((await Cat.query({ partition: 'P' })).items.map((cat) => cat.sk)).toEqual(['a', 'd']);
    expect((await Cat.scan()).items.map((cat) => cat.sk)).toEqual(['a', 'd']);
    // Limits count the rows read, as DynamoDB's: pages that end on the Dog go on after it.
    expect(
      await sortKeysByPage((cursor) =>
        Cat.query({ partition: 'P', limit: 2, ...(cursor ? { cursor } : {}) }),
      ),
    ).toEqual([['a'], ['d'], []]);
    expect(
      await sortKeysByPage((cursor) =>
        Cat.query({ partition: 'o', index: 'byOwner', limit: 1, ...(cursor ? { cursor } : {}) }),
      ),
    ).toEqual([['a'], [], [], ['d'], []]);
    expect(
      await sortKeysByPage((cursor) => Cat.scan({ limit: 3, ...(cursor ? { cursor } : {}) })),
    ).toEqual([['a'], ['d']]);
    // The Dog's own listing refuses what it cannot read; so does a read without the filter
    // that sets the Dog aside.
    await expect(Dog.query({ partition: 'P' })).rejects.toBeInstanceOf(BackendError);
    await expect(backend.query({ model: Cat.descriptor, partition: 'P' })).rejects.toBeInstanceOf(
      BackendError,
    );
  });

  it("[P-77] pages ending on another model's rows whose key no JavaScript value reads exactly go on past them, each of this model's items read once", async () => {
    const table = `ranked${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const ranked = {
      type: 'object',
      required: ['pk', 'n'],
      properties: {
        pk: { type: 'string' },
        n: { type: 'number' },
        owner: { type: 'string' },
        rank: { type: 'number' },
      },
      'x-persist': {
        table,
        key: 'pk',
        sort: 'n',
        discriminator: 'kind',
        indexes: { byOwner: { key: 'owner', sort: 'rank' } },
      },
    };
    const backend = engine.backend();
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'ranked', version: '1' },
        paths: {},
        components: { schemas: { Cat: ranked, Dog: ranked } },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const insert = (kind: string, n: string, rank: string) =>
      engine
        .sql()
        .query(`INSERT INTO "${table}" (pk, n, item) VALUES ('Q', $1::numeric, $2::jsonb)`, [
          n,
          `{"pk": "Q", "n": ${n}, "kind": "${kind}", "owner": "ann", "rank": ${rank}}`,
        ]);
    await insert('Cat', '0.1', '1');
    await insert('Dog', '0.12345678901234567890123', '1.12345678901234567890123');
    await insert('Dog', '0.22345678901234567890123', '1.22345678901234567890123');
    await insert('Cat', '0.3', '2');
    await insert('Dog', '0.4', '2.12345678901234567890123');
    await insert('Cat', '5', '3');
    const Cat = api.persistent<{ pk: string; n: number }>('Cat');
    type Read = (
      cursor: string | undefined,
    ) => Promise<{ items: { n: number }[]; cursor?: string }>;
    const walk = async (read: Read) => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await read(cursor);
        seen.push(...page.items.map((cat) => cat.n));
        cursor = page.cursor;
        if (cursor === undefined) return seen;
      }
      throw new Error('the pages never ended');
    };
    const from = (cursor: string | undefined) => (cursor === undefined ? {} : { cursor });
    for (const limit of [1, 2, 3]) {
      expect(await walk((c) => Cat.query({ partition: 'Q', limit, ...from(c) }))).toEqual([
        0.1, 0.3, 5,
      ]);
      expect(
        await walk((c) => Cat.query({ partition: 'Q', limit, reverse: true, ...from(c) })),
      ).toEqual([5, 0.3, 0.1]);
      expect(await walk((c) => Cat.scan({ limit, ...from(c) }))).toEqual([0.1, 0.3, 5]);
      expect(
        await walk((c) => Cat.query({ index: 'byOwner', partition: 'ann', limit, ...from(c) })),
      ).toEqual([0.1, 0.3, 5]);
    }
  });

  it('a row whose item names another key, or none, is a BackendError on every keyed read', async () => {
    const { Thing, insert, count } = await open();
    await insert('a', '{"id": "z", "count": 1}');
    await insert('b', '{"count": 2}');
    await insert('c', '{"id": 5}');
    await insert('d', '{"id": "d", "count": 4}');
    for (const id of ['a', 'b', 'c']) {
      await expect(Thing.load(id)).rejects.toBeInstanceOf(BackendError);
      await expect(Thing.getMany([id, 'd'])).rejects.toBeInstanceOf(BackendError);
      await expect(Thing.update(id, { set: { count: 9 } })).rejects.toBeInstanceOf(BackendError);
    }
    expect((await Thing.getMany(['d']))[0]).toMatchObject({ id: 'd', count: 4 });
    // Row `a` holds `z`'s item: asked for both, it must not answer for `z`, which has no row.
    await expect(Thing.getMany(['a', 'z'])).rejects.toBeInstanceOf(BackendError);
    // Nothing was written over them.
    expect(await count()).toBe(4);
    const rows = await engine
      .sql()
      .query(`SELECT item::text AS item FROM "${Thing.descriptor.table.name}" ORDER BY id`);
    expect(rows.map((row: Record<string, unknown>) => JSON.parse(row.item as string))).toEqual([
      { id: 'z', count: 1 },
      { count: 2 },
      { id: 5 },
      { id: 'd', count: 4 },
    ]);
  });

  it('a row without an item (a table another client made lets it be NULL) is a BackendError saying so', async () => {
    const { Thing } = await open();
    const table = Thing.descriptor.table.name;
    await engine.sql().query(`ALTER TABLE "${table}" ALTER COLUMN item DROP NOT NULL`);
    await engine.sql().query(`INSERT INTO "${table}" (id, item) VALUES ('n', NULL)`);
    await expect(Thing.load('n')).rejects.toThrow(/holds no item/);
    await expect(Thing.getMany(['n'])).rejects.toThrow(
      /holds no item.*\(the row's key columns: id = "n"\)/,
    );
    // Aggregated (a limit) or row by row, a page says so too, naming the row by its key columns.
    await expect(Thing.scan()).rejects.toThrow(
      /holds no item.*\(the row's key columns: id = "n"\)/,
    );
    await expect(Thing.scan({ limit: 10 })).rejects.toThrow(
      /holds no item.*\(the row's key columns: id = "n"\)/,
    );
    // Read by its key, the row is named by it, as an item that is no JSON object is.
    await engine.sql().query(`INSERT INTO "${table}" (id, item) VALUES ('l', '[1]')`);
    await expect(Thing.load('n')).rejects.toThrow('(key {id="n"})');
    await expect(Thing.load('l')).rejects.toThrow(
      /\(key \{id="l"\}\) cannot be read exactly: The stored item is not a JSON object/,
    );
    await expect(Thing.update('l', { set: { count: 1 } })).rejects.toThrow('(key {id="l"})');
    await engine.sql().query(`DELETE FROM "${table}" WHERE id = 'n'`);
    for (const limit of [10, undefined])
      await expect(Thing.scan(limit === undefined ? {} : { limit })).rejects.toThrow(
        /not a JSON object.*\(the row's key columns: id = "l"\)/,
      );
  });

  it('a page or getMany failing on one unfit row names that row, not another unfit one before it (each by its key columns)', async () => {
    const { Thing, insert } = await open();
    const table = Thing.descriptor.table.name;
    await engine.sql().query(`ALTER TABLE "${table}" ALTER COLUMN item DROP NOT NULL`);
    // Page order: `a` holds another key's item, `b` no item, `c` no JSON object. Each read
    // fails on the first row it cannot read as an item (`b`, then `c`), not on `a`, whose item
    // reads: the row named is that one.
    await insert('a', '{"id": "z"}');
    await engine.sql().query(`INSERT INTO "${table}" (id, item) VALUES ('b', NULL)`);
    await insert('c', '[1]');
    for (const limit of [10, undefined])
      await expect(Thing.scan(limit === undefined ? {} : { limit })).rejects.toThrow(
        /holds no item.*\(the row's key columns: id = "b"\)$/,
      );
    await expect(Thing.getMany(['a', 'b'])).rejects.toThrow(
      /holds no item.*\(the row's key columns: id = "b"\)$/,
    );
    await engine.sql().query(`DELETE FROM "${table}" WHERE id = 'b'`);
    for (const limit of [10, undefined])
      await expect(Thing.scan(limit === undefined ? {} : { limit })).rejects.toThrow(
        /not a JSON object.*\(the row's key columns: id = "c"\)$/,
      );
    await expect(Thing.getMany(['a', 'c'])).rejects.toThrow(
      /not a JSON object.*\(the row's key columns: id = "c"\)$/,
    );
  });

  it('a page failing on a row its key columns cannot single out (an item of its key, a key of 16 digits or more) names no row, rather than another unfit one', async () => {
    const table = `edges${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const backend = engine.backend();
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'edges', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Counter: {
              type: 'object',
              required: ['n'],
              'x-persist': { table, key: 'n' },
              properties: { n: { type: 'integer' }, x: { type: 'integer' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    // First in page order, a row whose item holds its key but an annotation no writer makes:
    // its message cannot name a key JSON.parse would round. After it, a row of another key.
    await engine
      .sql()
      .query(
        `INSERT INTO "${table}" (n, item, item_types) VALUES (12345678901234567, '{"n": 12345678901234567, "x": 1}', '{"/x": "Q"}'), (200000000000000000, '{"n": 5}', NULL)`,
      );
    const Counter = api.persistent('Counter');
    for (const limit of [10, undefined]) {
      const error = await Counter.scan(limit === undefined ? {} : { limit }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(BackendError);
      expect((error as Error).message).toContain('unknown type code "Q"');
      expect((error as Error).message).not.toContain("the row's key columns");
    }
  });

  it('a page holding a row whose item names another key, or none, is a BackendError', async () => {
    const { Thing, insert } = await open();
    await Thing.saveMany([{ id: 'a\u0000b' }, { id: 'c\u0001\\0' }, { id: '\\' }, { id: '😀' }]);
    // Consistent rows with keys that need escaping read, in one aggregated row and row by row.
    expect((await Thing.scan({ limit: 10 })).items).toHaveLength(4);
    expect((await Thing.scan()).items).toHaveLength(4);
    for (const [id, item] of [
      ['x', '{"id": "z"}'],
      ['y', '{"count": 2}'],
      ['w', '{"id": 5}'],
    ] as const) {
      await insert(id, item);
      await expect(Thing.getMany([id, 'a\u0000b'])).rejects.toThrow(
        new RegExp(`holds an item whose key attributes.*\\(the row's key columns: id = "${id}"\\)`),
      );
      for (const limit of [10, undefined])
        await expect(Thing.scan(limit === undefined ? {} : { limit })).rejects.toThrow(
          new RegExp(
            `holds an item whose key attributes.*\\(the row's key columns: id = "${id}"\\)`,
          ),
        );
      await engine.sql().query(`DELETE FROM "${Thing.descriptor.table.name}" WHERE id = $1`, [id]);
    }
    // A key holding U+0001 whose column another writer did not escape (the layout stores
    // U+0001 as U+0001 U+0002): keyed reads would not find it, so pages refuse it too.
    await insert('a\u0001b', '{"id": "a\\u0001b"}');
    for (const limit of [10, undefined])
      await expect(Thing.scan(limit === undefined ? {} : { limit })).rejects.toThrow(
        /holds an item whose key attributes .* U\+0001 written U\+0001 U\+0002/,
      );
    await engine
      .sql()
      .query(`DELETE FROM "${Thing.descriptor.table.name}" WHERE id = $1`, ['a\u0001b']);
    // Bytes whose base64 text is the key's text: another type, not the key.
    await engine
      .sql()
      .query(
        `INSERT INTO "${Thing.descriptor.table.name}" (id, item, item_types) VALUES ('dg==', '{"id": "dg=="}', '{"/id": "B"}')`,
      );
    await expect(Thing.scan({ limit: 10 })).rejects.toThrow(/holds an item whose key attributes/);
  });

  it('a row whose item does not hold its key: the BackendError names the key attributes escaped, line breaks and bidi controls included', async () => {
    const table = `edges${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const backend = engine.backend();
    const partition = 'id\u2028\u202eevil';
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'edges', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Row: {
              type: 'object',
              required: [partition],
              'x-persist': { table, key: partition },
              properties: { [partition]: { type: 'string' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    await engine
      .sql()
      .query(`INSERT INTO "${table}" ("${partition}", item) VALUES ('a', '{"other": "a"}')`);
    const error = await api
      .persistent<Record<string, unknown>>('Row')
      .scan({ limit: 10 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    const message = (error as Error).message;
    expect(message).toContain('key attributes ("id\\u2028\\u202eevil")');
    expect(message).not.toMatch(/[\u2028\u202e]/);
  });

  it('a page or a batch holding a row whose item names another sort key than its sort column is a BackendError', async () => {
    const table = `edgessort${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const backend = engine.backend();
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'edges', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Entry: {
              type: 'object',
              required: ['id', 'at'],
              'x-persist': { table, key: 'id', sort: 'at' },
              properties: {
                id: { type: 'string' },
                at: { type: 'string' },
                note: { type: 'string' },
              },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const Entry = api.persistent<Record<string, unknown>>('Entry');
    await Entry.saveMany([
      { id: 'a', at: '1' },
      { id: 'a', at: '3' },
    ]);
    // The partition agrees, the sort key does not: the column says 2, the item 3.
    await engine
      .sql()
      .query(`INSERT INTO "${table}" (id, at, item) VALUES ('a', '2', '{"id": "a", "at": "3"}')`);
    // Aggregated (a limit) or row by row, every key column is checked, not the partition's alone.
    for (const page of [{ limit: 10 }, {}]) {
      await expect(Entry.query({ partition: 'a', ...page })).rejects.toThrow(
        /holds an item whose key attributes/,
      );
      await expect(Entry.scan(page)).rejects.toThrow(/holds an item whose key attributes/);
    }
    // Read by its key, written to by it, alike.
    await expect(Entry.load({ id: 'a', at: '2' })).rejects.toThrow(
      /holds an item whose key attributes/,
    );
    await expect(Entry.update({ id: 'a', at: '2' }, { set: { note: 'x' } })).rejects.toThrow(
      /holds an item whose key attributes/,
    );
    // Asked for both keys, the row under `2` must not answer for `3` a second time.
    await expect(
      Entry.getMany([
        { id: 'a', at: '2' },
        { id: 'a', at: '3' },
      ]),
    ).rejects.toThrow(/holds an item whose key attributes/);
  });

  it('pages over number and binary keys written by Macaron read back, whatever their spelling', async () => {
    const table = `edgeskeys${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const backend = engine.backend();
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'edges', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Reading: {
              type: 'object',
              required: ['n', 'b'],
              'x-persist': { table, key: 'n', sort: 'b' },
              properties: {
                n: { type: 'number' },
                b: { type: 'string', format: 'binary' },
              },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const Reading = api.persistent<Record<string, unknown>>('Reading');
    const numbers = [1e-130, -0.5, 1.25e-7, 12345678901234567890123456789012345678n, 7];
    for (const n of numbers)
      await Reading.saveMany([
        { n, b: new Uint8Array([0]) },
        { n, b: new Uint8Array([0xff, 0x01]) },
      ]);
    for (const n of numbers) {
      expect((await Reading.query({ partition: n, limit: 5 })).items).toHaveLength(2);
      expect((await Reading.query({ partition: n })).items).toHaveLength(2);
    }
    // The item says 8, the key column 7.
    await engine
      .sql()
      .query(
        `UPDATE "${table}" SET item = jsonb_set(item, '{n}', '8') WHERE n = 7 AND b = '\\x00'`,
      );
    await expect(Reading.query({ partition: 7, limit: 5 })).rejects.toBeInstanceOf(BackendError);
    await expect(Reading.scan()).rejects.toBeInstanceOf(BackendError);
    // The item says 7.5, the key column 7: no key matches it, a bigint 7n no more than 7.
    await engine
      .sql()
      .query(
        `UPDATE "${table}" SET item = jsonb_set(item, '{n}', '7.5') WHERE n = 7 AND b = '\\xff01'`,
      );
    const model = Reading.descriptor;
    for (const n of [7, 7n]) {
      const key = { n, b: new Uint8Array([0xff, 0x01]) };
      await expect(backend.getItem({ model, key }), String(n)).rejects.toBeInstanceOf(BackendError);
      // A write reads the row under its lock: refused alike, the row left as it is.
      await expect(backend.deleteItem({ model, key }), String(n)).rejects.toBeInstanceOf(
        BackendError,
      );
    }
    expect(
      (
        await engine
          .sql()
          .query(`SELECT item->>'n' AS n FROM "${table}" WHERE b = '\\xff01' AND n = 7`)
      )[0],
    ).toEqual({ n: '7.5' });
  });

  it('values past the contract written with plain SQL load exactly; saving them back is refused', async () => {
    const { Thing, insert } = await open();
    let deep = '1';
    for (let level = 0; level < 40; level++) deep = `{"d": ${deep}}`;
    const row = `{"id": "x", "count": 1e400, "map": {"deep": 0}, "nested": ${deep}}`;
    await insert('x', row);
    const text = async () =>
      (
        await engine.sql().query(`SELECT item::text AS item FROM "${Thing.descriptor.table.name}"`)
      )[0]!.item;
    const before = await text();
    const loaded = await Thing.load('x');
    expect(loaded.count).toBe(10n ** 400n);
    expect(JSON.parse(JSON.stringify(loaded.toJSON())).nested).toEqual(JSON.parse(deep));
    await expect(loaded.save()).rejects.toBeInstanceOf(ValidationError);
    expect(await text()).toBe(before);
  });

  it('an item thousands of levels deep holding a 20-digit number loads exactly everywhere; update() writes it back', async () => {
    const { Thing, backend, insert } = await open();
    const levels = engine.deepLevels;
    // jsonb nests this deep; the exact parser reads it (a recursive one overflowed), as
    // JSON.parse reads the same item without the long number.
    const nested = (number: string) =>
      `${'{"d": ['.repeat(levels / 2)}${number}${', true]}'.repeat(levels / 2)}`;
    await insert('x', `{"id": "x", "count": 1, "nested": ${nested('12345678901234567890')}}`);
    await insert('p', `{"id": "p", "count": 1, "nested": ${nested('7')}}`);
    // How deep the value is, and what is at the bottom (walked: expect's matchers recurse).
    const bottom = (value: unknown): [number, unknown] => {
      let depth = 0;
      let current = value;
      for (;;) {
        if (Array.isArray(current) && current.length === 2 && current[1] === true)
          current = current[0];
        else if (current !== null && typeof current === 'object' && 'd' in current)
          current = (current as { d: unknown }).d;
        else return [depth, current];
        depth++;
      }
    };
    const expectDeep = (things: readonly (Record<string, unknown> | undefined)[]) =>
      expect(things.map((thing) => [thing?.id, ...bottom(thing?.nested)]).sort()).toEqual([
        ['p', levels, 7],
        ['x', levels, 12345678901234567890n],
      ]);
    expectDeep([await Thing.load('x'), await Thing.load('p')]);
    expectDeep(await Thing.getMany(['x', 'p']));
    // Pages read as one aggregated row (with a limit) and row by row (without).
    expectDeep((await Thing.scan({ limit: 10 })).items);
    expectDeep((await Thing.scan()).items);
    for (const limit of [5, undefined])
      expectDeep([
        ...(await Thing.query(limit === undefined ? { partition: 'x' } : { partition: 'x', limit }))
          .items,
        ...(await Thing.query({ partition: 'p' })).items,
      ]);
    // update() writes the item back as it read it (the writing walk has no depth limit).
    const updated = await Thing.update('x', { add: { count: 1 } });
    expect([updated.count, ...bottom(updated.nested)]).toEqual([2, levels, 12345678901234567890n]);
    const reloaded = await Thing.load('x');
    expect([reloaded.count, ...bottom(reloaded.nested)]).toEqual([
      2,
      levels,
      12345678901234567890n,
    ]);
    // An update that sets also counts the item's size, at any depth.
    expect((await Thing.update('x', { set: { count: 5 } })).count).toBe(5);
    // Saving it is refused (deeper than 32 levels), and changes nothing.
    reloaded.count = 3;
    await expect(reloaded.save()).rejects.toBeInstanceOf(ValidationError);
    expect((await Thing.load('x')).count).toBe(5);
    // The backend's own methods read such an item too; given one to write, they refuse it
    // as DynamoDB does (P-105: InvalidRequestError), and write nothing.
    const model = Thing.descriptor;
    const read = await backend.getItem({ model, key: { id: 'x' } });
    expect(bottom(read?.nested)).toEqual([levels, 12345678901234567890n]);
    let value: unknown = 98765432109876543210n;
    for (let level = 0; level < levels / 2; level++) value = { d: [value, true] };
    await expect(
      backend.putItem({ model, item: { id: 'y', nested: value as StoredValue } }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await backend.getItem({ model, key: { id: 'y' } })).toBeUndefined();
  });

  it('keys within the limits that do not compress past a B-tree entry: InvalidRequestError, nothing written', async () => {
    const table = `edgeskeys${++counter}${Math.random().toString(36).slice(2, 6)}`;
    const backend = engine.backend();
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'long keys', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Pair: {
              type: 'object',
              required: ['a', 'b'],
              'x-persist': { table, key: 'a', sort: 'b' },
              properties: { a: { type: 'string' }, b: { type: 'string' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const Pair = api.persistent<Record<string, unknown>>('Pair');
    // Random base64: what a token looks like, and what PostgreSQL cannot compress.
    const random = (bytes: number) =>
      randomBytes(bytes)
        .toString('base64')
        .slice(0, (bytes * 4) / 3);
    await expect(Pair.create({ a: random(1536), b: random(768) })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    // The same lengths in text that compresses fit (the conformance check of the limits).
    await Pair.create({ a: 'a'.repeat(2048), b: 'b'.repeat(1024) });
    const count = async () =>
      Number((await engine.sql().query(`SELECT count(*) AS n FROM "${table}"`))[0]!.n);
    expect(await count()).toBe(1);
    // saveMany: a chunk refused whole is not written, so it is unprocessed, not unconfirmed;
    // refused before any chunk was written, it is the refusal itself.
    const long = { a: random(1536), b: random(768) };
    const pairs = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, index) => ({ a: 'p', b: `${from + index}` }));
    await expect(Pair.saveMany([...pairs(0, 3), long])).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await count()).toBe(1);
    const size = backend.capabilities.maxBatchWrite;
    const error = await Pair.saveMany([...pairs(0, size + 2), long]).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BatchIncompleteError);
    const incomplete = error as BatchIncompleteError;
    expect(incomplete.cause).toBeInstanceOf(InvalidRequestError);
    expect(incomplete.unconfirmed).toEqual([]);
    expect(incomplete.unprocessed.map((entry) => entry.key.b)).toEqual([
      `${size}`,
      `${size + 1}`,
      long.b,
    ]);
    expect(await count()).toBe(1 + size);
  });

  it('[P-106] a table that was never created: every operation is TableNotFoundError; saveMany throws it whole', async () => {
    const backend = engine.backend();
    const api = await loadApi(spec(`never${++counter}`), { backend });
    const Thing = api.persistent<{ id: string }>('Thing');
    for (const attempt of [
      () => Thing.load('a'),
      () => Thing.create({ id: 'a' }),
      () => Thing.scan(),
      () => Thing.loadMany(['a', 'b']),
      () => api.transaction((transaction) => transaction.create(new Thing({ id: 'a' }))),
      // Refused before anything was written: the refusal, not a batch whose chunk is unconfirmed.
      () => Thing.saveMany([{ id: 'a' }, { id: 'b' }]),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableNotFoundError);
      expect(BackendError.isInstance(error)).toBe(true);
    }
  });

  it('[P-106] an index the spec gained since the table was made: its pages are TableNotFoundError naming it', async () => {
    const backend = engine.backend();
    const table = `later${++counter}`;
    const before = await loadApi(spec(table), { backend });
    await backend.ensureTables(before.tables());
    const grown = spec(table);
    (grown.components.schemas.Thing['x-persist'] as Record<string, unknown>).indexes = {
      byCount: { key: 'count' },
    };
    const Thing = (await loadApi(grown, { backend })).persistent<{ id: string; count?: number }>(
      'Thing',
    );
    await Thing.create({ id: 'a', count: 1 });
    for (const attempt of [
      () => Thing.query({ index: 'byCount', partition: 1 }),
      () => Thing.scan({ index: 'byCount' }),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableNotFoundError);
      expect((error as Error).message).toContain('the index byCount does not exist');
    }
  });

  it('a limit past 2^31 reads as any other', async () => {
    const { Thing } = await open();
    await Thing.saveMany([{ id: 'a' }, { id: 'b' }]);
    for (const limit of [2 ** 31, 2 ** 53 - 1])
      expect((await Thing.scan({ limit })).items.map((thing) => thing.id).sort()).toEqual([
        'a',
        'b',
      ]);
  });

  it('close() is idempotent, and a call after it says the backend is closed', async () => {
    const { backend } = await open();
    const closing = engine.backend();
    await closing.close();
    await closing.close();
    const error = await closing
      .getItem({
        model: (await loadApi(spec('closedtable'), { backend })).persistent('Thing').descriptor,
        key: { id: 'a' },
      })
      .catch((caught: unknown) => caught);
    // Nothing was sent, as to a server shutting down: a 503, and a batch refused whole.
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toContain('closed');
    await expect(closing.ensureTables([])).rejects.toThrow('the backend is closed');
    const Closed = (await loadApi(spec('closedtable'), { backend: closing })).persistent<
      Record<string, unknown>
    >('Thing');
    await expect(Closed.saveMany([{ id: 'a' }, { id: 'b' }])).rejects.toBeInstanceOf(
      UnreachableError,
    );
  });

  describe('rules of the table’s own, which a DBA added', () => {
    // A trigger function on the table: `body` runs BEFORE `events` on each row.
    async function withTrigger(table: string, body: string, events = 'INSERT OR UPDATE') {
      await engine
        .sql()
        .query(
          `CREATE FUNCTION "${table}_rule"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} END $$`,
        );
      await engine
        .sql()
        .query(
          `CREATE TRIGGER "${table}_rule" BEFORE ${events} ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${table}_rule"()`,
        );
    }

    it('a batch put writes its rows in the order the backend locks keys in (that of transactions), padded or not', async () => {
      const table = `edges${++counter}${Math.random().toString(36).slice(2, 6)}`;
      const backend = engine.backend();
      const api = await loadApi(
        {
          openapi: '3.0.3',
          info: { title: 'edges', version: '1.0.0' },
          paths: {},
          components: {
            schemas: {
              Row: {
                type: 'object',
                required: ['n'],
                'x-persist': { table, key: 'n' },
                properties: { n: { type: 'integer' } },
              },
            },
          },
        },
        { backend },
      );
      await backend.ensureTables(api.tables());
      await engine.sql().query(`CREATE TABLE "${table}_log" (seq serial, n numeric)`);
      await withTrigger(
        table,
        `INSERT INTO "${table}_log" (n) VALUES (NEW.n); RETURN NEW;`,
        'INSERT',
      );
      // Three items, padded to four; keys in the backend's order: by their text, 10 < 100 < 9.
      await api.persistent<{ n: number }>('Row').saveMany([{ n: 9 }, { n: 100 }, { n: 10 }]);
      const logged = await engine.sql().query(`SELECT n FROM "${table}_log" ORDER BY seq`);
      expect(logged.map((row) => Number(row.n))).toEqual([10, 100, 9]);
    });

    it('a constraint or a trigger that refuses a write: InvalidRequestError naming it, nothing written; saveMany throws it whole, or past its first chunk lists the refused chunk as not written, none as unconfirmed', async () => {
      const { backend, Thing, count } = await open();
      const table = Thing.descriptor.table.name;
      await engine
        .sql()
        .query(
          `ALTER TABLE "${table}" ADD CONSTRAINT count_not_negative CHECK (coalesce((item->>'count')::numeric, 0) >= 0)`,
        );
      await withTrigger(
        table,
        `IF NEW.id = 'frozen' THEN RAISE EXCEPTION 'frozen rows are read-only'; END IF; RETURN NEW;`,
      );
      await Thing.create({ id: 'b', count: 1 });
      for (const [attempt, named] of [
        [() => Thing.create({ id: 'a', count: -1 }), 'check constraint "count_not_negative"'],
        [() => new Thing({ id: 'b', count: -1 }).save(), 'check constraint "count_not_negative"'],
        [() => Thing.update('b', { set: { count: -2 } }), 'check constraint "count_not_negative"'],
        [() => Thing.create({ id: 'frozen' }), 'frozen rows are read-only'],
      ] as const) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect(error).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
        expect((error as Error).message).toContain(named);
        expect((error as Error).message).toContain('nothing was written');
        // A 400's message reaches HTTP clients: not the physical table, nor stored values.
        expect((error as Error).message).not.toContain(table);
      }
      expect(await count()).toBe(1);
      expect((await Thing.load('b')).count).toBe(1);
      const size = backend.capabilities.maxBatchWrite;
      const batch = (refused: number) =>
        Array.from({ length: size + 5 }, (_, index) => ({
          id: `m${refused}-${index}`,
          count: index === refused ? -1 : index,
        }));
      await expect(Thing.saveMany(batch(3))).rejects.toBeInstanceOf(InvalidRequestError);
      expect(await count()).toBe(1);
      const error = await Thing.saveMany(batch(size + 2)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BatchIncompleteError);
      expect((error as BatchIncompleteError).cause).toBeInstanceOf(InvalidRequestError);
      expect((error as BatchIncompleteError).unconfirmed).toEqual([]);
      expect((error as BatchIncompleteError).unprocessed).toHaveLength(5);
      expect(await count()).toBe(1 + size);
    });

    it('a trigger that says the role may not (SQLSTATE 42501): AccessDeniedError, a BackendError; saveMany throws it whole', async () => {
      const { Thing, count } = await open();
      await withTrigger(
        Thing.descriptor.table.name,
        `RAISE EXCEPTION 'permission denied for this row' USING ERRCODE = 'insufficient_privilege';`,
      );
      for (const attempt of [
        () => Thing.create({ id: 'a' }),
        () => Thing.saveMany([{ id: 'a' }, { id: 'b' }]),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(AccessDeniedError);
        expect(BackendError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ code: 'ACCESS_DENIED', status: 500 });
      }
      expect(await count()).toBe(0);
    });

    it('an engine error the server answers a batch statement with (a division by zero in a trigger): the chunk applied nothing (notApplied), so saveMany throws it whole, or past its first chunk lists the chunk as not written, none as unconfirmed', async () => {
      const { backend, Thing, count } = await open();
      await withTrigger(
        Thing.descriptor.table.name,
        `IF NEW.id LIKE 'zero%' THEN PERFORM 1 / 0; END IF; RETURN NEW;`,
      );
      const failed = await Thing.create({ id: 'zero' }).catch((caught: unknown) => caught);
      expect(failed).toBeInstanceOf(BackendError);
      expect(failed).toMatchObject({ code: 'BACKEND_ERROR', notSent: false, notApplied: true });
      const size = backend.capabilities.maxBatchWrite;
      const batch = (prefix: string, zeroAt: number) =>
        Array.from({ length: size + 5 }, (_, index) => ({
          id: `${index === zeroAt ? 'zero' : prefix}-${index}`,
        }));
      const first = await Thing.saveMany(batch('a', 3)).catch((caught: unknown) => caught);
      expect(first).toBeInstanceOf(BackendError);
      expect(first).toMatchObject({ code: 'BACKEND_ERROR', notApplied: true });
      expect(await count()).toBe(0);
      const error = await Thing.saveMany(batch('b', size + 2)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BatchIncompleteError);
      const incomplete = error as BatchIncompleteError;
      expect(incomplete.cause).toMatchObject({ code: 'BACKEND_ERROR', notApplied: true });
      expect(incomplete.unconfirmed).toEqual([]);
      expect(incomplete.unprocessed.map((entry) => entry.key.id)).toEqual(
        batch('b', size + 2)
          .slice(size)
          .map((item) => item.id),
      );
      expect(await count()).toBe(size);
    });

    it('a trigger that skips inserts (RETURN NULL): create is a BackendError that says so, not a race with other writers (THROTTLED)', async () => {
      const { Thing, count } = await open();
      await withTrigger(Thing.descriptor.table.name, 'RETURN NULL;');
      const error = await Thing.create({ id: 'a' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect(error).not.toBeInstanceOf(ThrottledError);
      expect((error as Error).message).toContain('a trigger skips the insert');
      expect(await count()).toBe(0);
    });

    it('a trigger that skips writes over a row (RETURN NULL): save, update, delete and a transaction are a BackendError that says so, not a success; nothing changed', async () => {
      const { Thing, api, count } = await open();
      await Thing.create({ id: 'kept', count: 1 });
      await withTrigger(
        Thing.descriptor.table.name,
        `IF TG_OP = 'INSERT' THEN RETURN NEW; END IF; RETURN NULL;`,
        'INSERT OR UPDATE OR DELETE',
      );
      for (const attempt of [
        () => new Thing({ id: 'kept', count: 2 }).save(),
        () => Thing.update('kept', { set: { count: 3 } }),
        () => new Thing({ id: 'kept', count: 4 }).save({ condition: { attr: 'id', exists: true } }),
        () => Thing.delete('kept'),
        () => Thing.delete('kept', { condition: { attr: 'id', exists: true } }),
        () =>
          api.transaction((transaction) => {
            transaction.update(Thing, 'kept', { set: { count: 5 } });
          }),
      ]) {
        const error = await attempt().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(BackendError);
        expect(error).not.toBeInstanceOf(ThrottledError);
        expect((error as Error).message).toMatch(
          /the item was not stored under its key|the row is still there/,
        );
        expect((error as Error).message).toContain('a trigger of the table skips');
      }
      expect((await Thing.load('kept')).count).toBe(1);
      // Writes the trigger lets through still land; a missing item is still deleted as missing.
      await new Thing({ id: 'new', count: 6 }).save();
      expect(await Thing.delete('missing')).toBe(false);
      expect(await count()).toBe(2);
    });

    it('a trigger that changes the row as it is written (its item, item_types or key column): create, update, a conditional save and a transaction are a BackendError naming the row, nothing written', async () => {
      for (const body of [
        `NEW.item := NEW.item || '{"count": 100}'; RETURN NEW;`,
        `NEW.item_types := '{"/count": "Q"}'; RETURN NEW;`,
        // The row would go under another key, its item naming the one asked for.
        `NEW.id := lower(NEW.id); RETURN NEW;`,
      ]) {
        const { Thing, api, count } = await open();
        await Thing.create({ id: 'Kept', count: 1 });
        await withTrigger(Thing.descriptor.table.name, body);
        for (const attempt of [
          () => Thing.create({ id: 'New', count: 2 }),
          () => Thing.update('Kept', { set: { count: 3 } }),
          () =>
            new Thing({ id: 'Kept', count: 4 }).save({ condition: { attr: 'id', exists: true } }),
          () =>
            api.transaction((transaction) => {
              transaction.update(Thing, 'Kept', { set: { count: 5 } });
            }),
        ]) {
          const error = await attempt().catch((caught: unknown) => caught);
          expect(error, body).toBeInstanceOf(BackendError);
          expect((error as Error).message).toContain('a trigger of the table changed the row');
          expect((error as Error).message).toMatch(/under key \{id="(New|Kept)"\}/);
          expect((error as BackendError).notApplied).toBe(true);
        }
        expect(
          await engine.sql().query(`SELECT id, item::text FROM "${Thing.descriptor.table.name}"`),
        ).toEqual([{ id: 'Kept', item: '{"id": "Kept", "count": 1}' }]);
        expect(await count()).toBe(1);
      }
      // A trigger that gives the row back as written lets every write through.
      const { Thing, api } = await open();
      await withTrigger(
        Thing.descriptor.table.name,
        `NEW.item := NEW.item::text::jsonb; RETURN NEW;`,
      );
      await Thing.create({ id: 'Kept', count: 1 });
      await Thing.update('Kept', { set: { count: 3 } });
      await new Thing({ id: 'Kept', count: 4 }).save({ condition: { attr: 'id', exists: true } });
      await api.transaction((transaction) => {
        transaction.update(Thing, 'Kept', { set: { count: 5 } });
      });
      expect((await Thing.load('Kept')).count).toBe(5);
    });

    it('a batch put on tables named like the alias its statement uses (given), or like a word of it (sent): every item stored, none reported unprocessed', async () => {
      for (const table of ['sent', 'given']) {
        const api = await loadApi(spec(table), { backend: engine.backend() });
        await engine.backend().ensureTables(api.tables());
        const Thing = api.persistent<Record<string, unknown>>('Thing');
        await Thing.saveMany([
          { id: 'a', count: 1 },
          { id: 'b', count: 2 },
        ]);
        expect((await Thing.load('b')).count).toBe(2);
      }
    });

    it('a trigger that stores the row through another path and returns NULL (inheritance partitioning): save succeeds, the item loads', async () => {
      const { Thing } = await open();
      const table = Thing.descriptor.table.name;
      await engine.sql().query(`CREATE TABLE "${table}_child" () INHERITS ("${table}")`);
      await withTrigger(table, `INSERT INTO "${table}_child" SELECT NEW.*; RETURN NULL;`, 'INSERT');
      await new Thing({ id: 'routed', count: 7 }).save();
      expect((await Thing.load('routed')).count).toBe(7);
    });

    it('an item_types column of type json (which ensureTables accepts): a write a trigger skips or routes elsewhere is known as such, never an unknown outcome', async () => {
      const opened = await open();
      const table = opened.Thing.descriptor.table.name;
      await engine
        .sql()
        .query(`ALTER TABLE "${table}" ALTER COLUMN item_types TYPE json USING item_types::json`);
      expect(await opened.backend.ensureTables([opened.Thing.descriptor.table])).toEqual([
        { table, action: 'unchanged' },
      ]);
      const Thing = (
        await loadApi(spec(table), {
          backend: opened.backend,
          batchRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
        })
      ).persistent<Record<string, unknown>>('Thing');
      // Items with item_types (U+0000 in a name), and one without.
      await Thing.saveMany([
        { id: 'kept-1', count: 1, map: { 'a\u0000': 1 } },
        { id: 'kept-2', count: 2 },
      ]);
      await withTrigger(
        table,
        `IF TG_OP = 'INSERT' THEN RETURN NEW; END IF; RETURN NULL;`,
        'INSERT OR UPDATE',
      );
      const saved = await new Thing({ id: 'kept-1', count: 10, map: { 'a\u0000': 2 } })
        .save()
        .catch((caught: unknown) => caught);
      expect(saved).toBeInstanceOf(BackendError);
      expect(saved).not.toBeInstanceOf(WriteOutcomeUnknownError);
      expect((saved as Error).message).toContain('the item was not stored under its key');
      const batch = await Thing.saveMany([
        { id: 'kept-1', count: 10, map: { 'a\u0000': 2 } },
        { id: 'fresh', count: 3, map: { 'b\u0000': 3 } },
        { id: 'kept-2', count: 20 },
      ]).catch((caught: unknown) => caught);
      expect(batch).toBeInstanceOf(BatchIncompleteError);
      expect((batch as BatchIncompleteError).unconfirmed).toEqual([]);
      expect((batch as BatchIncompleteError).unprocessed.map((entry) => entry.key.id)).toEqual([
        'kept-1',
        'kept-2',
      ]);
      expect((await Thing.load('kept-1')).count).toBe(1);
      expect((await Thing.load('fresh')).map).toEqual({ 'b\u0000': 3 });
      // A trigger that stores the row through another path (inheritance) and returns NULL.
      await engine.sql().query(`DROP TRIGGER "${table}_rule" ON "${table}"`);
      await engine.sql().query(`DROP FUNCTION "${table}_rule"()`);
      await engine.sql().query(`CREATE TABLE "${table}_child" () INHERITS ("${table}")`);
      await withTrigger(table, `INSERT INTO "${table}_child" SELECT NEW.*; RETURN NULL;`, 'INSERT');
      await new Thing({ id: 'routed', count: 7, map: { 'c\u0000': 7 } }).save();
      expect((await Thing.load('routed')).map).toEqual({ 'c\u0000': 7 });
    });

    it('a trigger that skips some writes of a batch: BatchIncompleteError lists exactly those, the others are written', async () => {
      const opened = await open();
      const { count } = opened;
      // Retried at once: the trigger skips them every time.
      const Thing = (
        await loadApi(spec(opened.Thing.descriptor.table.name), {
          backend: opened.backend,
          batchRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
        })
      ).persistent<Record<string, unknown>>('Thing');
      await Thing.saveMany([
        { id: 'kept-1', count: 1 },
        { id: 'kept-2', count: 2 },
      ]);
      await withTrigger(
        Thing.descriptor.table.name,
        `IF TG_OP = 'INSERT' THEN RETURN NEW; END IF; RETURN NULL;`,
        'INSERT OR UPDATE OR DELETE',
      );
      const saved = await Thing.saveMany([
        { id: 'kept-1', count: 10 },
        { id: 'fresh', count: 3 },
        { id: 'kept-2', count: 20 },
      ]).catch((caught: unknown) => caught);
      expect(saved).toBeInstanceOf(BatchIncompleteError);
      expect((saved as BatchIncompleteError).unconfirmed).toEqual([]);
      expect((saved as BatchIncompleteError).unprocessed.map((entry) => entry.key.id)).toEqual([
        'kept-1',
        'kept-2',
      ]);
      expect((await Thing.load('fresh')).count).toBe(3);
      expect((await Thing.load('kept-1')).count).toBe(1);
      // Three keys, the skipped one last: the statement is written for four (see paddedKeys),
      // the last key repeated, and the skipped entry listed once.
      const deleted = await Thing.deleteMany(['missing', 'fresh', 'kept-2']).catch(
        (caught: unknown) => caught,
      );
      expect(deleted).toBeInstanceOf(BatchIncompleteError);
      expect((deleted as BatchIncompleteError).unprocessed.map((entry) => entry.key.id)).toEqual([
        'fresh',
        'kept-2',
      ]);
      expect(await count()).toBe(3);
      // The backend's own answer: each skipped entry once, nothing for the padding.
      const model = Thing.descriptor;
      const entries = ['missing', 'fresh', 'kept-2'].map((id) => ({ model, delete: { id } }));
      expect((await opened.backend.batchWrite(entries)).unprocessed).toEqual(entries.slice(1));
    });
  });
}
