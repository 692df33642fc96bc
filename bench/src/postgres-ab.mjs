// A/B of two builds of Macaron on PostgreSQL in ONE process, on one embedded server: the
// current build against a snapshot (ab-snapshot.mjs), with hand-written SQL beside them, the
// three taking turns in short batches of the same operation (the order rotating every round),
// so that the host's slow moments fall on all of them alike. Client CPU per call; the figures
// that count are the medians of the per-round ratios (current / snapshot, and each / SQL).
// Each side has a pool of its own: a statement one build prepared on a connection would be
// "already prepared" to the other, which would then run every statement unnamed.
//   node --expose-gc src/postgres-ab.mjs <snapshot> [rounds=24] [workloads=get,put,page]
// The snapshot is read from $MACARON_AB_DIR (default /tmp/macaron-ab)/<snapshot>.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { loadApi } from '@macaron/core';
import pg from 'pg';
import { median } from './measure.mjs';
import { partitionSize, startProfilesOnPostgres, table } from './postgres-setup.mjs';
import { pageSize, profile, profileKey, profileSpec } from './workload.mjs';

const [snapshot, roundsText = '24', workloadsText = 'get,put,page'] = process.argv.slice(2);
if (!snapshot) throw new Error('Usage: node src/postgres-ab.mjs <snapshot> [rounds] [workloads]');
const rounds = Number(roundsText);
const chosen = workloadsText.split(',');
const modules = join(process.env.MACARON_AB_DIR ?? '/tmp/macaron-ab', snapshot, 'node_modules');
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const old = {
  loadApi: (await load('@macaron/core/dist/index.js')).loadApi,
  createPostgresBackend: (await load('@macaron/backend-postgres/dist/index.js'))
    .createPostgresBackend,
};

const { server, sql, stop } = await startProfilesOnPostgres();
const pools = [];
async function macaronOf(build) {
  const pool = new pg.Pool({ connectionString: server.connectionString, max: 4 });
  pool.on('error', () => undefined);
  pools.push(pool);
  const backend = build.createPostgresBackend({ pool });
  const Profile = (await build.loadApi(profileSpec(table), { backend })).persistent('Profile');
  return {
    get: (key) => Profile.load(key),
    put: (value) => new Profile(value).save(),
    page: async (partition) => (await Profile.query({ partition, limit: pageSize })).items,
  };
}
const sides = {
  sql,
  current: await macaronOf({ loadApi, createPostgresBackend }),
  [`snapshot ${snapshot}`]: await macaronOf(old),
};
const names = Object.keys(sides);

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
// A full GC before each batch (--expose-gc), outside its measure: a batch then pays for its own
// garbage only, not for a major collection (marked on other threads, which process CPU counts)
// that another side's batches made due. With a minor one alone, such a collection fell on one
// side's batches round after round on a loaded host (IQRs of 0.7–1.5 in an A/A).
if (!globalThis.gc)
  process.stderr.write(
    'postgres-ab: run with node --expose-gc for a full GC before each batch; measuring without\n',
  );
const collect = globalThis.gc ? () => globalThis.gc() : () => {};
async function batch(operation, count) {
  collect();
  const started = cpu();
  for (let index = 0; index < count; index++) await operation(index);
  return (cpu() - started) / count;
}
const workloads = {
  get: [250, (side) => (index) => side.get(profileKey('owner-a', index % partitionSize))],
  put: [250, (side) => (index) => side.put(profile('owner-b', index % partitionSize))],
  page: [25, (side) => () => side.page('owner-a')],
};

const quartiles = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `${at(0.25).toFixed(3)}–${at(0.75).toFixed(3)}`;
};
const rows = [];
for (const workload of chosen) {
  const [count, make] = workloads[workload];
  for (let warm = 0; warm < 12; warm++)
    for (const name of names) await batch(make(sides[name]), count);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length];
      samples[name][round] = await batch(make(sides[name]), count);
    }
  const ratios = (a, b) => samples[a].map((value, round) => value / samples[b][round]);
  const [base, current, previous] = names;
  rows.push({
    workload,
    'SQL µs': Math.round(median(samples[base])),
    'current µs': Math.round(median(samples[current])),
    'snapshot µs': Math.round(median(samples[previous])),
    'current/SQL': Number(median(ratios(current, base)).toFixed(3)),
    'snapshot/SQL': Number(median(ratios(previous, base)).toFixed(3)),
    'current/snapshot': Number(median(ratios(current, previous)).toFixed(3)),
    'its IQR': quartiles(ratios(current, previous)),
  });
}
console.table(rows);
process.stdout.write(
  `RESULT ${JSON.stringify({ benchmark: 'postgres-ab', snapshot, rounds, rows })}\n`,
);
for (const pool of pools) await pool.end();
await stop();
