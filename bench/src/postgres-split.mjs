// Where Macaron's client CPU goes on PostgreSQL, layer by layer, against hand-written SQL: a
// page of 100 (raw SQL, its JSON parse, the exact parse, the backend, the model), a put or a
// get (raw SQL, the backend with its request made once, the model). One process, one embedded server; the
// steps take turns in short batches, so the host's slow moments hit them alike.
//   node --expose-gc src/postgres-split.mjs [page|put|get] [rounds=12]
import { createPostgresBackend } from '@macaron/backend-postgres';
import { startPostgresServer } from '@macaron/backend-postgres/local';
import { loadApi } from '@macaron/core';
import pg from 'pg';
import { parseJsonbTextExactly } from '../../packages/backend-postgres/dist/values/exact-json.js';
import { median } from './measure.mjs';
import { pageSize, profile, profileKey, profileSpec } from './workload.mjs';

const [operation = 'page', roundsArgument = '12'] = process.argv.slice(2);
const rounds = Number(roundsArgument);
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
// The backend request Profile.query sends, captured once, to time the backend alone.
let captured;
const spy = Object.create(backend);
spy.query = (request) => {
  captured = request;
  return backend.query(request);
};
await (await loadApi(profileSpec(table), { backend: spy })).persistent('Profile').query({
  partition: 'owner-a',
  limit: pageSize,
});
const quoted = `"${table}"`;
const sql = (name, select) => ({
  name,
  text: `SELECT ${select} FROM ${quoted} WHERE owner = $1 ORDER BY profile_id LIMIT $2`,
  values: ['owner-a', pageSize],
});
let putIndex = 0;
const putText = `INSERT INTO ${quoted} (owner, profile_id, item) VALUES ($1, $2, $3::jsonb)
             ON CONFLICT (owner, profile_id) DO UPDATE SET item = EXCLUDED.item, item_types = NULL`;
let capturedPut;
const putSpy = Object.create(backend);
putSpy.putItem = (request) => {
  capturedPut = request;
  return backend.putItem(request);
};
await new ((await loadApi(profileSpec(table), { backend: putSpy })).persistent('Profile'))(
  profile('owner-b', 0),
).save();
const putSteps = {
  'SQL put': () => {
    const value = profile('owner-b', putIndex++ % 1000);
    return pool.query({
      name: 'raw-put',
      text: putText,
      values: [value.owner, value.profile_id, JSON.stringify(value)],
    });
  },
  'backend.putItem (same item)': () => backend.putItem(capturedPut),
  'Profile save': () => new Profile(profile('owner-b', putIndex++ % 1000)).save(),
};
let capturedGet;
const getSpy = Object.create(backend);
getSpy.getItem = (request) => {
  capturedGet = request;
  return backend.getItem(request);
};
await (await loadApi(profileSpec(table), { backend: getSpy }))
  .persistent('Profile')
  .load(profileKey('owner-a', 1));
let getIndex = 0;
const getSteps = {
  'SQL get': async () => {
    const key = profileKey('owner-a', getIndex++ % 1000);
    return (
      await pool.query({
        name: 'raw-get',
        text: `SELECT item FROM ${quoted} WHERE owner = $1 AND profile_id = $2`,
        values: [key.owner, key.profile_id],
      })
    ).rows[0]?.item;
  },
  'backend.getItem (same key)': () => backend.getItem(capturedGet),
  'Profile load': () => Profile.load(profileKey('owner-a', getIndex++ % 1000)),
};
const pageSteps = {
  'SQL, pg parses jsonb': async () => (await pool.query(sql('a', 'item'))).rows.map((r) => r.item),
  'SQL, item::text, no parse': async () =>
    (await pool.query(sql('b', 'item::text AS item, item_types::text AS types'))).rows.map(
      (r) => r.item,
    ),
  'SQL, item::text + JSON.parse': async () =>
    (await pool.query(sql('c', 'item::text AS item, item_types::text AS types'))).rows.map((r) =>
      JSON.parse(r.item),
    ),
  'SQL, item::text + parseJsonbTextExactly': async () =>
    (await pool.query(sql('d', 'item::text AS item, item_types::text AS types'))).rows.map((r) =>
      parseJsonbTextExactly(r.item),
    ),
  'backend.query': async () => (await backend.query(captured)).items,
  'Profile.query': async () =>
    (await Profile.query({ partition: 'owner-a', limit: pageSize })).items,
};
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const steps = { get: getSteps, put: putSteps, page: pageSteps }[operation];
const samples = Object.fromEntries(Object.keys(steps).map((name) => [name, []]));
for (let round = 0; round < rounds + 1; round++) {
  for (const [name, step] of Object.entries(steps)) {
    globalThis.gc?.();
    const count = operation === 'page' ? 150 : 1000;
    const started = cpu();
    for (let index = 0; index < count; index++) await step();
    if (round > 0) samples[name].push((cpu() - started) / count);
  }
}
const base = median(Object.values(samples)[0]);
console.table(
  Object.entries(samples).map(([step, values]) => ({
    step,
    [`CPU µs/${operation} (median)`]: Math.round(median(values)),
    'vs the first step': (median(values) / base).toFixed(2),
  })),
);
await pool.end();
await server.stop();
