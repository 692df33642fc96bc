import { setTimeout } from 'node:timers/promises';
import { loadApi, TableNotFoundError } from '@macaron/core';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { modelOf, specOf, string, uniquePrefix } from './provision-specs.js';

const engine = useServerEngine();

// Its row lock, the next statement to lock a row, sent late (a slow network, a busy server):
// the update holds its table's check while another request meets a table gone.
function holdingNextRowLock(pool: pg.Pool, milliseconds: number): () => void {
  let armed = false;
  type Query = (query: unknown, ...rest: unknown[]) => unknown;
  const held = new WeakSet<object>();
  const hold = (client: pg.PoolClient | undefined) => {
    if (!client || held.has(client)) return client;
    held.add(client);
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (sent, ...rest) => {
      const text = typeof sent === 'string' ? sent : (sent as { text?: string } | null)?.text;
      if (!armed || !/FOR UPDATE/.test(text ?? '')) return query(sent, ...rest);
      armed = false;
      globalThis.setTimeout(() => query(sent, ...rest), milliseconds);
      return sent;
    };
    return client;
  };
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { connect: (...args: unknown[]) => unknown }).connect = (...args) => {
    const callback = args[0];
    if (typeof callback !== 'function') return (connect() as Promise<pg.PoolClient>).then(hold);
    return connect((error: unknown, client: pg.PoolClient | undefined, release: unknown) =>
      callback(error, hold(client), release),
    );
  };
  return () => {
    armed = true;
  };
}

// A request that finds a table gone makes the backend check every table again (a table may have
// been replaced). The writes already past their check go on as checked: on a table whose index
// key column an earlier version made and wrote itself, they still clear it, so that the item is
// never answered under the index key it held before.
it("a write in flight on a table with an earlier version's index key column, while a request finds another table gone, still clears the column", async () => {
  const prefix = uniquePrefix();
  const table = `"${prefix}msgs"`;
  const sql = engine().sql;
  await sql.query(
    `CREATE TABLE ${table} (pk text COLLATE "C" NOT NULL, item jsonb NOT NULL, item_types jsonb, status text COLLATE "C", PRIMARY KEY (pk))`,
  );
  await sql.query(
    `INSERT INTO ${table} (pk, item, status) VALUES ('m1', '{"pk":"m1","status":"open"}', 'open')`,
  );
  await sql.query(
    `CREATE INDEX "${prefix}msgs.byStatus" ON ${table} (status, pk) WHERE status IS NOT NULL`,
  );
  const pool = engine().openPool({ max: 4 });
  const holdNextRowLock = holdingNextRowLock(pool, 500);
  const backend = createPostgresBackend({ pool });
  const api = await loadApi(
    specOf({
      M: modelOf(
        { table: 'msgs', key: 'pk', indexes: { byStatus: { key: 'status' } } },
        { pk: string, status: string },
      ),
      G: modelOf({ table: 'gone', key: 'pk' }, { pk: string }),
    }),
    { backend, tablePrefix: prefix },
  );
  const M = api.persistent<Record<string, unknown>>('M');
  const G = api.persistent<Record<string, unknown>>('G');
  await backend.ensureTables(api.tables().filter((descriptor) => descriptor.name.endsWith('gone')));
  await G.create({ pk: 'x' });
  expect((await M.query({ index: 'byStatus', partition: 'open' })).items).toEqual([
    { pk: 'm1', status: 'open' },
  ]);
  await sql.query(`DROP TABLE "${prefix}gone"`);
  holdNextRowLock();
  const updated = M.update('m1', { set: { status: 'closed' } });
  await setTimeout(150);
  expect(await G.load('x').catch((error: unknown) => error)).toBeInstanceOf(TableNotFoundError);
  await updated;
  expect(await sql.query(`SELECT status, item->>'status' AS stored FROM ${table}`)).toEqual([
    { status: null, stored: 'closed' },
  ]);
  expect((await M.query({ index: 'byStatus', partition: 'open' })).items).toEqual([]);
});
