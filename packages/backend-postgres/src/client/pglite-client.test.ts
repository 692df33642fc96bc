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
