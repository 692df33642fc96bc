import { createPostgresBackend } from '@macaron/backend-postgres';
import { startPostgresServer } from '@macaron/backend-postgres/local';
import { loadApi } from '@macaron/core';
import pg from 'pg';
import { pageSize, profile, profileSpec } from './workload.mjs';
import { writeFileSync } from 'node:fs';
const server = await startPostgresServer();
const pool = new pg.Pool({ connectionString: server.connectionString, max: 4 });
const backend = createPostgresBackend({ pool });
const api = await loadApi(profileSpec('bench-profiles'), { backend });
await backend.ensureTables(api.tables());
const Profile = api.persistent('Profile');
for (let s = 0; s < 1000; s += 25) await Profile.saveMany(Array.from({ length: 25 }, (_, o) => profile('owner-a', s + o)));
const which = process.argv[2];
const page = which === 'raw'
  ? async () => (await pool.query({ name: 'p', text: 'SELECT item FROM "bench-profiles" WHERE owner = $1 ORDER BY profile_id LIMIT $2', values: ['owner-a', pageSize] })).rows.map((r) => r.item)
  : () => Profile.query({ partition: 'owner-a', limit: pageSize });
for (let i = 0; i < 200; i++) await page();
writeFileSync('/tmp/zz-ready', String(process.pid));
await new Promise((r) => setTimeout(r, 1500));
for (let i = 0; i < 2000; i++) await page();
await pool.end(); await server.stop();
