import { loadApi } from '@macaron/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { createInteropSpec } from './interop-spec.js';

const engine = useServerEngine({ poolSize: 2 });
let counter = 0;

// A json item column another client made holds what jsonb refuses, in a database whose encoding
// is not UTF8: the refusal (22P05 for `\u0000` and, in SQL_ASCII, any escape beyond ASCII) is
// the stored item's, not the request's, when the request holds only characters the encoding
// holds (SQL_ASCII converts nothing, so no request character is ever refused there).
describe('a json item column in a database that is not UTF8', () => {
  for (const encoding of ['SQL_ASCII', 'LATIN1'] as const)
    it(`${encoding}: an item jsonb refuses is a BackendError naming the row, presence answered; a key the encoding cannot hold stays the request's fault`, async () => {
      const database = `jsonenc_${encoding.toLowerCase()}_${Date.now()}_${++counter}`;
      await engine().pool.query(
        `CREATE DATABASE ${database} ENCODING '${encoding}' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
      );
      const url = new URL(engine().server.connectionString);
      url.pathname = `/${database}`;
      const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
      pool.on('error', () => undefined);
      try {
        const backend = createPostgresBackend({ pool });
        await pool.query(
          `CREATE TABLE "profiles" (profile_id text COLLATE "C" PRIMARY KEY, item json NOT NULL, item_types jsonb)`,
        );
        const api = await loadApi(createInteropSpec(false), { backend });
        await backend.ensureTables(api.tables());
        const Profile = api.persistent<Record<string, unknown>>('Profile');
        const stored: Record<string, string> = {
          nul: '{"profile_id":"nul","name":"a\\u0000b"}',
          ...(encoding === 'SQL_ASCII'
            ? { high: '{"profile_id":"high","name":"caf\\u00e9"}' }
            : {}),
        };
        for (const [id, item] of Object.entries(stored))
          await pool.query(`INSERT INTO "profiles" (profile_id, item) VALUES ($1, $2::json)`, [
            id,
            item,
          ]);
        await Profile.create({ profile_id: 'ok', name: 'Ok' });
        for (const id of Object.keys(stored)) {
          const unreadable = {
            code: 'BACKEND_ERROR',
            status: 500,
            message: expect.stringContaining(
              `a stored item of table profiles (key {profile_id="${id}"}) cannot be read`,
            ),
          };
          await expect(Profile.load(id)).rejects.toMatchObject(unreadable);
          expect(await Profile.exists(id)).toBe(true);
          await expect(Profile.update(id, { set: { name: 'U' } })).rejects.toMatchObject(
            unreadable,
          );
          await expect(Profile.create({ profile_id: id, name: 'C' })).rejects.toMatchObject({
            code: 'ALREADY_EXISTS',
          });
        }
        await expect(Profile.scan()).rejects.toMatchObject({
          code: 'BACKEND_ERROR',
          // The first such row of the page, named.
          message: expect.stringContaining(
            `a stored item of table profiles (key {profile_id="${Object.keys(stored).sort()[0]}"}) cannot be read`,
          ),
        });
        // A key the encoding cannot hold is the request's fault (LATIN1 converts; SQL_ASCII
        // takes the bytes as they are, so the key is simply not there).
        if (encoding === 'LATIN1')
          for (const request of [Profile.load('€'), Profile.create({ profile_id: '€', name: 'E' })])
            await expect(request).rejects.toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
        expect(await Profile.delete('nul')).toBe(true);
        expect((await Profile.load('ok')).name).toBe('Ok');
      } finally {
        await pool.end();
        await engine().pool.query(`DROP DATABASE ${database}`);
      }
    });
});

// A create whose insert waited for another client's insert of the same key, which committed an
// item jsonb refuses: the key is taken, read without its item.
describe('a json item column and a create racing a plain SQL insert of the same key', () => {
  it('the create is AlreadyExistsError, the row unchanged', async () => {
    const tables = `race${Date.now()}${++counter}_`;
    const item = '{"profile_id":"raced","name":"a\\u0000b"}';
    await engine().pool.query(
      `CREATE TABLE "${tables}profiles" (profile_id text COLLATE "C" PRIMARY KEY, item json NOT NULL, item_types jsonb)`,
    );
    const pool = new pg.Pool({ connectionString: engine().server.connectionString, max: 2 });
    pool.on('error', () => undefined);
    const holder = await engine().pool.connect();
    try {
      const backend = createPostgresBackend({ pool });
      const api = await loadApi(createInteropSpec(false), { backend, tablePrefix: tables });
      await backend.ensureTables(api.tables());
      const Profile = api.persistent<Record<string, unknown>>('Profile');
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO "${tables}profiles" (profile_id, item) VALUES ('raced', $1::json)`,
        [item],
      );
      // The create finds the key free (the insert is not committed), then its insert waits.
      const creating = Profile.create({ profile_id: 'raced', name: 'C' }).catch(
        (error: unknown) => error,
      );
      for (let waited = 0; ; waited++) {
        const [waiting] = (
          await engine().pool.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO%${tables}profiles%'`,
          )
        ).rows;
        if (waiting.n > 0) break;
        if (waited > 200) throw new Error('the create never waited for the insert');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await holder.query('COMMIT');
      expect(await creating).toMatchObject({ code: 'ALREADY_EXISTS', status: 409 });
      const { rows } = await engine().pool.query(
        `SELECT item::text AS item FROM "${tables}profiles"`,
      );
      expect(rows).toEqual([{ item }]);
    } finally {
      holder.release();
      await pool.end();
    }
  });
});
