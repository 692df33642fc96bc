// node-postgres (pg) against postgres.js (postgres) on the backend's own workload, on a real
// PostgreSQL server on 127.0.0.1: single-row get and put round trips, and a page of 100.
// Prints µs per operation (wall clock, one request at a time) and client CPU µs per operation.
//   node src/postgres-clients.mjs [--smoke]

import { startPostgresServer } from '@macaron/backend-postgres/local';
import pg from 'pg';
import postgres from 'postgres';

const smoke = process.argv.includes('--smoke');
const rounds = smoke ? 200 : 3000;
const pageRounds = smoke ? 50 : 600;

const server = await startPostgresServer();
const setup = new pg.Client({ connectionString: server.connectionString });
await setup.connect();
await setup.query(`CREATE TABLE bench (pk text COLLATE "C" NOT NULL, sk numeric NOT NULL,
  item jsonb NOT NULL, item_types jsonb, PRIMARY KEY (pk, sk))`);
const item = (pk, sk) =>
  JSON.stringify({
    pk,
    sk,
    name: `Item ${sk}`,
    email: 'ann@example.com',
    tags: ['a', 'b'],
    n: sk * 1.5,
  });
await setup.query(
  `INSERT INTO bench SELECT 'p', n, ('{"pk":"p","sk":' || n || ',"name":"Item ' || n || '","email":"ann@example.com","tags":["a","b"],"n":' || (n * 1.5) || '}')::jsonb, NULL FROM generate_series(1, 1000) n`,
);
await setup.end();

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function measure(label, operation, count) {
  for (let index = 0; index < Math.min(200, count); index++) await operation(index); // warm-up
  const cpuStart = cpu();
  const start = performance.now();
  for (let index = 0; index < count; index++) await operation(index);
  const wallUs = ((performance.now() - start) * 1000) / count;
  const cpuUs = (cpu() - cpuStart) / count;
  return { label, wallUs: Math.round(wallUs), cpuUs: Math.round(cpuUs) };
}

const getSql =
  'SELECT item::text AS item, item_types::text AS types FROM bench WHERE pk = $1::text AND sk = $2::numeric';
const putSql = `INSERT INTO bench (pk, sk, item, item_types) VALUES ($1::text, $2::numeric, $3::text::jsonb, $4::text::jsonb)
  ON CONFLICT (pk, sk) DO UPDATE SET item = EXCLUDED.item, item_types = EXCLUDED.item_types`;
const pageSql =
  'SELECT item::text AS item, item_types::text AS types FROM bench WHERE pk = $1::text AND sk > $2::numeric ORDER BY sk LIMIT $3::integer';

const results = [];
{
  const pool = new pg.Pool({ connectionString: server.connectionString, max: 1 });
  // Its connection may still be closing when the server stops (pool.end() does not wait).
  pool.on('error', () => undefined);
  const q = (name, text, values) => pool.query({ name, text, values });
  results.push(
    await measure('pg get', (i) => q('g', getSql, ['p', String((i % 1000) + 1)]), rounds),
  );
  results.push(
    await measure(
      'pg put',
      (i) => q('p', putSql, ['q', String(i % 1000), item('q', i % 1000), null]),
      rounds,
    ),
  );
  results.push(
    await measure(
      'pg page of 100',
      (i) => q('l', pageSql, ['p', String(i % 800), 100]),
      pageRounds,
    ),
  );
  await pool.end();
}
{
  const sql = postgres(server.connectionString, { max: 1, prepare: true });
  results.push(
    await measure(
      'postgres.js get',
      (i) => sql.unsafe(getSql, ['p', String((i % 1000) + 1)], { prepare: true }),
      rounds,
    ),
  );
  results.push(
    await measure(
      'postgres.js put',
      (i) =>
        sql.unsafe(putSql, ['q', String(i % 1000), item('q', i % 1000), null], { prepare: true }),
      rounds,
    ),
  );
  results.push(
    await measure(
      'postgres.js page of 100',
      (i) => sql.unsafe(pageSql, ['p', String(i % 800), 100], { prepare: true }),
      pageRounds,
    ),
  );
  await sql.end();
}
await server.stop();
console.table(results);
console.log(JSON.stringify({ benchmark: 'postgres-clients', node: process.version, results }));
