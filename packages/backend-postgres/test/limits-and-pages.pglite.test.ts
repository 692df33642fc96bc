import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { InvalidCursorError, InvalidRequestError, loadApi, type StoredItem } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, postgresCapabilities } from '../src/index.js';

// What the conformance suite cannot see, as it reads the limits from the backend and checks
// what is stored: DynamoDB's batch limit kept (code and data move between backends unchanged),
// and a page's lastKey that shares no bytes with the items it was read with (P-99).

let database: PGlite;
beforeAll(async () => {
  database = await PGlite.create();
});
afterAll(() => database.close());

describe("DynamoDB's batch write limit", () => {
  it('is 25: a batchWrite of 26 is refused, nothing written', async () => {
    expect(postgresCapabilities.maxBatchWrite).toBe(25);
    const backend = createPostgresBackend({ pglite: database });
    expect(backend.capabilities.maxBatchWrite).toBe(25);
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'limits', version: '1' },
        paths: {},
        components: {
          schemas: {
            Note: {
              type: 'object',
              required: ['id'],
              'x-persist': { table: 'notes', key: 'id' },
              properties: { id: { type: 'string' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const model = api.persistent('Note').descriptor;
    const entries = Array.from({ length: 26 }, (_, index) => ({
      model,
      put: { id: `n${index}` } as StoredItem,
    }));
    await expect(backend.batchWrite(entries)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await backend.getItem({ model, key: { id: 'n0' }, consistent: true })).toBeUndefined();
  });
});

describe('a walk without a limit', () => {
  it('reads pages of 100 items (walkPageLimit), not the whole partition as one', async () => {
    expect(postgresCapabilities.walkPageLimit).toBe(100);
    const backend = createPostgresBackend({ pglite: database });
    expect(backend.capabilities.walkPageLimit).toBe(100);
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'walks', version: '1' },
        paths: {},
        components: {
          schemas: {
            Entry: {
              type: 'object',
              required: ['log', 'n'],
              'x-persist': { table: 'walked_entries', key: 'log', sort: 'n' },
              properties: { log: { type: 'string' }, n: { type: 'integer' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const Entry = api.persistent<{ log: string; n: number }>('Entry');
    const written = Array.from({ length: 150 }, (_, n) => ({ log: 'a', n }));
    for (let at = 0; at < written.length; at += 25)
      await Entry.saveMany(written.slice(at, at + 25));
    const limits: (number | undefined)[] = [];
    const query = backend.query.bind(backend);
    backend.query = (request) => {
      limits.push(request.limit);
      return query(request);
    };
    const read: number[] = [];
    for await (const entry of Entry.queryAll({ partition: 'a' })) read.push(entry.n);
    expect(read).toEqual(written.map((entry) => entry.n));
    expect(limits).toEqual([100, 100]);
  });
});

describe('a page whose last item has a binary key', () => {
  it("hands back a lastKey that shares no bytes with the page's items", async () => {
    const backend = createPostgresBackend({ pglite: database });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'lastkey', version: '1' },
        paths: {},
        components: {
          schemas: {
            Tile: {
              type: 'object',
              required: ['layer', 'code'],
              'x-persist': { table: 'tiles', key: 'layer', sort: 'code' },
              properties: {
                layer: { type: 'string' },
                code: { type: 'string', format: 'binary' },
              },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    const model = api.persistent('Tile').descriptor;
    for (const code of [1, 2, 3])
      await backend.putItem({
        model,
        item: { layer: 'l', code: new Uint8Array([code]) } as StoredItem,
      });
    const page = await backend.query({ model, partition: 'l', limit: 1, consistent: true });
    expect(page.lastKey).toEqual({ layer: 'l', code: new Uint8Array([1]) });
    // The caller reuses the item it was handed.
    (page.items[0]!.code as Uint8Array)[0] = 3;
    expect(page.lastKey).toEqual({ layer: 'l', code: new Uint8Array([1]) });
    const next = await backend.query({
      model,
      partition: 'l',
      limit: 1,
      consistent: true,
      startKey: page.lastKey!,
    });
    expect(next.items).toEqual([{ layer: 'l', code: new Uint8Array([2]) }]);
  });
});

describe('[P-56] a cursor of an index that ensureTables rebuilt on other keys', () => {
  // PostgreSQL's index is derived data: ensureTables rebuilds one the spec now keys otherwise
  // (`index-rebuilt`), where DynamoDB and memory refuse the change. A page of the index before
  // orders its items by the former keys: its cursor names a position the rebuilt index does
  // not have, and going on from it would skip items or repeat them.
  const spec = (index: { key: string; sort?: string }) => ({
    openapi: '3.0.3',
    info: { title: 'rebuilt index', version: '1' },
    paths: {},
    components: {
      schemas: {
        Row: {
          type: 'object',
          required: ['pk', 'sk'],
          'x-persist': { table: 'rebuilt_rows', key: 'pk', sort: 'sk', indexes: { byTag: index } },
          properties: {
            pk: { type: 'string' },
            sk: { type: 'string' },
            tag: { type: 'string' },
            rank: { type: 'number' },
            label: { type: 'string' },
          },
        },
      },
    },
  });
  const cursorKey = 'rebuilt-index-0123456789abcdef0123456789';

  it('is refused, never a page that skips or repeats items (the index keys swapped)', async () => {
    const backend = createPostgresBackend({ pglite: database });
    const before = await loadApi(spec({ key: 'tag', sort: 'rank' }), { backend, cursorKey });
    await backend.ensureTables(before.tables());
    const Row = before.persistent('Row');
    for (const [sk, tag, rank] of [
      ['a', 'A', 1],
      ['b', 'A', 5],
      ['c', 'B', 2],
      ['d', 'B', 3],
    ] as const)
      await Row.create({ pk: 'p', sk, tag, rank });
    const scanned = await Row.scan({ index: 'byTag', limit: 2 });
    expect(scanned.items.map((item) => item.sk)).toEqual(['a', 'b']);

    const after = await loadApi(spec({ key: 'rank', sort: 'tag' }), { backend, cursorKey });
    expect(await backend.ensureTables(after.tables())).toContainEqual({
      table: 'rebuilt_rows',
      action: 'index-rebuilt',
      index: 'byTag',
    });
    const Rebuilt = after.persistent('Row');
    // The rebuilt index orders a, c, d, b: going on after b would read nothing.
    await expect(
      Rebuilt.scan({ index: 'byTag', limit: 10, cursor: scanned.cursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    // A listing started over reads every item once.
    const again = await Rebuilt.scan({ index: 'byTag', limit: 10 });
    expect(again.items.map((item) => item.sk)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('is refused when the index keys swapped are of one type (a query of the same partition value)', async () => {
    const backend = createPostgresBackend({ pglite: database });
    const before = await loadApi(spec({ key: 'tag', sort: 'label' }), { backend, cursorKey });
    await backend.ensureTables(before.tables());
    await database.query('DELETE FROM rebuilt_rows');
    const Row = before.persistent('Row');
    for (const [sk, tag, label] of [
      ['a', 'x', 'x'],
      ['b', 'x', 'y'],
      ['c', 'y', 'x'],
    ] as const)
      await Row.create({ pk: 'p', sk, tag, label });
    const scanned = await Row.scan({ index: 'byTag', limit: 2 });
    // Tag x by label: a, then b. The cursor after a holds label x, the partition read below.
    const queried = await Row.query({ index: 'byTag', partition: 'x', limit: 1 });
    expect(queried.items.map((item) => item.sk)).toEqual(['a']);
    const after = await loadApi(spec({ key: 'label', sort: 'tag' }), { backend, cursorKey });
    await backend.ensureTables(after.tables());
    const Rebuilt = after.persistent('Row');
    // Label x by tag is a, c: going on after a would give c, which tag x does not hold.
    await expect(
      Rebuilt.query({ index: 'byTag', partition: 'x', limit: 10, cursor: queried.cursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(
      Rebuilt.scan({ index: 'byTag', limit: 10, cursor: scanned.cursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe('keys too long for a B-tree entry', () => {
  // Random-looking keys (tokens) within DynamoDB's limits do not fit PostgreSQL's 2,704 bytes.
  const token = (length: number) => randomBytes(length).toString('base64').slice(0, length);

  it("are refused (400) naming the index as the spec does, never by the physical table's name with its deployment prefix", async () => {
    const backend = createPostgresBackend({ pglite: database });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'long keys', version: '1' },
        paths: {},
        components: {
          schemas: {
            Grant: {
              type: 'object',
              required: ['id', 'at'],
              'x-persist': {
                table: 'grants',
                key: 'id',
                sort: 'at',
                indexes: { byToken: { key: 'token', sort: 'scope' } },
              },
              properties: {
                id: { type: 'string' },
                at: { type: 'string' },
                token: { type: 'string' },
                scope: { type: 'string' },
              },
            },
          },
        },
      },
      { backend, tablePrefix: 'prod-tenant42.' },
    );
    await backend.ensureTables(api.tables());
    const Grant = api.persistent('Grant');
    for (const [item, named] of [
      [{ id: token(2000), at: token(1000) }, 'the primary key'],
      [{ id: 'a', at: 'b', token: token(2000), scope: token(1000) }, 'index byToken'],
    ] as const) {
      const refused = await Grant.create(item).then(
        () => undefined,
        (error: unknown) => error as InvalidRequestError,
      );
      expect(refused).toBeInstanceOf(InvalidRequestError);
      expect(refused?.message).toContain(`too long for a PostgreSQL index (${named})`);
      expect(JSON.stringify(refused?.toErrorJSON())).not.toContain('prod-tenant42');
    }
  });
});
