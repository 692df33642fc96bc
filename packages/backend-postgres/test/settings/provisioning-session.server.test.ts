import { loadApi, ThrottledError, UnsupportedOperationError } from '@macaron/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 2 });

const spec = {
  openapi: '3.0.3',
  info: { title: 'session', version: '1' },
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
};

async function attempt(options: string, prefix: string, before?: () => Promise<void>) {
  const pool = new pg.Pool({ connectionString: engine().server.connectionString, max: 1, options });
  pool.on('error', () => undefined);
  const backend = createPostgresBackend({ pool });
  try {
    const api = await loadApi(spec, { backend, tablePrefix: prefix });
    await before?.();
    return await backend.ensureTables(api.tables()).then(
      () => undefined,
      (failure: unknown) => failure,
    );
  } finally {
    await backend.close();
    await pool.end();
  }
}

// Probe 307: session settings a DBA sets, met by ensureTables on a table still to be made.
describe('ensureTables under session settings', () => {
  it('default_transaction_read_only: an UnsupportedOperationError, as for a table that exists', async () => {
    const error = await attempt('-c default_transaction_read_only=on', 'ro_session_');
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as Error).message).toContain('read-only');
  });

  // Probe 327: every error would end the session, so node-postgres loses the server's answer
  // ("Connection terminated unexpectedly"): a refused write read as one whose outcome is unknown.
  it('exit_on_error: an UnsupportedOperationError naming it, for a table to make and one that exists; nothing made', async () => {
    const error = await attempt('-c exit_on_error=on', 'exit_session_');
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as Error).message).toContain('exit_on_error');
    // Named as the call that was made (ensureTables plans every table first).
    expect((error as Error).message).toMatch(/^PostgreSQL ensureTables: /);
    const made = await engine().pool.query(`SELECT to_regclass('exit_session_notes') AS t`);
    expect(made.rows[0].t).toBeNull();
    expect(await attempt('', 'exit_existing_')).toBeUndefined();
    const existing = await attempt('-c exit_on_error=on', 'exit_existing_');
    expect(existing).toBeInstanceOf(UnsupportedOperationError);
    expect((existing as Error).message).toContain('exit_on_error');
  });

  it('lock_timeout met on the table lock: a ThrottledError, nothing made', async () => {
    const holder = await engine().pool.connect();
    try {
      await holder.query('BEGIN');
      // The advisory lock ensureTables takes per table (provision-tables.ts lockTable).
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))`, [
        'macaron:lock_session_notes',
      ]);
      const error = await attempt('-c lock_timeout=100', 'lock_session_');
      expect(error).toBeInstanceOf(ThrottledError);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    const made = await engine().pool.query(`SELECT to_regclass('lock_session_notes') AS t`);
    expect(made.rows[0].t).toBeNull();
  });
});

// Probe 327: an error at FATAL (every error, under exit_on_error; a hot standby's conflict with
// recovery) ends the session, but node-postgres answers the statement before the socket closes:
// the connection went back to the pool and failed the next, unrelated request.
describe('a statement the server answered by ending the session', () => {
  it('its connection is not reused: the next request on the pool succeeds', async () => {
    const prefix = 'fatal_session_';
    expect(await attempt('', prefix)).toBeUndefined();
    await engine().pool.query(
      `CREATE FUNCTION fatal_session_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM 1 / 0; RETURN OLD; END $$`,
    );
    await engine().pool.query(
      `CREATE TRIGGER refuse BEFORE DELETE ON fatal_session_notes FOR EACH ROW EXECUTE FUNCTION fatal_session_refuse()`,
    );
    await engine().pool.query(
      `INSERT INTO fatal_session_notes (id, item) VALUES ('kept', '{"id":"kept"}')`,
    );
    const pool = new pg.Pool({
      connectionString: engine().server.connectionString,
      max: 1,
      options: '-c exit_on_error=on',
    });
    pool.on('error', () => undefined);
    const backend = createPostgresBackend({ pool });
    try {
      const api = await loadApi(spec, { backend, tablePrefix: prefix });
      const Note = api.persistent<{ id: string }>('Note');
      await expect(Note.delete({ id: 'kept' })).rejects.toThrow('division by zero');
      await Note.saveMany([{ id: 'next' }]);
      expect((await Note.get({ id: 'next' }))?.id).toBe('next');
    } finally {
      await backend.close();
      await pool.end();
    }
  });
});

// Probe 364: exit_on_error is refused at provisioning, but a pool can have it on at runtime
// (used without ensureTables, or the role's setting changed since): every error then ends the
// session, answered at FATAL with its SQLSTATE, before the socket closes.
describe('a pool whose sessions have exit_on_error on at runtime', () => {
  it("a table's rule refusing a write is the same InvalidRequestError; a lock timeout is retried, then ThrottledError; another error makes no claim that nothing applied; no call succeeds wrongly, and the pool goes on", async () => {
    const prefix = 'exit_runtime_';
    expect(await attempt('', prefix)).toBeUndefined();
    const table = `${prefix}notes`;
    await engine().pool.query(
      `CREATE FUNCTION exit_runtime_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' THEN PERFORM 1 / 0; RETURN OLD; END IF; IF NEW.id LIKE 'bad%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`,
    );
    await engine().pool.query(
      `CREATE TRIGGER refuse BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION exit_runtime_refuse()`,
    );
    await engine().pool.query(
      `INSERT INTO ${table} (id, item) VALUES ('kept', '{"id":"kept"}'), ('locked', '{"id":"locked"}')`,
    );
    const pool = new pg.Pool({
      connectionString: engine().server.connectionString,
      max: 2,
      options: '-c exit_on_error=on -c lock_timeout=100',
    });
    pool.on('error', () => undefined);
    const backend = createPostgresBackend({ pool, maxAttempts: 2 });
    const holder = await engine().pool.connect();
    try {
      const api = await loadApi(spec, { backend, tablePrefix: prefix });
      const Note = api.persistent<{ id: string }>('Note');
      for (const write of [
        () => new Note({ id: 'bad1' }).save(),
        () => Note.create({ id: 'bad2' }),
        () => Note.saveMany([{ id: 'good' }, { id: 'bad3' }]),
      ])
        await expect(write()).rejects.toMatchObject({
          code: 'INVALID_REQUEST',
          message: expect.stringContaining('a trigger raised: refused'),
        });
      const refused = await Note.delete('kept').catch((caught: unknown) => caught);
      expect(refused).toMatchObject({ code: 'BACKEND_ERROR', notApplied: false });
      expect((refused as Error).message).toContain('division by zero');
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${table} WHERE id = 'locked' FOR UPDATE`);
      await expect(new Note({ id: 'locked' }).save()).rejects.toBeInstanceOf(ThrottledError);
      await holder.query('ROLLBACK');
      await Note.saveMany([{ id: 'next1' }, { id: 'next2' }]);
      expect(await Note.exists('kept')).toBe(true);
      expect(await Note.exists('good')).toBe(false);
      expect(await Note.exists('next2')).toBe(true);
    } finally {
      holder.release();
      await backend.close();
      await pool.end();
    }
  });
});
