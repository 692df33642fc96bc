import {
  BatchIncompleteError,
  TableExistsError as CoreTableExistsError,
  TableMismatchError as CoreTableMismatchError,
  loadApi,
  type StorageBackend,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../src/client/sql-client.js';
import {
  createPostgresBackend,
  type PostgresBackend,
  postgresTablesDdl,
  TableExistsError,
  TableMismatchError,
} from '../../src/index.js';
import { sortKeysByPage } from '../page-walk.js';
import { createInteropSpec } from './interop-spec.js';

export interface InteropEngine {
  backend(): PostgresBackend;
  sql(): SqlExecutor;
}

let counter = 0;
const prefix = () => `interop${++counter}${Math.random().toString(36).slice(2, 6)}-`;

// Cat and Dog sharing a hand-made table whose item column is json (which can hold what jsonb
// refuses), and a plain-SQL insert of an item text into it under partition `P`.
async function openJsonPetsOn(engine: InteropEngine) {
  const tables = prefix();
  await engine
    .sql()
    .query(
      `CREATE TABLE "${tables}pets" (pk text COLLATE "C" NOT NULL, sk text COLLATE "C" NOT NULL, item json NOT NULL, item_types jsonb, PRIMARY KEY (pk, sk))`,
    );
  const pet = {
    type: 'object',
    required: ['pk', 'sk'],
    properties: { pk: { type: 'string' }, sk: { type: 'string' }, name: { type: 'string' } },
    'x-persist': { table: 'pets', key: 'pk', sort: 'sk', discriminator: 'kind' },
  };
  const api = await loadApi(
    {
      openapi: '3.0.3',
      info: { title: 'pets', version: '1' },
      paths: {},
      components: { schemas: { Cat: pet, Dog: pet } },
    },
    { backend: engine.backend(), tablePrefix: tables },
  );
  await engine.backend().ensureTables(api.tables());
  const insert = (sk: string, item: string) =>
    engine
      .sql()
      .query(`INSERT INTO "${tables}pets" (pk, sk, item) VALUES ('P', $1, $2::json)`, [sk, item]);
  return {
    tables,
    insert,
    Cat: api.persistent<{ pk: string; sk: string; name?: string }>('Cat'),
    Dog: api.persistent<{ pk: string; sk: string; name?: string }>('Dog'),
  };
}

async function open(backend: StorageBackend, tablePrefix: string, indexes = true) {
  const api = await loadApi(createInteropSpec(indexes), { backend, tablePrefix });
  return {
    api,
    Profile: api.persistent<Record<string, unknown>>('Profile'),
    Message: api.persistent<Record<string, unknown>>('Message'),
  };
}

// A profiles table made by hand with a json item column (the backend accepts one), which can
// hold what jsonb refuses.
async function createJsonProfiles(engine: InteropEngine, tables: string): Promise<void> {
  await engine
    .sql()
    .query(
      `CREATE TABLE "${tables}profiles" (profile_id text COLLATE "C" PRIMARY KEY, item json NOT NULL, item_types jsonb)`,
    );
}

// Rows put in that table by plain SQL, each item's text as the json column keeps it, by id.
async function insertJsonItems(
  engine: InteropEngine,
  tables: string,
  items: Record<string, string>,
): Promise<void> {
  for (const [id, item] of Object.entries(items))
    await engine
      .sql()
      .query(`INSERT INTO "${tables}profiles" (profile_id, item) VALUES ($1, $2::json)`, [
        id,
        item,
      ]);
}

// A backend on the engine's client that records the text of every statement it sends.
function recordingBackend(engine: InteropEngine) {
  const statements: string[] = [];
  const client = engine.backend().client;
  const recording = createPostgresBackend({
    client: {
      ...client,
      query: (text, parameters) => {
        statements.push(text);
        return client.query(text, parameters);
      },
      transaction: (work) => client.transaction(work),
      close: () => client.close(),
    },
  });
  return { statements, recording };
}

/** Macaron's items read with plain SQL, and rows written with plain SQL read by Macaron. */
export function describeInterop(label: string, engine: InteropEngine): void {
  describe(`interop with plain SQL on ${label}`, () => {
    it('a model made persistent later adds an index to a table another model already used: the backend sees it', async () => {
      const tables = prefix();
      const model = (name: string) => ({
        type: 'object',
        'x-persist': `app.models.${name}`,
        properties: { id: { type: 'string' }, kind: { type: 'string' }, x: { type: 'string' } },
      });
      const spec = {
        swagger: '2.0',
        info: { title: 'later', version: '1' },
        paths: {},
        definitions: { A: model('A'), B: model('B') },
      };
      const api = await loadApi(spec, {
        backend: engine.backend(),
        compat: 'pymacaron',
        tablePrefix: tables,
      });
      const shared = { table: 'things', key: 'id', discriminator: 'kind' };
      const A = api.persistent<Record<string, unknown>>('A', shared);
      await engine.backend().ensureTables(api.tables());
      await new A({ id: 'a1', x: 'q' }).save();
      // PyMacaron's form: each model's options in code, given when first needed.
      const B = api.persistent<Record<string, unknown>>('B', {
        ...shared,
        indexes: { byX: { key: 'x' } },
      });
      // Not made yet: a typed refusal, never an empty page.
      await expect(B.query({ index: 'byX', partition: 'q' })).rejects.toMatchObject({
        code: 'TABLE_NOT_FOUND',
      });
      expect(await engine.backend().ensureTables(api.tables())).toEqual([
        expect.objectContaining({ action: 'index-added', index: 'byX' }),
      ]);
      await new B({ id: 'b1', x: 'q' }).save();
      expect((await B.query({ index: 'byX', partition: 'q' })).items.map((b) => b.id)).toEqual([
        'b1',
      ]);
      expect((await A.query({ index: 'byX', partition: 'q' })).items.map((a) => a.id)).toEqual([
        'a1',
      ]);
    });

    it('an item Macaron wrote is the object JSON in the item column, exact numbers included', async () => {
      const tables = prefix();
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      await Profile.create({
        profile_id: 'ann',
        name: 'Ann',
        view_count: 3,
        balance: 1234567890123456789n,
        ratio: 0.1,
        tags: ['a', 'b'],
        address: { city: 'Paris' },
      });
      const [row] = await engine.sql().query(
        `SELECT profile_id, item::text AS item, item_types, item->>'name' AS name,
                  (item->>'balance')::numeric::text AS balance, item->'address'->>'city' AS city
             FROM "${tables}profiles" WHERE profile_id = 'ann'`,
      );
      expect(row).toMatchObject({
        profile_id: 'ann',
        name: 'Ann',
        balance: '1234567890123456789',
        city: 'Paris',
        item_types: null,
      });
      expect(JSON.parse(row!.item as string)).toEqual({
        profile_id: 'ann',
        name: 'Ann',
        view_count: 3,
        balance: 1234567890123456800, // JSON.parse rounds; the SQL numeric above does not
        ratio: 0.1,
        tags: ['a', 'b'],
        address: { city: 'Paris' },
      });
    });

    it('bytes are base64 and strings holding U+0000 escaped, both named in item_types', async () => {
      const tables = prefix();
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      await Profile.create({
        profile_id: 'bo',
        name: 'a\u0000b\\c',
        photo: Uint8Array.of(0, 1, 255),
      });
      const [row] = await engine
        .sql()
        .query(
          `SELECT item->>'name' AS name, item->>'photo' AS photo, item_types::text AS types FROM "${tables}profiles"`,
        );
      expect(row).toEqual({
        name: 'a\\0b\\\\c',
        photo: 'AAH/',
        types: '{"/name": "Z", "/photo": "B"}',
      });
      const loaded = await Profile.load('bo');
      expect(loaded.name).toBe('a\u0000b\\c');
      expect(loaded.photo).toEqual(Uint8Array.of(0, 1, 255));
    });

    it('rows inserted with plain SQL in the layout load, query through indexes and save back', async () => {
      const tables = prefix();
      const { api, Profile, Message } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      await engine
        .sql()
        .query(
          `INSERT INTO "${tables}profiles" (profile_id, item) VALUES ('sql', '{"profile_id":"sql","name":"From SQL","balance":8876543210987654321,"ratio":1e-7,"extra":{"kept":true}}')`,
        );
      await engine.sql().query(
        `INSERT INTO "${tables}messages" (channel, sent, item) VALUES
           ('c', '2026-01-01', '{"channel":"c","sent":"2026-01-01","author":"zoe","score":2}'),
           ('c', '2026-01-02', '{"channel":"c","sent":"2026-01-02","author":"zoe","score":1.5}'),
           ('c', '2026-01-03', '{"channel":"c","sent":"2026-01-03"}')`,
      );
      const profile = await Profile.load('sql');
      expect(profile.balance).toBe(8876543210987654321n);
      expect(profile.ratio).toBe(1e-7);
      const messages = await Message.query({ partition: 'c' });
      expect(messages.items.map((message) => message.sent)).toEqual([
        '2026-01-01',
        '2026-01-02',
        '2026-01-03',
      ]);
      const byAuthor = await Message.query({ index: 'byAuthor', partition: 'zoe' });
      expect(byAuthor.items.map((message) => message.score)).toEqual([1.5, 2]);
      profile.name = 'Saved';
      await profile.save();
      const [row] = await engine
        .sql()
        .query(
          `SELECT item->'extra' AS extra, item->>'name' AS name FROM "${tables}profiles" WHERE profile_id = 'sql'`,
        );
      expect(row).toEqual({ extra: { kept: true }, name: 'Saved' });
    });

    it('pages go past a key far longer than DynamoDB allows, which plain SQL wrote', async () => {
      const tables = prefix();
      const { api, Message } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      // Compressible: PostgreSQL's index takes it; its page's cursor is over 64 KB.
      const long = `a${'x'.repeat(60_000)}`;
      await engine.sql().query(
        `INSERT INTO "${tables}messages" (channel, sent, item) VALUES
           ('c', $1, jsonb_build_object('channel', 'c', 'sent', $1::text)),
           ('c', 'b', '{"channel":"c","sent":"b"}'),
           ('c', 'c', '{"channel":"c","sent":"c"}')`,
        [long],
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await Message.query({ partition: 'c', limit: 1, cursor });
        seen.push(...page.items.map((message) => String(message.sent)));
        cursor = page.cursor;
      } while (cursor !== undefined);
      expect(seen).toEqual([long, 'b', 'c']);
      const scanned: string[] = [];
      for await (const message of Message.scanAll({ limit: 1 })) scanned.push(String(message.sent));
      expect(scanned.sort()).toEqual([long, 'b', 'c']);
    });

    it('a plain SQL number no JavaScript number holds exactly is a BackendError, never rounded', async () => {
      const tables = prefix();
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      await engine
        .sql()
        .query(
          `INSERT INTO "${tables}profiles" (profile_id, item) VALUES ('x', '{"profile_id":"x","name":"X","ratio":0.12345678901234567890123}')`,
        );
      await expect(Profile.load('x')).rejects.toMatchObject({ code: 'BACKEND_ERROR' });
    });

    it('postgresTablesDdl is the DDL createTables runs; ensureTables then finds nothing to do', async () => {
      const tables = prefix();
      const { api } = await open(engine.backend(), tables);
      const ddl = postgresTablesDdl(api.tables());
      expect(ddl).toContain(`CREATE TABLE IF NOT EXISTS "${tables}messages"`);
      expect(ddl).toContain('"channel" text COLLATE "C" NOT NULL');
      expect(ddl).toContain(
        `"score" numeric GENERATED ALWAYS AS (CASE WHEN jsonb_typeof((item -> 'score')) = 'number' THEN ((item -> 'score'))::numeric END) STORED`,
      );
      expect(ddl).toContain(`CONSTRAINT "${tables}messages#pkey" PRIMARY KEY ("channel", "sent")`);
      expect(ddl).toContain(
        `CREATE INDEX IF NOT EXISTS "${tables}messages:byAuthor" ON "${tables}messages" ("author", "score", "channel", "sent") WHERE "author" IS NOT NULL AND "score" IS NOT NULL;`,
      );
      for (const statement of ddl.split(';\n').filter((text) => text.trim() !== ''))
        await engine.sql().query(statement);
      await expect(engine.backend().createTables(api.tables())).rejects.toBeInstanceOf(
        TableExistsError,
      );
      // Core's classes: code catching them moves between backends unchanged.
      expect(TableExistsError).toBe(CoreTableExistsError);
      expect(TableMismatchError).toBe(CoreTableMismatchError);
      await engine.backend().ensureTables(api.tables());
      expect(await engine.backend().deleteTables(api.tables())).toEqual([
        { table: `${tables}profiles`, action: 'deleted' },
        { table: `${tables}messages`, action: 'deleted' },
      ]);
      expect(await engine.backend().deleteTables(api.tables())).toEqual([
        { table: `${tables}profiles`, action: 'absent' },
        { table: `${tables}messages`, action: 'absent' },
      ]);
    });

    it('a page read as one aggregated row holds what a page read row by row holds', async () => {
      const tables = prefix();
      const { statements, recording } = recordingBackend(engine);
      const { api, Message } = await open(recording, tables);
      await recording.ensureTables(api.tables());
      await Message.create({ channel: 'p', sent: '1', author: 'ann', score: 3, body: 'a\u0000b' });
      await Message.create({
        channel: 'p',
        sent: '2',
        author: 'ann',
        score: 2,
        body: '1234567890123456789',
      });
      await Message.create({ channel: 'p', sent: '5', author: 'bob', score: 1 });
      // Rows of other clients: an integer beyond 2^53, JSON null as the annotations, and an
      // unannotated string holding an escaped U+0001 (the aggregate's separator).
      await engine.sql().query(
        `INSERT INTO "${tables}messages" (channel, sent, item, item_types) VALUES
           ('p', '3', '{"channel":"p","sent":"3","author":"ann","score":12345678901234567890}', NULL),
           ('p', '4', '{"channel":"p","sent":"4","body":"x\\u0001y"}', 'null'::jsonb)`,
      );
      const walk = async (options: Record<string, unknown>, limit?: number) => {
        const items: Record<string, unknown>[] = [];
        let cursor: string | undefined;
        do {
          const page = await Message.query({
            ...options,
            ...(limit ? { limit } : {}),
            ...(cursor ? { cursor } : {}),
          } as never);
          items.push(...page.items);
          cursor = page.cursor;
        } while (cursor);
        return items;
      };
      for (const options of [
        { partition: 'p' },
        { partition: 'p', reverse: true },
        { partition: 'p', sort: { gte: '2' } },
        { index: 'byAuthor', partition: 'ann' },
      ]) {
        statements.length = 0;
        const rowByRow = await walk(options);
        expect(statements.some((text) => text.includes('string_agg'))).toBe(false);
        for (const limit of [1, 2, 100]) {
          statements.length = 0;
          expect(await walk(options, limit)).toEqual(rowByRow);
          expect(statements.every((text) => text.includes('string_agg'))).toBe(true);
        }
      }
      const all = await walk({ partition: 'p' });
      expect(all.map((message) => message.sent)).toEqual(['1', '2', '3', '4', '5']);
      expect(all[0]!.body).toBe('a\u0000b');
      expect(all[1]!.body).toBe('1234567890123456789');
      expect(all[2]!.score).toBe(12345678901234567890n);
      expect(all[3]!.body).toBe('x\u0001y');
      const scanned = await Message.scan({ limit: 3 });
      expect(scanned.items.map((message) => message.sent)).toEqual(['1', '2', '3']);
      // An empty page, and more than an aggregated page holds: read row by row.
      expect((await Message.query({ partition: 'none', limit: 10 })).items).toEqual([]);
      statements.length = 0;
      expect((await Message.query({ partition: 'p', limit: 101 })).items).toEqual(all);
      expect(statements.some((text) => text.includes('string_agg'))).toBe(false);
      // A batch get is one row too, unless its items could be too large for one text.
      const keys = ['5', '3', 'missing', '1', '4', '2'].map((sent) => ({ channel: 'p', sent }));
      const bySent = (sent: string) => all.find((message) => message.sent === sent);
      statements.length = 0;
      expect(await Message.getMany(keys)).toEqual(keys.map((key) => bySent(key.sent)));
      expect(statements.filter((text) => text.includes('string_agg'))).toHaveLength(1);
      const large = createPostgresBackend({
        client: recording.client,
        capabilities: { maxItemBytes: 10 * 1024 * 1024 },
      });
      const { Message: LargeMessage } = await open(large, tables);
      statements.length = 0;
      expect(await LargeMessage.getMany(keys)).toEqual(keys.map((key) => bySent(key.sent)));
      expect(statements.some((text) => text.includes('string_agg'))).toBe(false);
    });

    it('rows of other clients too large together for one text are read row by row: pages and batch gets', async () => {
      const tables = prefix();
      const { statements, recording } = recordingBackend(engine);
      const { api, Message } = await open(recording, tables);
      await recording.ensureTables(api.tables());
      // Three items of 24 MB (jsonb takes 255 MB): 72 MB, beyond what a page reads as one
      // text. Pages of 100 such items would have outgrown V8's largest string and ended the
      // process inside the client's socket handler.
      await engine.sql().query(
        `INSERT INTO "${tables}messages" (channel, sent, item)
           SELECT 'big', s::text, jsonb_build_object('channel', 'big', 'sent', s::text, 'body', repeat(s::text, 24 * 1024 * 1024))
             FROM generate_series(1, 3) AS s`,
      );
      const bodies = (items: Record<string, unknown>[]) =>
        items.map((item) => [item.sent, (item.body as string).length, (item.body as string)[0]]);
      const expected = [
        ['1', 24 * 1024 * 1024, '1'],
        ['2', 24 * 1024 * 1024, '2'],
        ['3', 24 * 1024 * 1024, '3'],
      ];
      statements.length = 0;
      expect(bodies((await Message.query({ partition: 'big', limit: 100 })).items)).toEqual(
        expected,
      );
      const keys = ['3', '1', '2'].map((sent) => ({ channel: 'big', sent }));
      const many = (await Message.getMany(keys)) as Record<string, unknown>[];
      expect(bodies(many)).toEqual([expected[2], expected[0], expected[1]]);
      // Each read asked for one row first, then read row by row (after the table's primary
      // key was read from the catalog, once).
      expect(statements.filter((text) => text.includes('pg_attribute'))).toHaveLength(1);
      const reads = statements.filter((text) => !text.includes('pg_attribute'));
      expect(reads.map((text) => text.includes('string_agg'))).toEqual([true, false, true, false]);
      // A page that fits is still one row.
      await Message.create({ channel: 'small', sent: '1', author: 'ann', score: 1 });
      statements.length = 0;
      expect((await Message.query({ partition: 'small', limit: 100 })).items).toHaveLength(1);
      expect(statements.map((text) => text.includes('string_agg'))).toEqual([true]);
      // 72 MB read four times: 8 s alone, past 30 s beside the other suites on two cores.
    }, 120_000);

    it('a table whose item column is json, not jsonb, reads exponents exactly', async () => {
      const tables = prefix();
      await createJsonProfiles(engine, tables);
      await engine
        .sql()
        .query(
          `INSERT INTO "${tables}profiles" (profile_id, item) VALUES ('e', '{"profile_id":"e","name":"E","ratio":1e-7,"balance":1E18}')`,
        );
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      const loaded = await Profile.load('e');
      expect(loaded.ratio).toBe(1e-7);
      expect(loaded.balance).toBe(1000000000000000000n);
      expect((await Profile.scan({ limit: 5 })).items[0]!.balance).toBe(1000000000000000000n);
    });

    it('a json item column holding what jsonb cannot hold (U+0000, a number past numeric, a lone surrogate): a BackendError naming the row, never the request; exists answers, delete deletes, nothing changed', async () => {
      const tables = prefix();
      await createJsonProfiles(engine, tables);
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      // json takes them as they are written; jsonb, which every read casts the item to, refuses.
      const stored: Record<string, string> = {
        nul: '{"profile_id":"nul","name":"a\\u0000b"}',
        exp: '{"profile_id":"exp","name":"E","ratio":1e999999}',
        lone: '{"profile_id":"lone","name":"a\\ud800b"}',
      };
      await insertJsonItems(engine, tables, stored);
      await Profile.create({ profile_id: 'ok', name: 'Ok' });
      const unreadable = (id?: string) => ({
        code: 'BACKEND_ERROR',
        status: 500,
        message: expect.stringMatching(
          new RegExp(
            `a stored item of table profiles${id ? ` \\(key \\{profile_id="${id}"\\}\\)` : ''} cannot be read: PostgreSQL cannot read it \\(`,
          ),
        ),
      });
      for (const id of Object.keys(stored)) {
        await expect(Profile.load(id)).rejects.toMatchObject(unreadable(id));
        // Presence needs no item, as for any row that cannot be read exactly.
        expect(await Profile.exists(id)).toBe(true);
        await expect(Profile.update(id, { set: { name: 'U' } })).rejects.toMatchObject(
          unreadable(id),
        );
        await expect(
          api.transaction((transaction) => {
            transaction.update(Profile, id, { set: { name: 'U' } });
          }),
        ).rejects.toMatchObject(unreadable(id));
      }
      // A page or a batch that meets one fails whole, naming the first it meets.
      await expect(Profile.scan({ limit: 10 })).rejects.toMatchObject(unreadable('exp'));
      await expect(Profile.scan()).rejects.toMatchObject(unreadable('exp'));
      await expect(Profile.getMany(['ok', 'nul'])).rejects.toMatchObject(unreadable('nul'));
      expect((await Profile.getMany(['ok'])).map((profile) => profile?.name)).toEqual(['Ok']);
      const rows = await engine
        .sql()
        .query(`SELECT profile_id, item::text AS item FROM "${tables}profiles" ORDER BY 1`);
      expect(rows.filter((row) => row.profile_id !== 'ok')).toEqual(
        Object.entries(stored)
          .sort(([left], [right]) => (left < right ? -1 : 1))
          .map(([profile_id, item]) => ({ profile_id, item })),
      );
      // What needs no more than presence is decided as for any row that cannot be read exactly:
      // the key is taken, and a transaction's delete deletes it.
      await expect(Profile.create({ profile_id: 'exp', name: 'E' })).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
        status: 409,
      });
      await expect(
        api.transaction((transaction) => {
          transaction.create(new Profile({ profile_id: 'lone', name: 'L' }));
        }),
      ).rejects.toMatchObject({ code: 'TRANSACTION_CANCELED' });
      await api.transaction((transaction) => {
        transaction.delete(Profile, 'lone');
        transaction.save(new Profile({ profile_id: 'ok', name: 'Saved' }));
      });
      expect(await Profile.delete('nul')).toBe(true);
      expect(await Profile.exists('nul')).toBe(false);
      expect(await Profile.exists('lone')).toBe(false);
      expect((await Profile.load('ok')).name).toBe('Saved');
      await expect(Profile.load('exp')).rejects.toMatchObject(unreadable('exp'));
    });

    it("a json item column on a table models share: another model's row jsonb refuses is left out of pages (limits, cursors, filters) and batches; the model's own is a BackendError naming it", async () => {
      const { tables, insert, Cat, Dog } = await openJsonPetsOn(engine);
      await insert('a', '{"pk":"P","sk":"a","kind":"Cat","name":"A"}');
      await insert('b', '{"pk":"P","sk":"b","kind":"Dog","name":"a\\u0000b"}');
      await insert('c', '{"pk":"P","sk":"c","kind":"Cat","name":"C"}');
      await insert('d', '{"pk":"P","sk":"d","kind":"Dog","name":"D","ratio":1e999999}');
      await insert('f', '{"pk":"P","sk":"f","kind":"Dog","name":"a\\ud800b"}');
      const sks = (page: { items: { sk: string }[] }) => page.items.map((item) => item.sk);
      expect(sks(await Cat.query({ partition: 'P' }))).toEqual(['a', 'c']);
      expect(sks(await Cat.query({ partition: 'P', limit: 100 }))).toEqual(['a', 'c']);
      expect(sks(await Cat.query({ partition: 'P', reverse: true, limit: 10 }))).toEqual([
        'c',
        'a',
      ]);
      expect(sks(await Cat.scan())).toEqual(['a', 'c']);
      expect(sks(await Cat.scan({ limit: 10 }))).toEqual(['a', 'c']);
      expect(
        sks(await Cat.query({ partition: 'P', filter: { attr: 'name', eq: 'C' }, limit: 10 })),
      ).toEqual(['c']);
      // Limits count the rows read, as DynamoDB's: pages that end on a Dog go on after it.
      expect(
        await sortKeysByPage((cursor) =>
          Cat.query({ partition: 'P', limit: 2, ...(cursor ? { cursor } : {}) }),
        ),
      ).toEqual([['a'], ['c'], []]);
      expect(
        await sortKeysByPage((cursor) => Cat.scan({ limit: 1, ...(cursor ? { cursor } : {}) })),
      ).toEqual([['a'], [], ['c'], [], [], []]);
      expect(
        (
          await Cat.getMany([
            { pk: 'P', sk: 'a' },
            { pk: 'P', sk: 'b' },
            { pk: 'P', sk: 'c' },
            { pk: 'P', sk: 'd' },
          ])
        ).map((cat) => cat?.sk),
      ).toEqual(['a', undefined, 'c', undefined]);
      expect(await Cat.get({ pk: 'P', sk: 'b' })).toBeUndefined();
      const named = (sk: string) => ({
        code: 'BACKEND_ERROR',
        status: 500,
        message: expect.stringContaining(
          `a stored item of table pets (key {pk="P", sk="${sk}"}) cannot be read: PostgreSQL cannot read it (`,
        ),
      });
      // The Dog's own pages and batches refuse its row, named, never the request's fault.
      await expect(Dog.query({ partition: 'P' })).rejects.toMatchObject(named('b'));
      await expect(Dog.query({ partition: 'P', limit: 10 })).rejects.toMatchObject(named('b'));
      await expect(
        Dog.query({ partition: 'P', limit: 10, sort: { gt: 'c' } }),
      ).rejects.toMatchObject(named('d'));
      await expect(Dog.scan({ limit: 10 })).rejects.toMatchObject(named('b'));
      await expect(
        Dog.getMany([
          { pk: 'P', sk: 'd' },
          { pk: 'P', sk: 'f' },
        ]),
      ).rejects.toMatchObject(named('d'));
      // A Cat of its own jsonb refuses fails the Cat's pages that meet it, named.
      await insert('e', '{"pk":"P","sk":"e","kind":"Cat","name":"a\\ud800b"}');
      await expect(Cat.query({ partition: 'P', limit: 10 })).rejects.toMatchObject(named('e'));
      await expect(Cat.scan()).rejects.toMatchObject(named('e'));
      await expect(
        Cat.getMany([
          { pk: 'P', sk: 'a' },
          { pk: 'P', sk: 'e' },
        ]),
      ).rejects.toMatchObject(named('e'));
      expect(sks(await Cat.query({ partition: 'P', limit: 10, sort: { lt: 'e' } }))).toEqual([
        'a',
        'c',
      ]);
      // Writes through the Cat are settled by the Dog's key and discriminator: never changed.
      const dog = { pk: 'P', sk: 'b' };
      await expect(Cat.update(dog, { set: { name: 'U' } })).rejects.toMatchObject({
        code: 'ITEM_NOT_FOUND',
      });
      expect(await Cat.delete(dog)).toBe(false);
      await expect(Cat.create(dog)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(Dog.update(dog, { set: { name: 'U' } })).rejects.toMatchObject(named('b'));
      // Nothing was changed.
      const rows = await engine
        .sql()
        .query(`SELECT sk, item::text AS item FROM "${tables}pets" ORDER BY sk`);
      expect(rows.map((row) => row.sk)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      expect(rows[1]!.item).toBe('{"pk":"P","sk":"b","kind":"Dog","name":"a\\u0000b"}');
    });

    it('a json item column: a conditional write over an item jsonb refuses is refused unless its key settles it, the row unchanged', async () => {
      const tables = prefix();
      await createJsonProfiles(engine, tables);
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      const item = '{"profile_id":"nul","name":"a\\u0000b"}';
      await engine
        .sql()
        .query(`INSERT INTO "${tables}profiles" (profile_id, item) VALUES ('nul', $1::json)`, [
          item,
        ]);
      const unreadable = {
        code: 'BACKEND_ERROR',
        message: expect.stringContaining(
          'a stored item of table profiles (key {profile_id="nul"})',
        ),
      };
      await expect(
        new Profile({ profile_id: 'nul', name: 'S' }).save({
          condition: { attr: 'name', eq: 'x' },
        }),
      ).rejects.toMatchObject(unreadable);
      await expect(
        Profile.delete('nul', { condition: { attr: 'name', exists: true } }),
      ).rejects.toMatchObject(unreadable);
      await expect(
        api.transaction((transaction) => {
          transaction.check(Profile, 'nul', { attr: 'name', exists: true });
        }),
      ).rejects.toMatchObject(unreadable);
      const [row] = await engine
        .sql()
        .query(`SELECT item::text AS item FROM "${tables}profiles" WHERE profile_id = 'nul'`);
      expect(row?.item).toBe(item);
    });

    it('a json item column holding an object that names a member twice (any depth, escaped or not): a BackendError naming the row, on every read; presence answered, nothing written over it', async () => {
      const tables = prefix();
      await createJsonProfiles(engine, tables);
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      // json keeps both members; jsonb (and JSON.parse) the last alone.
      const stored: Record<string, string> = {
        dup: '{"profile_id":"dup","name":"a","name":"b"}',
        esc: '{"profile_id":"esc","name":"a","n\\u0061me":"b"}',
        deep: '{"profile_id":"deep","list":[{"x":1},{"x":1,"y":{"z":[],"z":{}}}]}',
      };
      await insertJsonItems(engine, tables, stored);
      // The same name in two objects is no duplicate.
      await engine
        .sql()
        .query(
          `INSERT INTO "${tables}profiles" (profile_id, item) VALUES ('ok', '{"profile_id":"ok","name":"Ok","a":{"name":1},"b":[{"name":2},{"name":3}]}'::json)`,
        );
      const unreadable = (id: string, pointer: string) => ({
        code: 'BACKEND_ERROR',
        status: 500,
        message: expect.stringContaining(
          `a stored item of table profiles (key {profile_id="${id}"}) cannot be read exactly: the stored item names one member twice (at ${pointer})`,
        ),
      });
      const pointers: Record<string, string> = { dup: '/name', esc: '/name', deep: '/list/1/y/z' };
      for (const [id, pointer] of Object.entries(pointers)) {
        await expect(Profile.load(id)).rejects.toMatchObject(unreadable(id, pointer));
        await expect(Profile.get(id)).rejects.toMatchObject(unreadable(id, pointer));
        // Presence needs no item, as for any row that cannot be read exactly.
        expect(await Profile.exists(id)).toBe(true);
        await expect(Profile.update(id, { set: { name: 'U' } })).rejects.toMatchObject(
          unreadable(id, pointer),
        );
        await expect(
          new Profile({ profile_id: id, name: 'S' }).save({
            condition: { attr: 'name', exists: true },
          }),
        ).rejects.toMatchObject(unreadable(id, pointer));
        await expect(
          Profile.delete(id, { condition: { attr: 'name', exists: true } }),
        ).rejects.toMatchObject(unreadable(id, pointer));
        await expect(
          api.transaction((transaction) => {
            transaction.update(Profile, id, { set: { name: 'U' } });
          }),
        ).rejects.toMatchObject(unreadable(id, pointer));
        await expect(Profile.create({ profile_id: id, name: 'C' })).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
        });
      }
      // A page or a batch that meets one fails whole, naming the first it meets.
      expect((await Profile.load('ok')).a).toEqual({ name: 1 });
      await expect(Profile.scan({ limit: 10 })).rejects.toMatchObject(
        unreadable('deep', '/list/1/y/z'),
      );
      await expect(Profile.scan()).rejects.toMatchObject(unreadable('deep', '/list/1/y/z'));
      await expect(Profile.getMany(['ok', 'esc'])).rejects.toMatchObject(
        unreadable('esc', '/name'),
      );
      await expect(Profile.getMany(['dup'])).rejects.toMatchObject(unreadable('dup', '/name'));
      expect((await Profile.getMany(['ok'])).map((profile) => profile?.name)).toEqual(['Ok']);
      // Nothing was written over them.
      const rows = await engine
        .sql()
        .query(`SELECT profile_id, item::text AS item FROM "${tables}profiles" ORDER BY 1`);
      expect(rows.filter((row) => row.profile_id !== 'ok')).toEqual(
        Object.entries(stored)
          .sort(([left], [right]) => (left < right ? -1 : 1))
          .map(([profile_id, item]) => ({ profile_id, item })),
      );
      // A delete needs no item.
      expect(await Profile.delete('dup')).toBe(true);
      expect(await Profile.exists('dup')).toBe(false);
    });

    it('an item_types column of type json naming a pointer twice: the item cannot be read exactly, nothing written over it', async () => {
      const tables = prefix();
      await engine
        .sql()
        .query(
          `CREATE TABLE "${tables}profiles" (profile_id text COLLATE "C" PRIMARY KEY, item jsonb NOT NULL, item_types json)`,
        );
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      await engine
        .sql()
        .query(
          `INSERT INTO "${tables}profiles" (profile_id, item, item_types) VALUES ('t', '{"profile_id":"t","name":"T","photo":"QQ=="}', '{"/photo":"B","/photo":"B"}'::json), ('u', '{"profile_id":"u","name":"U","photo":"QQ=="}', '{"/photo":"B"}'::json)`,
        );
      const unreadable = {
        code: 'BACKEND_ERROR',
        message: expect.stringContaining(
          'a stored item of table profiles (key {profile_id="t"}) cannot be read exactly: its item_types names one member twice (at /~1photo)',
        ),
      };
      expect((await Profile.load('u')).photo).toEqual(new Uint8Array([65]));
      await expect(Profile.load('t')).rejects.toMatchObject(unreadable);
      await expect(Profile.update('t', { set: { name: 'U' } })).rejects.toMatchObject(unreadable);
      await expect(Profile.scan({ limit: 10 })).rejects.toMatchObject(unreadable);
      await expect(Profile.getMany(['u', 't'])).rejects.toMatchObject(unreadable);
      const [row] = await engine
        .sql()
        .query(`SELECT item_types::text AS types FROM "${tables}profiles" WHERE profile_id = 't'`);
      expect(row?.types).toBe('{"/photo":"B","/photo":"B"}');
    });

    it("a json item column on a table models share: another model's row naming a member twice is left out of its pages and batches; the model's own fails them, named", async () => {
      const { tables, insert, Cat, Dog } = await openJsonPetsOn(engine);
      await insert('a', '{"pk":"P","sk":"a","kind":"Cat","name":"A"}');
      await insert('b', '{"pk":"P","sk":"b","kind":"Dog","name":"B","name":"b"}');
      await insert('c', '{"pk":"P","sk":"c","kind":"Cat","name":"C"}');
      const sks = (page: { items: { sk: string }[] }) => page.items.map((item) => item.sk);
      expect(sks(await Cat.query({ partition: 'P' }))).toEqual(['a', 'c']);
      expect(sks(await Cat.query({ partition: 'P', limit: 10 }))).toEqual(['a', 'c']);
      expect(sks(await Cat.scan({ limit: 10 }))).toEqual(['a', 'c']);
      expect(
        (
          await Cat.getMany([
            { pk: 'P', sk: 'a' },
            { pk: 'P', sk: 'b' },
          ])
        ).map((cat) => cat?.sk),
      ).toEqual(['a', undefined]);
      expect(await Cat.get({ pk: 'P', sk: 'b' })).toBeUndefined();
      const named = {
        code: 'BACKEND_ERROR',
        message: expect.stringContaining(
          'a stored item of table pets (key {pk="P", sk="b"}) cannot be read exactly: the stored item names one member twice (at /name)',
        ),
      };
      await expect(Dog.query({ partition: 'P' })).rejects.toMatchObject(named);
      await expect(Dog.query({ partition: 'P', limit: 10 })).rejects.toMatchObject(named);
      await expect(Dog.get({ pk: 'P', sk: 'b' })).rejects.toMatchObject(named);
      await expect(Dog.getMany([{ pk: 'P', sk: 'b' }])).rejects.toMatchObject(named);
      await expect(Dog.update({ pk: 'P', sk: 'b' }, { set: { name: 'U' } })).rejects.toMatchObject(
        named,
      );
      await expect(Cat.update({ pk: 'P', sk: 'b' }, { set: { name: 'U' } })).rejects.toMatchObject({
        code: 'ITEM_NOT_FOUND',
      });
      const [row] = await engine
        .sql()
        .query(`SELECT item::text AS item FROM "${tables}pets" WHERE sk = 'b'`);
      expect(row?.item).toBe('{"pk":"P","sk":"b","kind":"Dog","name":"B","name":"b"}');
      // Beside another model's row jsonb refuses, which pages read again as their column holds
      // them: the row naming a member twice is still seen, the Cat's own named.
      await insert('d', '{"pk":"P","sk":"d","kind":"Dog","name":"a\\u0000b"}');
      expect(sks(await Cat.query({ partition: 'P', limit: 10 }))).toEqual(['a', 'c']);
      expect(sks(await Cat.scan())).toEqual(['a', 'c']);
      await insert('e', '{"pk":"P","sk":"e","kind":"Cat","a":{"b":1,"b":1}}');
      const cats = {
        code: 'BACKEND_ERROR',
        message: expect.stringContaining(
          'a stored item of table pets (key {pk="P", sk="e"}) cannot be read exactly: the stored item names one member twice (at /a/b)',
        ),
      };
      await expect(Cat.query({ partition: 'P', limit: 10 })).rejects.toMatchObject(cats);
      await expect(Cat.scan()).rejects.toMatchObject(cats);
    });

    it('a json item column on a table models share: a row naming its discriminator twice is of no model for sure (PostgreSQL and JSON.parse take the last, other readers the first): every read and conditional write refuses it, named, for each model; nothing written', async () => {
      const { tables, insert, Cat, Dog } = await openJsonPetsOn(engine);
      await insert('a', '{"pk":"P","sk":"a","kind":"Cat","name":"A"}');
      const twice: Record<string, string> = {
        x: '{"pk":"P","sk":"x","kind":"Cat","name":"X","kind":"Dog"}',
        y: '{"pk":"P","sk":"y","kind":"Dog","name":"Y","k\u0069nd":"Cat"}',
      };
      for (const [sk, item] of Object.entries(twice)) await insert(sk, item);
      // PostgreSQL's own reading agrees with JSON.parse (the last), which is why neither decides.
      const [seen] = await engine
        .sql()
        .query(`SELECT item->>'kind' AS kind FROM "${tables}pets" WHERE sk = 'x'`);
      expect(seen?.kind).toBe('Dog');
      for (const sk of Object.keys(twice)) {
        const named = {
          code: 'BACKEND_ERROR',
          message: expect.stringContaining(
            `a stored item of table pets (key {pk="P", sk="${sk}"}) cannot be read exactly: the stored item names one member twice (at /kind)`,
          ),
        };
        for (const Pet of [Cat, Dog]) {
          const key = { pk: 'P', sk };
          await expect(Pet.get(key)).rejects.toMatchObject(named);
          await expect(Pet.exists(key)).rejects.toMatchObject(named);
          await expect(Pet.getMany([key])).rejects.toMatchObject(named);
          await expect(
            Pet.delete(key, { condition: { attr: 'pk', exists: true } }),
          ).rejects.toMatchObject(named);
          await expect(Pet.update(key, { set: { name: 'U' } })).rejects.toMatchObject(named);
        }
      }
      const first = {
        code: 'BACKEND_ERROR',
        message: expect.stringContaining('(key {pk="P", sk="x"}) cannot be read exactly'),
      };
      for (const Pet of [Cat, Dog]) {
        await expect(Pet.query({ partition: 'P' })).rejects.toMatchObject(first);
        await expect(Pet.query({ partition: 'P', limit: 10 })).rejects.toMatchObject(first);
        await expect(Pet.scan()).rejects.toMatchObject(first);
      }
      const rows = await engine
        .sql()
        .query(`SELECT sk, item::text AS item FROM "${tables}pets" ORDER BY sk`);
      expect(rows.map((row) => [row.sk, row.item])).toEqual([
        ['a', '{"pk":"P","sk":"a","kind":"Cat","name":"A"}'],
        ['x', twice.x],
        ['y', twice.y],
      ]);
    });

    it('an item column a DBA alters from jsonb to json after the backend checked the table: the next request fails, nothing read or written, and the table is checked again; a member named twice is then refused, never read as its last alone nor written back so', async () => {
      const tables = prefix();
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      await Profile.create({ profile_id: 'p0', name: 'first' });
      expect((await Profile.load('p0')).name).toBe('first');
      expect((await Profile.scan()).items).toHaveLength(1);
      await engine
        .sql()
        .query(`ALTER TABLE "${tables}profiles" ALTER COLUMN item TYPE json USING item::json`);
      const stored = '{"profile_id":"p1","name":"a","name":"b"}';
      await insertJsonItems(engine, tables, { p1: stored });
      const retyped = {
        code: 'BACKEND_ERROR',
        message: expect.stringContaining(
          "the table's item column is no longer of type jsonb (altered since the backend checked the table)",
        ),
      };
      await expect(Profile.load('p1')).rejects.toMatchObject(retyped);
      const twice = {
        code: 'BACKEND_ERROR',
        message: expect.stringContaining(
          'a stored item of table profiles (key {profile_id="p1"}) cannot be read exactly: the stored item names one member twice (at /name)',
        ),
      };
      await expect(Profile.load('p1')).rejects.toMatchObject(twice);
      await expect(Profile.update('p1', { set: { tags: ['t'] } })).rejects.toMatchObject(twice);
      await expect(Profile.scan()).rejects.toMatchObject(twice);
      expect((await Profile.load('p0')).name).toBe('first');
      const [row] = await engine
        .sql()
        .query(`SELECT item::text AS item FROM "${tables}profiles" WHERE profile_id = 'p1'`);
      expect(row?.item).toBe(stored);
      // Pages and batches of a backend that checked the table before meet it alike.
      const other = await open(createPostgresBackend({ client: engine.backend().client }), tables);
      expect((await other.Profile.load('p0')).name).toBe('first');
      await engine
        .sql()
        .query(`ALTER TABLE "${tables}profiles" ALTER COLUMN item TYPE jsonb USING item::jsonb`);
      expect((await other.Profile.load('p0')).name).toBe('first');
    });

    it("only a table whose item column is json reads its text as it holds it: a jsonb table's reads are unchanged", async () => {
      const tables = prefix();
      const { statements, recording } = recordingBackend(engine);
      const { api, Profile } = await open(recording, tables);
      await recording.ensureTables(api.tables());
      await Profile.create({ profile_id: 'j', name: 'J' });
      statements.length = 0;
      await Profile.load('j');
      await Profile.scan({ limit: 10 });
      await Profile.scan();
      await Profile.getMany(['j']);
      await Profile.update('j', { set: { name: 'K' } });
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((text) => text.includes('item::text'))).toEqual([]);
    });

    it('a json item column: when the read of an item jsonb refuses as its column holds it fails too, that failure is the answer, not a guess', async () => {
      const tables = prefix();
      await createJsonProfiles(engine, tables);
      await engine
        .sql()
        .query(
          `INSERT INTO "${tables}profiles" (profile_id, item) VALUES ('nul', '{"profile_id":"nul","name":"a\\u0000b"}'::json)`,
        );
      // A client whose reads of the column as it is (no jsonb cast) lose their connection.
      const client = engine.backend().client;
      const lost = Object.assign(new Error('Connection terminated unexpectedly'), {});
      const faulty = createPostgresBackend({
        client: {
          ...client,
          query: (text, parameters) =>
            text.includes('item::text AS item') && !text.includes('::jsonb::text')
              ? Promise.reject(lost)
              : client.query(text, parameters),
          transaction: (work) => client.transaction(work),
          close: () => client.close(),
        },
      });
      const { api, Profile } = await open(faulty, tables);
      await faulty.ensureTables(api.tables());
      for (const read of [() => Profile.exists('nul'), () => Profile.get('nul')]) {
        const error = (await read().catch((caught: unknown) => caught)) as Error;
        expect(error).toBeInstanceOf(Error);
        expect(error.message).not.toContain('cannot be read');
        expect(error.cause).toBe(lost);
      }
    });

    it('a json item column: a delete a trigger skips over an item jsonb refuses says the row is still there, not the request', async () => {
      const tables = prefix();
      await createJsonProfiles(engine, tables);
      await engine
        .sql()
        .query(
          `CREATE FUNCTION "${tables}keep"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
        );
      await engine
        .sql()
        .query(
          `CREATE TRIGGER keep BEFORE DELETE ON "${tables}profiles" FOR EACH ROW EXECUTE FUNCTION "${tables}keep"()`,
        );
      const item = '{"profile_id":"nul","name":"a\\u0000b"}';
      await engine
        .sql()
        .query(`INSERT INTO "${tables}profiles" (profile_id, item) VALUES ('nul', $1::json)`, [
          item,
        ]);
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      await expect(Profile.delete('nul')).rejects.toMatchObject({
        code: 'BACKEND_ERROR',
        message: expect.stringContaining('the row is still there'),
      });
      const [row] = await engine
        .sql()
        .query(`SELECT item::text AS item FROM "${tables}profiles" WHERE profile_id = 'nul'`);
      expect(row?.item).toBe(item);
    });

    it('a json item column: a save a trigger skips says the item was not stored, a saveMany returns the item unprocessed; neither outcome is unknown', async () => {
      const tables = prefix();
      await createJsonProfiles(engine, tables);
      await engine
        .sql()
        .query(
          `CREATE FUNCTION "${tables}skip"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.profile_id LIKE 'skip%' THEN RETURN NULL; END IF; RETURN NEW; END $$`,
        );
      await engine
        .sql()
        .query(
          `CREATE TRIGGER skip BEFORE INSERT OR UPDATE ON "${tables}profiles" FOR EACH ROW EXECUTE FUNCTION "${tables}skip"()`,
        );
      const { api, Profile } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      const notStored = {
        code: 'BACKEND_ERROR',
        message: expect.stringContaining('the item was not stored under its key'),
      };
      await expect(new Profile({ profile_id: 'skip1', name: 'S' }).save()).rejects.toMatchObject(
        notStored,
      );
      const batch = (await Profile.saveMany([
        { profile_id: 'kept', name: 'K' },
        { profile_id: 'skip2', name: 'S' },
      ]).catch((caught: unknown) => caught)) as BatchIncompleteError;
      expect(batch).toBeInstanceOf(BatchIncompleteError);
      expect(batch.unconfirmed).toEqual([]);
      expect(batch.unprocessed.map((entry) => entry.key)).toEqual([{ profile_id: 'skip2' }]);
      expect((await Profile.load('kept')).name).toBe('K');
      // A write the trigger lets through lands and reads back.
      await new Profile({ profile_id: 'fine', name: 'F' }).save();
      expect((await Profile.load('fine')).name).toBe('F');
    });

    it('a number no JavaScript number holds exactly fails an aggregated page too', async () => {
      const tables = prefix();
      const { api, Message } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      await Message.create({ channel: 'q', sent: '1' });
      await engine
        .sql()
        .query(
          `INSERT INTO "${tables}messages" (channel, sent, item) VALUES ('q', '2', '{"channel":"q","sent":"2","score":0.12345678901234567890123}')`,
        );
      // The message says which row of the page, and where in its item.
      const failure = {
        code: 'BACKEND_ERROR',
        message: expect.stringMatching(/\{channel="q", sent="2"\}.*\(at \/score\)/),
      };
      await expect(Message.query({ partition: 'q', limit: 10 })).rejects.toMatchObject(failure);
      await expect(Message.query({ partition: 'q' })).rejects.toMatchObject(failure);
      await expect(Message.load({ channel: 'q', sent: '2' })).rejects.toMatchObject(failure);
      // P-88: where in the item, by a map key another client chose, is shown escaped.
      await engine
        .sql()
        .query(
          `INSERT INTO "${tables}messages" (channel, sent, item) VALUES ('r', '1', '{"channel":"r","sent":"1","meta":{"a\u2028b\u202ec":0.12345678901234567890123}}')`,
        );
      const named = (await Message.load({ channel: 'r', sent: '1' }).catch(
        (caught: unknown) => caught,
      )) as Error;
      expect(named).toMatchObject({ code: 'BACKEND_ERROR' });
      expect(named.message).not.toMatch(/[\u2028\u202e]/);
      expect(named.message).toContain('(at /meta/a\\u2028b\\u202ec)');
    });

    it('a write that needs no more than presence succeeds over a row it cannot read, in a transaction too', async () => {
      const tables = prefix();
      const { api, Message } = await open(engine.backend(), tables);
      await engine.backend().ensureTables(api.tables());
      // Rows of another client: a number no JavaScript number holds exactly, and an item that
      // names another key than its key columns.
      await engine.sql().query(
        `INSERT INTO "${tables}messages" (channel, sent, item) VALUES
           ('u', '1', '{"channel":"u","sent":"1","score":0.12345678901234567890123}'),
           ('u', '2', '{"channel":"u","sent":"2","score":0.12345678901234567890123}'),
           ('u', '3', '{"channel":"u","sent":"3","score":0.12345678901234567890123}'),
           ('u', '4', '{"channel":"u","sent":"elsewhere"}'),
           ('u', '5', '{"channel":"u","sent":"5","score":0.12345678901234567890123}')`,
      );
      const key = (sent: string) => ({ channel: 'u', sent });
      await api.transaction((transaction) => {
        transaction.delete(Message, key('1'));
        transaction.save(new Message({ channel: 'u', sent: '2', author: 'ann' }));
        transaction.delete(Message, key('4'));
      });
      await expect(Message.create({ channel: 'u', sent: '3' })).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
        status: 409,
      });
      await expect(
        api.transaction((transaction) => {
          transaction.create(new Message({ channel: 'u', sent: '5' }));
        }),
      ).rejects.toMatchObject({ code: 'TRANSACTION_CANCELED' });
      // A condition on another attribute needs the item: that stays a BackendError.
      await expect(
        api.transaction((transaction) => {
          transaction.check(Message, key('3'), { attr: 'score', exists: true });
        }),
      ).rejects.toMatchObject({ code: 'BACKEND_ERROR' });
      const rows = await engine
        .sql()
        .query(`SELECT sent, item::text AS item FROM "${tables}messages" ORDER BY sent`);
      expect(rows.map((row) => [row.sent, JSON.parse(row.item as string).author])).toEqual([
        ['2', 'ann'],
        ['3', undefined],
        ['5', undefined],
      ]);
    });

    it('ensureTables adds a missing index, generated from the stored items', async () => {
      const tables = prefix();
      const before = await open(engine.backend(), tables, false);
      await engine.backend().createTables(before.api.tables());
      await before.Message.create({ channel: 'c', sent: '1', author: 'ann', score: 2 });
      await before.Message.create({ channel: 'c', sent: '2', author: 'ann', score: 1 });
      await before.Message.create({ channel: 'c', sent: '3' });
      const after = await open(engine.backend(), tables, true);
      await engine.backend().ensureTables(after.api.tables());
      const page = await after.Message.query({ index: 'byAuthor', partition: 'ann' });
      expect(page.items.map((message) => message.sent)).toEqual(['2', '1']);
      await engine.backend().ensureTables(after.api.tables());
      // Inserting into a generated column is refused: plain SQL sets keys, item and item_types.
      await expect(
        engine
          .sql()
          .query(
            `INSERT INTO "${tables}messages" (channel, sent, author, item) VALUES ('c', '4', 'ann', '{}')`,
          ),
      ).rejects.toThrow(/non-DEFAULT value into column "author"/);
    });

    it('ensureTables refuses a table whose key differs from the spec, naming the difference', async () => {
      const tables = prefix();
      await engine
        .sql()
        .query(
          `CREATE TABLE "${tables}profiles" (id text PRIMARY KEY, item jsonb NOT NULL, item_types jsonb)`,
        );
      const { api } = await open(engine.backend(), tables);
      const error = await engine
        .backend()
        .ensureTables(api.tables())
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual([
        'primary key: table has (id text COLLATE "default"), spec has (profile_id text COLLATE "C")',
      ]);
    });
  });
}
