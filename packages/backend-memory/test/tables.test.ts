import {
  InvalidRequestError,
  loadApi,
  type TableDescriptor,
  TableMismatchError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// One table `things`, keyed as given, with an index byG on `g` of the given type.
function spec(key: Record<string, string>, g: string, sort?: string) {
  return {
    openapi: '3.0.3',
    info: { title: 'tables', version: '1' },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id', ...(sort ? [sort] : [])],
          'x-persist': {
            table: 'things',
            key: 'id',
            ...(sort ? { sort } : {}),
            indexes: { byG: { key: 'g' } },
          },
          properties: {
            id: { type: key.id },
            g: { type: g },
            ...(sort ? { [sort]: { type: 'string' } } : {}),
          },
        },
      },
    },
  };
}

describe('the memory backend and a spec that changed', () => {
  it('refuses, as DynamoDB and PostgreSQL do, a key or index key of another type or another sort key', async () => {
    const backend = createMemoryBackend();
    const first = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    await backend.ensureTables!(first.tables());
    await first.persistent('Thing').create({ id: 'a', g: 'x' });
    for (const [changed, difference, item] of [
      [
        spec({ id: 'integer' }, 'string'),
        'partition key: table has id (string), spec has id (number)',
        { id: 7 },
      ],
      [
        spec({ id: 'string' }, 'integer'),
        'index byG partition key: table has g (string), spec has g (number)',
        { id: 'b', g: 7 },
      ],
      [
        spec({ id: 'string' }, 'string', 'at'),
        'sort key: table has none, spec has at (string)',
        { id: 'b', at: 'z' },
      ],
    ] as const) {
      const api = await loadApi(changed, { backend });
      const error = await backend.ensureTables!(api.tables()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual([difference]);
      // Every request through the changed spec is refused the same way, and writes nothing.
      await expect(api.persistent('Thing').create(item)).rejects.toThrow(TableMismatchError);
    }
    // The same spec through another API instance fits (checked once, then remembered).
    const again = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    await backend.ensureTables!(again.tables());
    expect((await again.persistent('Thing').scan()).items.map((thing) => thing.id)).toEqual(['a']);
  });

  it('[P-106] refuses an index redefined after another spec added it: compared with every index the table has, not only its first spec', async () => {
    // Spec A makes the table without an index; B adds byG on a string `g`; C declares byG on an
    // integer `g`. DynamoDB refuses C (the index B added is keyed by a string) and B reads on.
    const versioned = (g?: string) => ({
      openapi: '3.0.3',
      info: { title: 'tables', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': {
              table: 'things',
              key: 'id',
              ...(g ? { indexes: { byG: { key: 'g' } } } : {}),
            },
            properties: { id: { type: 'string' }, g: g ? { type: g } : {} },
          },
        },
      },
    });
    for (const provisioned of [true, false]) {
      const backend = createMemoryBackend();
      const a = await loadApi(versioned(), { backend });
      await backend.ensureTables(a.tables());
      const b = await loadApi(versioned('string'), { backend });
      // Without ensureTables, B's first request adds the index, as the memory backend serves one.
      if (provisioned) await backend.ensureTables(b.tables());
      const B = b.persistent<Record<string, unknown>>('Thing');
      await B.create({ id: 's', g: 'text' });
      const c = await loadApi(versioned('integer'), { backend });
      const C = c.persistent<Record<string, unknown>>('Thing');
      const error = await backend.ensureTables(c.tables()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual([
        'index byG partition key: table has g (string), spec has g (number)',
      ]);
      await expect(C.create({ id: 'n', g: 5 })).rejects.toThrow(TableMismatchError);
      await expect(C.query({ index: 'byG', partition: 5 })).rejects.toThrow(TableMismatchError);
      expect((await B.query({ index: 'byG', partition: 'text' })).items).toEqual([
        { id: 's', g: 'text' },
      ]);
      expect(backend.readItem('things', { id: 'n' })).toBeUndefined();
    }
  });

  it('[P-106] refuses, as DynamoDB and PostgreSQL do, two specs whose indexes of other names key one attribute as a string and as a number, in turn or in one call: nothing made, and the first spec writes on', async () => {
    // Spec A indexes `e` as a string (byS), spec B as a number (byN): a DynamoDB table types
    // each attribute once, a PostgreSQL column too. B's index made beside A's would refuse
    // every item of A's with its `e`.
    const indexed = (index: string, type: string) => ({
      openapi: '3.0.3',
      info: { title: 'tables', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'things', key: 'id', indexes: { [index]: { key: 'e' } } },
            properties: { id: { type: 'string' }, e: { type } },
          },
        },
      },
    });
    for (const inTurn of [true, false]) {
      const backend = createMemoryBackend();
      const a = await loadApi(indexed('byS', 'string'), { backend });
      const b = await loadApi(indexed('byN', 'number'), { backend });
      if (inTurn) await backend.ensureTables(a.tables());
      const error = await backend
        .ensureTables(inTurn ? b.tables() : [...a.tables(), ...b.tables()])
        .catch((caught: unknown) => caught);
      expect(error, `in turn: ${inTurn}`).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual([
        inTurn
          ? 'index byN partition key: table has e (string), spec has e (number)'
          : 'two tables of the call are named things, with attribute "e" keyed as a string and as a number (things and things, from two specs?): only one can be made',
      ]);
      // Nothing made by the call refused in one: A's ensureTables makes the table as its own.
      if (!inTurn) await backend.ensureTables(a.tables());
      // B's requests are refused as its ensureTables was, and A's items are stored and indexed.
      await expect(b.persistent('Thing').create({ id: 'n', e: 5 })).rejects.toThrow(
        TableMismatchError,
      );
      const A = a.persistent<Record<string, unknown>>('Thing');
      await A.create({ id: 's', e: 'text' });
      expect((await A.query({ index: 'byS', partition: 'text' })).items).toEqual([
        { id: 's', e: 'text' },
      ]);
    }
  });

  it('takes, as calls in turn do, two specs of one table that expire items by other attributes: the memory backend has no time to live', async () => {
    const expiring = (ttl: string) => ({
      openapi: '3.0.3',
      info: { title: 'tables', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'things', key: 'id', ttl },
            properties: { id: { type: 'string' }, a: { type: 'integer' }, b: { type: 'integer' } },
          },
        },
      },
    });
    for (const inTurn of [true, false]) {
      const backend = createMemoryBackend();
      const a = await loadApi(expiring('a'), { backend });
      const b = await loadApi(expiring('b'), { backend });
      if (inTurn) {
        await backend.ensureTables(a.tables());
        await backend.ensureTables(b.tables());
      } else await backend.ensureTables([...a.tables(), ...b.tables()]);
      await a.persistent('Thing').create({ id: 'x', a: 1 });
      expect((await b.persistent('Thing').load('x')).toJSON()).toEqual({ id: 'x', a: 1 });
    }
  });

  it('[P-106] an ensureTables refused adds no index of its call either: the table is as it was', async () => {
    const backend = createMemoryBackend();
    const api = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    const [table] = api.tables();
    await backend.ensureTables([table!]);
    // The table with an index byH more, on `h` of the given type.
    const byH = (type: 'string' | 'number'): TableDescriptor => ({
      ...table!,
      indexes: [...table!.indexes, { name: 'byH', partitionKey: { name: 'h', type } }],
    });
    const mismatched: TableDescriptor = {
      ...table!,
      partitionKey: { name: 'other', type: 'string' },
    };
    const error = await backend
      .ensureTables([byH('string'), mismatched])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableMismatchError);
    // byH was not added by the refused call: another spec's byH, keyed otherwise, fits.
    await backend.ensureTables([byH('number')]);
  });
});

