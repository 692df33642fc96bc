// Profiles one operation on PostgreSQL (embedded server on 127.0.0.1), as postgres-bench.mjs
// runs it: Macaron or the hand-written SQL, `get`, `put` or `page`. Prints where the client's
// CPU goes by package, and leaves bench/profiles/postgres-<library>-<operation>.cpuprofile.
// Usage: node src/postgres-profile.mjs [macaron|sql] [get|put|page] [seconds=3]
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { partitionSize, startProfilesOnPostgres } from './postgres-setup.mjs';
import { pageSize, profile, profileKey } from './workload.mjs';

const [library = 'macaron', operationName = 'page', seconds = '3'] = process.argv.slice(2);
const { Profile, sql, stop } = await startProfilesOnPostgres();
const subjects = {
  macaron: {
    get: (index) => Profile.load(profileKey('owner-a', index % partitionSize)),
    put: (index) => new Profile(profile('owner-b', index % partitionSize)).save(),
    page: () => Profile.query({ partition: 'owner-a', limit: pageSize }),
  },
  sql: {
    get: (index) => sql.get(profileKey('owner-a', index % partitionSize)),
    put: (index) => sql.put(profile('owner-b', index % partitionSize)),
    page: () => sql.page('owner-a'),
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
await stop();
