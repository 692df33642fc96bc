import { AccessDeniedError, loadApi, MacaronError, ThrottledError } from '@macaron/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { findPgBouncers, type PgBouncer, startPgBouncer } from '../engines/pgbouncer.js';
import { useServerEngine } from '../engines/server-engine.js';

/*
 * PgBouncer refuses a client with SQLSTATE 08P01 whatever the reason (a wrong password, too
 * many clients, no server connection in time), saying which in its own words. Needs a
 * PgBouncer (Debian's, or one scripts/pgbouncer/build.sh built); skipped without.
 */
const found = findPgBouncers()[0];

const engine = useServerEngine({ poolSize: 2 });

const spec = {
  openapi: '3.0.3',
  info: { title: 'refused by pgbouncer', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'id'],
        'x-persist': { table: 'notes', key: 'owner', sort: 'id' },
        properties: { owner: { type: 'string' }, id: { type: 'string' } },
      },
    },
  },
};
type Note = { owner: string; id: string };

describe.skipIf(found === undefined)(
  "PgBouncer's refusals (skipped when no PgBouncer is found)",
  () => {
    let bouncer: PgBouncer;
    const tablePrefix = `refusals-${Date.now()}-`;

    beforeAll(async () => {
      bouncer = await startPgBouncer(found!.binary, engine().server.connectionString, {
        pool_mode: 'transaction',
        auth_type: 'scram-sha-256',
        // One server session behind `single`, and a second's wait for it.
        query_wait_timeout: 1,
        max_client_conn: 6,
      });
      const direct = createPostgresBackend({ pool: engine().pool });
      await direct.ensureTables((await loadApi(spec, { backend: direct, tablePrefix })).tables());
    });
    afterAll(() => bouncer?.stop());

    /** The stored ids under `owner`, read on the server directly. */
    async function stored(owner: string): Promise<string[]> {
      const rows = await engine().sql.query(
        `SELECT id FROM "${tablePrefix}notes" WHERE owner = $1 ORDER BY id`,
        [owner],
      );
      return rows.map((row) => row.id as string);
    }

    it("a password PgBouncer refuses (SCRAM) is an AccessDeniedError, as the server's own refusal, showing no password", async () => {
      const url = new URL(bouncer.connectionString);
      url.password = 'Wrong-Secret-77';
      const backend = createPostgresBackend({ connectionString: url.toString() });
      const api = await loadApi(spec, { backend, tablePrefix });
      const error = await api
        .persistent<Note>('Note')
        .create({ owner: 'denied', id: 'a' })
        .catch((caught: unknown) => caught as Error);
      await backend.close();
      expect(AccessDeniedError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toContain('authentication failed');
      expect((error as Error).message).not.toContain('Wrong-Secret-77');
      // A refusal, not a lost connection: the password is not sent again.
      expect((error as Error).message).not.toContain('run again');
      expect(await stored('denied')).toEqual([]);
    });

    it('no server connection within query_wait_timeout is a ThrottledError, nothing sent, for a transaction, a single write and a read', async () => {
      const pool = engine().openPool({ connectionString: bouncer.singleSessionString, max: 2 });
      const api = await loadApi(spec, { backend: createPostgresBackend({ pool }), tablePrefix });
      const Note = api.persistent<Note>('Note');
      await Note.create({ owner: 'waited', id: 'seed' });
      // Another client holds the one server session in a transaction.
      const holder = new pg.Client({ connectionString: bouncer.singleSessionString });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT 1');
        for (const request of [
          () => Note.create({ owner: 'waited', id: 'created' }),
          () => new Note({ owner: 'waited', id: 'saved' }).save(),
          () => Note.load({ owner: 'waited', id: 'seed' }),
        ]) {
          const error = await request().catch((caught: unknown) => caught as Error);
          expect(ThrottledError.isInstance(error), String(error)).toBe(true);
          expect((error as Error).message).toContain('query_wait_timeout');
          // PgBouncer's refusal, not a lost connection: not sent to wait again at once.
          expect((error as Error).message).not.toContain('run again');
        }
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
      expect(await stored('waited')).toEqual(['seed']);
    });

    it('more clients than max_client_conn: a ThrottledError (503), nothing sent', async () => {
      const holders = Array.from(
        { length: 6 },
        () => new pg.Client({ connectionString: bouncer.connectionString }),
      );
      await Promise.all(holders.map((client) => client.connect()));
      try {
        const backend = createPostgresBackend({ connectionString: bouncer.connectionString });
        const api = await loadApi(spec, { backend, tablePrefix });
        const error = await api
          .persistent<Note>('Note')
          .create({ owner: 'crowded', id: 'a' })
          .catch((caught: unknown) => caught as Error);
        await backend.close();
        expect(ThrottledError.isInstance(error), String(error)).toBe(true);
        expect(MacaronError.isInstance(error)).toBe(true);
        expect((error as ThrottledError).status).toBe(503);
        expect((error as Error).message).toContain('max_client_conn');
        // A refusal, not a lost connection: not asked again at once.
        expect((error as Error).message).not.toContain('run again');
      } finally {
        await Promise.all(holders.map((client) => client.end()));
      }
      expect(await stored('crowded')).toEqual([]);
    });
  },
);
