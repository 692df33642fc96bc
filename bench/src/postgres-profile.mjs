// Profiles one operation on PostgreSQL (embedded server on 127.0.0.1), as postgres-bench.mjs
// runs it: Macaron or the hand-written SQL, `get`, `put` or `page`. Prints where the client's
// CPU goes by package, and leaves bench/profiles/postgres-<library>-<operation>.cpuprofile.
// Usage: node src/postgres-profile.mjs [macaron|sql] [get|put|page] [seconds=3]
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { startPostgresServer } from '@macaron/backend-postgres/local';
import { loadApi } from '@macaron/core';
import pg from 'pg';
import { pageSize, profile, profileKey, profileSpec } from './workload.mjs';

const [library = 'macaron', operationName = 'page', seconds = '3'] = process.argv.slice(2);
const server = await startPostgresServer();
const pool = new pg.Pool({ connectionString: server.connectionString, max: 4 });
pool.on('error', () => undefined);
const table = 'bench-profiles';
const backend = createPostgresBackend({ pool });
const api = await loadApi(profileSpec(table), { backend });
await backend.ensureTables(api.tables());
const Profile = api.persistent('Profile');
for (let start = 0; start < 1000; start += 25)
  await Profile.saveMany(
    Array.from({ length: 25 }, (_, offset) => profile('owner-a', start + offset)),
  );

const quoted = `"${table}"`;
const subjects = {
  macaron: {
    get: (index) => Profile.load(profileKey('owner-a', index % 1000)),
    put: (index) => new Profile(profile('owner-b', index % 1000)).save(),
    page: () => Profile.query({ partition: 'owner-a', limit: pageSize }),
  },
  sql: {
    get: async (index) => {
      const key = profileKey('owner-a', index % 1000);
      return (
        await pool.query({
          name: 'raw-get',
          text: `SELECT item FROM ${quoted} WHERE owner = $1 AND profile_id = $2`,
          values: [key.owner, key.profile_id],
        })
      ).rows[0]?.item;
    },
    put: (index) => {
      const value = profile('owner-b', index % 1000);
      return pool.query({
        name: 'raw-put',
        text: `INSERT INTO ${quoted} (owner, profile_id, item) VALUES ($1, $2, $3::jsonb)
               ON CONFLICT (owner, profile_id) DO UPDATE SET item = EXCLUDED.item, item_types = NULL`,
        values: [value.owner, value.profile_id, JSON.stringify(value)],
      });
    },
    page: async () =>
      (
        await pool.query({
          name: 'raw-page',
          text: `SELECT item FROM ${quoted} WHERE owner = $1 ORDER BY profile_id LIMIT $2`,
          values: ['owner-a', pageSize],
        })
      ).rows.map((row) => row.item),
  },
};
const operation = subjects[library]?.[operationName];
if (!operation) throw new Error(`No ${library} ${operationName}`);
let index = 0;
for (const started = performance.now(); performance.now() - started < 1000; )
  await operation(index++);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const cpuStarted = process.cpuUsage();
let calls = 0;
for (
  const started = performance.now();
  performance.now() - started < Number(seconds) * 1000;
  calls++
)
  await operation(index++);
const cpu = process.cpuUsage(cpuStarted);
const { profile: cpuProfile } = await session.post('Profiler.stop');
session.disconnect();
const directory = new URL('../profiles/', import.meta.url);
mkdirSync(directory, { recursive: true });
const file = new URL(`postgres-${library}-${operationName}.cpuprofile`, directory);
writeFileSync(file, JSON.stringify(cpuProfile));
console.log(
  `postgres ${library} ${operationName}: ${calls} calls, ${((cpu.user + cpu.system) / calls).toFixed(1)} µs CPU/call (profiling on), profile in ${file.pathname}`,
);
await pool.end();
await server.stop();
