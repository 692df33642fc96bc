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
