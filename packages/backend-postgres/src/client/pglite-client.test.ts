import { inspect } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { BackendError, loadApi } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../postgres-backend.js';
import { createPGliteClient } from './pglite-client.js';

// PGlite's errors carry the statement's parameters (`params`), which node-postgres's do not:
// the item written, a `format: password` property's value included. A failure's `cause` is
// what a log writes (@macaron/fastify logs a 5xx's cause; pino's serializer, JSON.stringify and
// util.inspect write an error's enumerable properties).
let database: PGlite;
beforeAll(async () => {
  database = await PGlite.create();
});
afterAll(() => database.close());

const password = 'correct-horse-battery-staple';

describe('a PGlite error', () => {
  it("keeps the statement's parameters out of what a log writes of it, in a statement and in a transaction", async () => {
    const client = createPGliteClient(database);
    const failures = [
      await client.query('SELECT $1::text, 1 / 0', [password]).catch((error: unknown) => error),
      await client
        .transaction((transaction) => transaction.query('SELECT $1::text, 1 / 0', [password]))
        .catch((error: unknown) => error),
    ];
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(Error);
      // Still there for code that asks for it.
      expect((failure as { params?: unknown }).params).toEqual([password]);
      expect(JSON.stringify(failure)).not.toContain(password);
      expect(inspect(failure, { depth: 10 })).not.toContain(password);
      expect(Object.keys(failure as object)).not.toContain('params');
    }
  });

  it("behind a write's BackendError (a trigger's error of its own) does not log the item written", async () => {
    const backend = createPostgresBackend({ pglite: database });
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'accounts', version: '1' },
        paths: {},
        components: {
          schemas: {
            Account: {
              type: 'object',
              required: ['id'],
              'x-persist': { table: 'accounts', key: 'id' },
              properties: {
                id: { type: 'string' },
                password: { type: 'string', format: 'password', writeOnly: true },
              },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    await database.exec(`
      CREATE FUNCTION refuse_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'no accounts today' USING ERRCODE = 'P0002'; END $$;
      CREATE TRIGGER refuse BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION refuse_accounts();
    `);
    const failure = await api
      .persistent('Account')
      .create({ id: 'ann', password })
      .then(
        () => undefined,
        (error: unknown) => error as BackendError,
      );
    expect(failure).toBeInstanceOf(BackendError);
    expect(failure?.cause).toMatchObject({ code: 'P0002' });
    expect(JSON.stringify(failure?.cause)).not.toContain(password);
    expect(inspect(failure, { depth: 10 })).not.toContain(password);
  });
});

describe("a PGlite database with parsers and serializers of the app's", () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'pglite types', version: '1' },
    paths: {},
    components: {
      schemas: {
        Note: {
          type: 'object',
          required: ['id'],
          'x-persist': {
            table: 'typed_notes',
            key: 'id',
            version: 'rev',
            indexes: { byTag: { key: 'tag', sort: 'id' } },
          },
          properties: {
            id: { type: 'string' },
            tag: { type: 'string' },
            n: { type: 'integer' },
            rev: { type: 'integer' },
          },
        },
      },
    },
  };

  // Every kind of operation, and what each answered (errors as their codes), with the rows stored.
  async function everyOperation(pglite: PGlite, prefix: string): Promise<unknown[]> {
    const backend = createPostgresBackend({ pglite });
    const api = await loadApi(spec, { backend, tablePrefix: prefix });
    const Note = api.persistent<{ id: string; tag?: string; n?: number; rev?: number }>('Note');
    const answers: unknown[] = [];
    const record = async (call: () => Promise<unknown>) =>
      answers.push(
        await call().then(
          (value) =>
            JSON.parse(
              JSON.stringify(value ?? null, (name, member) =>
                name === 'table' ? undefined : member,
              ),
            ) as unknown,
          (error: { code?: string }) => ({ error: error.code ?? String(error) }),
        ),
      );
    await record(async () => (await backend.ensureTables(api.tables())).map((c) => c.action));
    await record(async () => (await backend.planTables(api.tables())).map((p) => p.changes));
    await record(() => Note.create({ id: 'Ann é', tag: 'T', n: 1 }));
    await record(() => Note.create({ id: 'Ann é' }));
    await record(() => Note.load('Ann é'));
    await record(() => Note.exists('none'));
    await record(() => Note.update('Ann é', { add: { n: 1 } }));
    await record(async () => (await Note.query({ index: 'byTag', partition: 'T' })).items);
    await record(() =>
      api.transaction((transaction) => {
        transaction.create(new Note({ id: 'b' }));
      }),
    );
    await record(() => Note.delete('b'));
    await record(() => Note.getMany(['Ann é', 'b']));
    await record(async () => (await Note.scan({ limit: 1 })).items);
    // What is stored, read without the app's parsers.
    answers.push(
      (
        await pglite.query(`SELECT id, item::text AS item FROM ${prefix}typed_notes`, [], {
          parsers: { 25: (text: string) => text },
        })
      ).rows,
    );
    return answers;
  }

  it('answers every operation, and stores, as with PGlite’s own; the app’s statements keep them', async () => {
    const expected = await everyOperation(database, 'plain_');
    const app = await PGlite.create({
      parsers: {
        16: (text: string) => text,
        19: (text: string) => ({ name: text }),
        23: (text: string) => BigInt(text),
        25: (text: string) => ({ text }),
      },
      serializers: { 25: (value: unknown) => String(value).toUpperCase() },
    });
    try {
      expect(await everyOperation(app, 'plain_')).toEqual(expected);
      expect((await app.query(`SELECT true AS yes, $1::text AS words`, ['a'])).rows).toEqual([
        { yes: 't', words: { text: 'A' } },
      ]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
