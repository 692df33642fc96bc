import { BackendError, loadApi } from '@macaron/core';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 4 });

const spec = (table: string) => ({
  openapi: '3.0.3',
  info: { title: 'shared pool sessions', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': {
          table,
          key: 'id',
          version: 'rev',
          indexes: { byTag: { key: 'tag', sort: 'id' } },
        },
        properties: {
          id: { type: 'string' },
          tag: { type: 'string' },
          text: { type: 'string' },
          x: { type: 'number' },
          bytes: { type: 'string', format: 'binary' },
          rev: { type: 'integer' },
        },
      },
    },
  },
});

type Note = {
  id: string;
  tag?: string;
  text?: string;
  x?: number;
  bytes?: Uint8Array;
  rev?: number;
};

/**
 * A table made through the engine's pool, and a model on it through `pool`: a pool of the
 * app's own, one connection (`max: 1`), so that what the app leaves on its connection is what
 * the backend is lent.
 */
async function notesOn(pool: pg.Pool) {
  // The same table each time, made anew: the statements' texts are the same too, so the
  // process names no more of them (test files share a worker's modules, and its bound).
  const table = 'shared_notes';
  await engine().sql.query(`DROP TABLE IF EXISTS ${table}`);
  const made = createPostgresBackend({ pool: engine().pool });
  await made.ensureTables((await loadApi(spec(table), { backend: made })).tables());
  const backend = createPostgresBackend({ pool });
  const api = await loadApi(spec(table), { backend });
  const stored = async () =>
    (await engine().sql.query(`SELECT id, item::text AS item FROM "${table}" ORDER BY id`)).map(
      (row) => `${String(row.id)} ${String(row.item)}`,
    );
  return { api, backend, Note: api.persistent<Note>('Note'), stored };
}

// The app's own work on its pool's one connection, left as the app leaves it.
async function onTheConnection(pool: pg.Pool, ...statements: string[]): Promise<void> {
  const client = await pool.connect();
  for (const statement of statements) await client.query(statement).catch(() => undefined);
  client.release();
}

const refused = (reason: RegExp) =>
  expect.objectContaining({
    code: 'BACKEND_ERROR',
    notApplied: true,
    message: expect.stringMatching(reason),
  });

describe('a pool the app uses as well', () => {
  it('a connection given back inside a transaction the app began is refused, nothing sent, and closed: the backend neither joins nor commits it', async () => {
    const pool = engine().openPool({ max: 1 });
    const { api, Note, stored } = await notesOn(pool);
    await engine().sql.query('CREATE TABLE app_audit (line text)');
    for (const left of [
      ['BEGIN', `INSERT INTO app_audit VALUES ('half done')`],
      // A transaction failed: every statement is refused until it ends.
      ['BEGIN', 'SELECT 1/0'],
    ]) {
      await onTheConnection(pool, ...left);
      const error = await Note.create({ id: 'a', text: 'A' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect(error).toEqual(refused(/given back to it inside a transaction/));
      // Nothing of the app's half-done transaction was committed, nothing of the backend's.
      expect(await engine().sql.query('SELECT line FROM app_audit')).toEqual([]);
      expect(await stored()).toEqual([]);
      // The pool made a new connection for the next request.
      expect(await Note.exists('a')).toBe(false);
    }
    // A transaction of the backend's, and a read, are refused as well.
    await onTheConnection(pool, 'BEGIN');
    await expect(
      api.transaction((transaction) => {
        transaction.create(new Note({ id: 'b' }));
      }),
    ).rejects.toEqual(refused(/inside a transaction/));
    await onTheConnection(pool, 'BEGIN');
    await expect(Note.get('a')).rejects.toEqual(refused(/inside a transaction/));
    await Note.create({ id: 'a', text: 'A' });
    expect(await stored()).toEqual(['a {"id": "a", "rev": 1, "text": "A"}']);
  });

  it('a connection whose client_encoding the app changed is refused, before or after the backend first used it: no text is stored converted', async () => {
    const pool = engine().openPool({ max: 1 });
    const { backend, api, Note, stored } = await notesOn(pool);
    // Changed before the backend ever used the connection.
    await onTheConnection(pool, 'SET client_encoding = LATIN1');
    await expect(Note.create({ id: 'é', text: 'café' })).rejects.toEqual(
      refused(/its client_encoding is LATIN1/),
    );
    await expect(Note.get('é')).rejects.toEqual(refused(/its client_encoding is LATIN1/));
    await expect(backend.planTables(api.tables())).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: expect.stringMatching(/its client_encoding is LATIN1/),
    });
    expect(await stored()).toEqual([]);
    // Back as node-postgres set it: served.
    await onTheConnection(pool, 'SET client_encoding = UTF8');
    await Note.create({ id: 'é', text: 'café' });
    // Changed after: the server reports the change, and the next request is refused.
    await onTheConnection(pool, 'SET client_encoding = LATIN1');
    await expect(Note.update('é', { set: { text: 'thé' } })).rejects.toEqual(
      refused(/its client_encoding is LATIN1/),
    );
    await expect(
      api.transaction((transaction) => {
        transaction.update(Note, 'é', { set: { text: 'thé' } });
      }),
    ).rejects.toEqual(refused(/its client_encoding is LATIN1/));
    expect(await stored()).toEqual(['é {"id": "é", "rev": 1, "text": "café"}']);
  });

  it('session settings the app left on a connection change no answer', async () => {
    const scenario = async (pool: pg.Pool) => {
      const { api, Note } = await notesOn(pool);
      const answers: unknown[] = [];
      const record = async (call: () => Promise<unknown>) =>
        answers.push(
          await call().then(
            (value) => JSON.parse(JSON.stringify(value ?? null)) as unknown,
            (error: { code?: string }) => ({ error: error.code }),
          ),
        );
      const odd = { id: 'a\\b', tag: 'é\\x', text: "café 😀 \\n ' \u0001", x: 0.1 + 0.2 };
      await record(() => Note.create({ ...odd, bytes: new Uint8Array([0, 92, 255]) }));
      await record(() => Note.load('a\\b'));
      await record(() => Note.update('a\\b', { set: { x: 1e-7 }, add: { x: 0 } }));
      await record(() => Note.update('a\\b', { set: { x: 1.0000000000000002 } }));
      await record(async () => (await Note.query({ index: 'byTag', partition: 'é\\x' })).items);
      await record(async () => (await Note.scan({ limit: 1 })).items);
      await record(() => Note.getMany(['a\\b', 'none']));
      await record(() =>
        api.transaction((transaction) => {
          transaction.create(new Note({ id: 'c', tag: 'é\\x' }));
        }),
      );
      await record(() => Note.delete('c'));
      return answers;
    };
    const expected = await scenario(engine().openPool({ max: 1 }));
    for (const setting of [
      "SET TIME ZONE 'Asia/Kolkata'",
      'SET standard_conforming_strings = off',
      'SET bytea_output = escape',
      'SET extra_float_digits = 0',
      "SET DateStyle = 'SQL, DMY'",
      "SET default_transaction_isolation = 'serializable'",
      'SET intervalstyle = iso_8601',
      'SET backslash_quote = on',
      'SET transform_null_equals = on',
      'SET plan_cache_mode = force_generic_plan',
    ]) {
      const pool = engine().openPool({ max: 1 });
      await onTheConnection(pool, setting);
      expect({ setting, answers: await scenario(pool) }).toEqual({ setting, answers: expected });
    }
  });
});
