// Where Macaron's client CPU goes on PostgreSQL, layer by layer, against hand-written SQL: a
// page of 100 (raw SQL, its JSON parse, the exact parse, the backend, the model), a put or a
// get (raw SQL, the backend with its request made once, the model). One process, one embedded server; the
// steps take turns in short batches, so the host's slow moments hit them alike.
//   node --expose-gc src/postgres-split.mjs [page|put|get] [rounds=12]
import { loadApi } from '@macaron/core';
import { parseJsonbTextExactly } from '../../packages/backend-postgres/dist/values/exact-json.js';
import { median } from './measure.mjs';
import { partitionSize, startProfilesOnPostgres, table } from './postgres-setup.mjs';
import { pageSize, profile, profileKey, profileSpec } from './workload.mjs';

const [operation = 'page', roundsArgument = '12'] = process.argv.slice(2);
const rounds = Number(roundsArgument);
const { pool, backend, Profile, sql: handWritten, stop } = await startProfilesOnPostgres();
// The backend request a model call sends, captured once, to time the backend alone with it.
async function capturedRequest(method, call) {
  let captured;
  const spy = Object.create(backend);
  spy[method] = (request) => {
    captured = request;
    return backend[method](request);
  };
  await call((await loadApi(profileSpec(table), { backend: spy })).persistent('Profile'));
  return captured;
}
const queryRequest = await capturedRequest('query', (Spied) =>
  Spied.query({ partition: 'owner-a', limit: pageSize }),
);
const putRequest = await capturedRequest('putItem', (Spied) =>
  new Spied(profile('owner-b', 0)).save(),
);
const getRequest = await capturedRequest('getItem', (Spied) =>
  Spied.load(profileKey('owner-a', 1)),
);
const quoted = `"${table}"`;
const sql = (name, select) => ({
  name,
  text: `SELECT ${select} FROM ${quoted} WHERE owner = $1 ORDER BY profile_id LIMIT $2`,
  values: ['owner-a', pageSize],
});
let putIndex = 0;
const putSteps = {
  'SQL put': () => handWritten.put(profile('owner-b', putIndex++ % partitionSize)),
  'backend.putItem (same item)': () => backend.putItem(putRequest),
  'backend.putItem (fresh item)': () =>
    backend.putItem({
      model: putRequest.model,
      item: profile('owner-b', putIndex++ % partitionSize),
    }),
  'new Profile + putItem (same)': () => {
    new Profile(profile('owner-b', putIndex++ % partitionSize));
    return backend.putItem(putRequest);
  },
  'Profile save': () => new Profile(profile('owner-b', putIndex++ % partitionSize)).save(),
};
let getIndex = 0;
const getSteps = {
  'SQL get': () => handWritten.get(profileKey('owner-a', getIndex++ % partitionSize)),
  'backend.getItem (same key)': () => backend.getItem(getRequest),
  'Profile load': () => Profile.load(profileKey('owner-a', getIndex++ % partitionSize)),
};
const pageSteps = {
  'SQL, pg parses jsonb': () => handWritten.page('owner-a'),
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
  'backend.query': async () => (await backend.query(queryRequest)).items,
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
await stop();
