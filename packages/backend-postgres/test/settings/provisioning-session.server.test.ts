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