describe('clear()', () => {
  it('returns the backend to new: a spec of another key or other indexes is taken as the first', async () => {
    const backend = createMemoryBackend();
    const first = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    await backend.ensureTables(first.tables());
    await first.persistent('Thing').create({ id: 'a', g: 'x' });
    backend.clear();
    expect(backend.readItem('things', { id: 'a' })).toBeUndefined();

    // Another key type, and byG on a number: the table is made again from this spec.
    const changed = await loadApi(spec({ id: 'integer' }, 'integer'), { backend });
    await backend.ensureTables(changed.tables());
    const Thing = changed.persistent<Record<string, unknown>>('Thing');
    await Thing.create({ id: 7, g: 5 });
    expect((await Thing.query({ index: 'byG', partition: 5 })).items).toEqual([{ id: 7, g: 5 }]);
    // The first spec, checked once before clear(), is compared with the new table again.
    await expect(first.persistent('Thing').create({ id: 'b', g: 'y' })).rejects.toThrow(
      TableMismatchError,
    );
  });

  it('forgets the indexes other specs added: a value an index no longer there refused is stored', async () => {
    const backend = createMemoryBackend();
    const withIndex = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    await backend.ensureTables(withIndex.tables());
    backend.clear();
    // The same table without the index: DynamoDB would store a number `g`, as nothing indexes it.
    const plain = {
      openapi: '3.0.3',
      info: { title: 'tables', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'things', key: 'id' },
            properties: { id: { type: 'string' }, g: { type: 'integer' } },
          },
        },
      },
    };
    const api = await loadApi(plain, { backend });
    await backend.ensureTables(api.tables());
    await api.persistent('Thing').create({ id: 'n', g: 5 });
    backend.writeItem('things', { id: 'm', g: 6 });
    expect(backend.readItem('things', { id: 'n' })).toEqual({ id: 'n', g: 5 });
    expect(backend.readItem('things', { id: 'm' })).toEqual({ id: 'm', g: 6 });
  });

  it('keeps seeding as it was: writeItem after clear() writes to the table emptied, with the key and indexes of its first spec', async () => {
    const backend = createMemoryBackend();
    const api = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    await backend.ensureTables(api.tables());
    await api.persistent('Thing').create({ id: 'a', g: 'x' });
    backend.clear();
    backend.writeItem('things', { id: 'b', g: 'y' });
    expect(backend.readItem('things', { id: 'a' })).toBeUndefined();
    const Thing = api.persistent<Record<string, unknown>>('Thing');
    expect((await Thing.query({ index: 'byG', partition: 'y' })).items).toEqual([
      { id: 'b', g: 'y' },
    ]);
    // Its index is the table's again: a value it refuses is refused.
    expect(() => backend.writeItem('things', { id: 'c', g: 5 })).toThrow(InvalidRequestError);
    // A table no spec made is still none.
    expect(() => backend.writeItem('others', { id: 'a' })).toThrow(InvalidRequestError);
  });

  it('lets the next spec take an emptied table as its own, also when seeded after its ensureTables; a table written since keeps its key', async () => {
    const backend = createMemoryBackend();
    const first = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    await backend.ensureTables(first.tables());
    backend.clear();
    const changed = await loadApi(spec({ id: 'integer' }, 'integer'), { backend });
    await backend.ensureTables(changed.tables());
    backend.writeItem('things', { id: 7, g: 5 });
    const Thing = changed.persistent<Record<string, unknown>>('Thing');
    expect((await Thing.query({ index: 'byG', partition: 5 })).items).toEqual([{ id: 7, g: 5 }]);

    // Seeded for the other spec before it used the table: refused by the table's key, saying why.
    backend.clear();
    expect(() => backend.writeItem('things', { id: 'text', g: 6 })).toThrow(
      /since clear\(\), table things keeps the key and indexes of the spec that made it/,
    );
    // Seeded before the other spec used it: the item was written with the table's key, which
    // the other spec cannot read.
    backend.clear();
    backend.writeItem('things', { id: 8, g: 6 });
    await expect(first.persistent('Thing').load({ id: 'x' })).rejects.toThrow(TableMismatchError);
  });
});

describe('ensureTables given what is no list of tables (from JavaScript)', () => {
  it.each([[undefined], [null], [42], ['things'], [[null]], [[{}]], [[{ name: 'things' }]]])(
    'refuses %j with InvalidRequestError, and makes no table',
    async (tables) => {
      const backend = createMemoryBackend();
      const error = await backend.ensureTables(tables as never).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toBe(
        'ensureTables takes a list of the table descriptors api.tables() returns',
      );
      expect(backend.readItem('things', { id: 'a' })).toBeUndefined();
    },
  );
});
