import { loadApi, UnsupportedOperationError } from '@macaron/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 2 });

const spec = {
  openapi: '3.0.3',
  info: { title: 'encoding', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'enc_notes', key: 'id' },
        properties: { id: { type: 'string' }, text: { type: 'string' } },
      },
    },
  },
};

describe('a session whose client_encoding is not UTF8 (probe 307)', () => {
  it('ensureTables refuses it, naming client_encoding, and makes nothing (text would be stored converted: é as Ã©)', async () => {
    const pool = new pg.Pool({ connectionString: engine().server.connectionString, max: 1 });
    pool.on('error', () => undefined);
    // What a team's connect hook may do; node-postgres still decodes answers as UTF-8.
    pool.on('connect', (client) => {
      void client.query(`SET client_encoding = 'LATIN1'`);
    });
    const backend = createPostgresBackend({ pool });
    try {
      const api = await loadApi(spec, { backend, tablePrefix: 'latin1_session_' });
      const error = await backend.ensureTables(api.tables()).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      if (error === undefined) {
        // Unpatched: the table is made, and an item's text is stored converted.
        await api
          .persistent<{ id: string; text: string }>('Note')
          .create({ id: 'é', text: 'héllo €' });
        const stored = await engine().pool.query(
          `SELECT item->>'text' AS text FROM latin1_session_enc_notes`,
        );
        expect(stored.rows[0].text).toBe('héllo €');
      }
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as Error).message).toContain('client_encoding is LATIN1');
      const made = await engine().pool.query(`SELECT to_regclass('latin1_session_enc_notes') AS t`);
      expect(made.rows[0].t).toBeNull();
    } finally {
      await backend.close();
      await pool.end();
    }
  });
});
