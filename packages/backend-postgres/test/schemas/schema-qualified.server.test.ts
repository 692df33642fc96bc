import { loadApi } from '@macaron/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { findPgBouncers, type PgBouncer, startPgBouncer } from '../engines/pgbouncer.js';
import { useServerEngine } from '../engines/server-engine.js';
import { everyRequest, type Note, notesSpec } from './every-request.js';

/*
 * Statements name the tables with the schema the backend's first check found them in (see
 * `SchemaTables`). A `SET search_path = other` another client leaves on a server session, with
 * a table of the same name in `other`, sent them there: PgBouncer's transaction pooling gives
 * each transaction any server session, and a shared pool lends connections the app changed.
 */
const found = findPgBouncers()[0];

const engine = useServerEngine({ poolSize: 4 });

// A schema of this test's own, holding nothing yet.
async function freshSchema(name: string): Promise<string> {
  const schema = `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await engine().sql.query(`CREATE SCHEMA ${schema}`);
  return schema;
}

// The rows of the table `notes` of `prefix` in `schema`, as owner/id.
async function rowsIn(schema: string, table: string): Promise<string[]> {
  const rows = await engine().sql.query(
    `SELECT owner || '/' || id AS row FROM ${schema}."${table}" ORDER BY 1`,
  );
  return rows.map((row) => String(row.row));
}

// Makes `notes` (with `prefix`) in `schema`, as another service of that schema would.
async function otherService(schema: string, tablePrefix: string): Promise<void> {
  const pool = engine().openPool({ max: 1, options: `-c search_path=${schema}` });
  const backend = createPostgresBackend({ pool });
  await backend.ensureTables((await loadApi(notesSpec, { backend, tablePrefix })).tables());
}

describe('a search_path another client leaves on a session', () => {
  it('on a connection of a shared pool, set and released by the app after the first check: every request keeps to the table checked', async () => {
    const tablePrefix = `pool-leak-${Date.now().toString(36)}-`;
    const home = await freshSchema('home');
    const other = await freshSchema('other');
    // One connection: the one the app changes is the one the backend is lent next.
    const pool = engine().openPool({ max: 1, options: '' });
    const connection = await pool.connect();
    await connection.query(`SET search_path = ${home}`);
    connection.release();
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(notesSpec, { backend, tablePrefix });
    await backend.ensureTables(api.tables());
    await api.persistent<Note>('Note').create({ owner: 'o', id: 'seen', count: 1 });
    await otherService(other, tablePrefix);
    const app = await pool.connect();
    await app.query(`SET search_path = ${other}`);
    app.release();
    await everyRequest(api, 'o');
    // ensureTables too: it makes and reads tables in the schema found, not the session's.
    expect((await backend.ensureTables(api.tables())).map((change) => change.action)).toEqual([
      'unchanged',
    ]);
    expect(await rowsIn(other, `${tablePrefix}notes`)).toEqual([]);
    expect(await rowsIn(home, `${tablePrefix}notes`)).toEqual(['o/c', 'o/seen']);
  });

  it("tables in later schemas of the pool's search_path: each found where PostgreSQL finds its name, as before statements named a schema", async () => {
    const tablePrefix = `later-${Date.now().toString(36)}-`;
    const first = await freshSchema('first');
    const later = await freshSchema('later');
    // Made by a DBA, or another deployment, in the later schema; the first is empty.
    await otherService(later, tablePrefix);
    const pool = engine().openPool({ max: 2, options: `-c search_path=${first},${later}` });
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(notesSpec, { backend, tablePrefix });
    await api.persistent<Note>('Note').create({ owner: 'o', id: 'seen', count: 1 });
    await everyRequest(api, 'o');
    expect(await rowsIn(later, `${tablePrefix}notes`)).toEqual(['o/c', 'o/seen']);
    // Provisioning keeps to it: nothing made in the first schema.
    expect((await backend.ensureTables(api.tables())).map((change) => change.action)).toEqual([
      'unchanged',
    ]);
    const [made] = await engine().sql.query(
      `SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = $1`,
      [first],
    );
    expect(made!.tables).toBe(0);
  });

  it('in a schema other than public, asked in the connection options: every request works', async () => {
    const tablePrefix = `orders-${Date.now().toString(36)}-`;
    const orders = await freshSchema('orders');
    const pool = engine().openPool({ max: 2, options: `-c search_path=${orders}` });
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(notesSpec, { backend, tablePrefix });
    await backend.ensureTables(api.tables());
    await api.persistent<Note>('Note').create({ owner: 'o', id: 'seen', count: 1 });
    await everyRequest(api, 'o');
    expect(await rowsIn(orders, `${tablePrefix}notes`)).toEqual(['o/c', 'o/seen']);
    await backend.deleteTables(api.tables());
    const [left] = await engine().sql.query(
      `SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = $1`,
      [orders],
    );
    expect(left!.tables).toBe(0);
  });

  // Skipped where PgBouncer is not installed (.ci/run installs Debian's package).
  describe.skipIf(found === undefined)(
    'behind PgBouncer in transaction pooling (skipped when pgbouncer is not installed)',
    () => {
      let bouncer: PgBouncer | undefined;

      beforeAll(async () => {
        const [major = 0, minor = 0] = found!.version;
        bouncer = await startPgBouncer(found!.binary, engine().server.connectionString, {
          pool_mode: 'transaction',
          default_pool_size: 3,
          ...(major > 1 || minor >= 21 ? { max_prepared_statements: 0 } : {}),
        });
      });

      afterAll(() => bouncer?.stop());

      it("another client's SET search_path on the one server session sends no request to the other schema's table", async () => {
        const tablePrefix = `bouncer-leak-${Date.now().toString(36)}-`;
        const other = await freshSchema('other');
        // Every client of database `single` shares one server session.
        const pool = engine().openPool({ connectionString: bouncer!.singleSessionString, max: 2 });
        const backend = createPostgresBackend({ pool });
        const api = await loadApi(notesSpec, { backend, tablePrefix });
        await backend.ensureTables(api.tables());
        await api.persistent<Note>('Note').create({ owner: 'o', id: 'seen', count: 1 });
        await otherService(other, tablePrefix);
        // A schema-per-tenant app's client, on the same PgBouncer: its SET outlives its
        // transaction on the server session.
        const tenant = new pg.Client({ connectionString: bouncer!.singleSessionString });
        await tenant.connect();
        try {
          await tenant.query(`SET search_path = ${other}`);
          await everyRequest(api, 'o');
          expect((await backend.ensureTables(api.tables())).map((change) => change.action)).toEqual(
            ['unchanged'],
          );
          // The leak was there all along: the tenant's session still reads its own schema.
          expect((await tenant.query('SELECT current_schema() AS schema')).rows[0].schema).toBe(
            other,
          );
        } finally {
          await tenant.end();
        }
        expect(await rowsIn(other, `${tablePrefix}notes`)).toEqual([]);
        expect(await rowsIn('public', `${tablePrefix}notes`)).toEqual(['o/c', 'o/seen']);
      });
    },
  );
});
