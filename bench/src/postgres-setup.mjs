// The PostgreSQL side of the bench: an embedded server on 127.0.0.1, a node-postgres pool,
// Macaron's Profile on it with a partition of 1,000 profiles (`owner-a`), and the
// hand-written parameterised SQL of the same get, put and page through the same pool.
import { createPostgresBackend } from '@macaron/backend-postgres';
import { startPostgresServer } from '@macaron/backend-postgres/local';
import { loadApi } from '@macaron/core';
import pg from 'pg';
import { pageSize, profile, profileSpec } from './workload.mjs';

export const partitionSize = 1000;
export const table = 'bench-profiles';

/** Starts the server and seeds the partition; `stop()` ends the pool and the server. */
export async function startProfilesOnPostgres({ poolSize = 4, settings } = {}) {
  const server = await startPostgresServer(settings ? { settings } : {});
  const pool = new pg.Pool({ connectionString: server.connectionString, max: poolSize });
  pool.on('error', () => undefined);
  const backend = createPostgresBackend({ pool });
  const api = await loadApi(profileSpec(table), { backend });
  await backend.ensureTables(api.tables());
  const Profile = api.persistent('Profile');
  for (let start = 0; start < partitionSize; start += 25)
    await Profile.saveMany(
      Array.from({ length: 25 }, (_, offset) => profile('owner-a', start + offset)),
    );
  return {
    server,
    pool,
    backend,
    Profile,
    sql: handWrittenSql(pool),
    async stop() {
      await pool.end();
      await server.stop();
    },
  };
}

/** Hand-written SQL on Macaron's layout, through the same pool: what a careful developer writes. */
function handWrittenSql(pool) {
  const quoted = `"${table}"`;
  return {
    get: async (key) =>
      (
        await pool.query({
          name: 'raw-get',
          text: `SELECT item FROM ${quoted} WHERE owner = $1 AND profile_id = $2`,
          values: [key.owner, key.profile_id],
        })
      ).rows[0]?.item,
    put: (value) =>
      pool.query({
        name: 'raw-put',
        text: `INSERT INTO ${quoted} (owner, profile_id, item) VALUES ($1, $2, $3::jsonb)
               ON CONFLICT (owner, profile_id) DO UPDATE SET item = EXCLUDED.item, item_types = NULL`,
        values: [value.owner, value.profile_id, JSON.stringify(value)],
      }),
    page: async (partition) =>
      (
        await pool.query({
          name: 'raw-page',
          text: `SELECT item FROM ${quoted} WHERE owner = $1 ORDER BY profile_id LIMIT $2`,
          values: [partition, pageSize],
        })
      ).rows.map((row) => row.item),
  };
}
