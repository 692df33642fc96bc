// A bounded loopback load test of the profiles service: the service runs in this process,
// a fixed number of keep-alive connections send mixed reads and writes for LOAD_SECONDS, then
// the stored view counts are checked against the successful GETs (no lost increment). Not a
// CI gate: `pnpm --filter @macaron/example-profiles load`.
//
// It stores where the service would: MACARON_BACKEND, DATABASE_URL and DYNAMODB_ENDPOINT are
// read and checked as the service reads them (the embedded dynalite when none is set), in
// tables of its own (`load_<run>_profiles`, after MACARON_TABLE_PREFIX), so that it neither
// collides with nor counts the service's profiles; on a server it deletes them at the end.
//
// The load generator is a few lines of node:http rather than autocannon: it needs per-request
// bookkeeping (which GETs succeeded, which ids exist) that autocannon's fixed request list
// does not give, and it keeps the workspace lockfile untouched.

// First: before any module that makes an AWS SDK client (the service's main does the same).
import '../dist/node-support-notice.js';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadApi } from '@macaron/core';
import { SignJWT } from 'jose';
import { openStorage } from '../dist/open-storage.js';
import { buildProfilesServer } from '../dist/profiles-server.js';
import { readServiceConfig } from '../dist/service-config.js';
import { jsonRequests } from './json-requests.mjs';

// Number() would take 'abc' (NaN), '-5' and '0' and run no request at all.
function positiveInteger(name, fallback) {
  const value = process.env[name] || undefined;
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) === 0) {
    console.error(`load: ${name} must be a whole number above 0, not ${JSON.stringify(value)}`);
    process.exit(1);
  }
  return Number(value);
}

const seconds = positiveInteger('LOAD_SECONDS', 30);
const connections = positiveInteger('LOAD_CONNECTIONS', 16);
const seedProfiles = positiveInteger('LOAD_PROFILES', 200);
const mix = { get: 0.7, patch: 0.15, post: 0.15 };

const secret = 'load-test-secret-0123456789-abcdefghijklmn';
const auth = { secret, issuer: 'load', audience: 'profiles', algorithms: ['HS256'] };
const spec = fileURLToPath(new URL('../dist/profiles.api.json', import.meta.url));

// The service's variables for where it stores, and only those: HOST, PORT and the secrets are
// the service's, not this script's (it listens on a free loopback port, with its own token).
const storageVariables = [
  'MACARON_BACKEND',
  'DATABASE_URL',
  'DYNAMODB_ENDPOINT',
  'MACARON_TABLE_PREFIX',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
];
let config;
try {
  config = readServiceConfig(
    Object.fromEntries(storageVariables.map((name) => [name, process.env[name]])),
  );
} catch (error) {
  console.error(`load: ${error.message}`);
  process.exit(1);
}
if (process.env.DATABASE_URL && config.backend !== 'postgres')
  console.log('load: DATABASE_URL is ignored: MACARON_BACKEND is not postgres.');
// Tables of this run only: seeding never meets a profile of the service or of an earlier run,
// and the final count reads no view but this run's.
const tablePrefix = `${config.tablePrefix}load_${Date.now().toString(36)}_`;

let storage;
let api;
try {
  storage = await openStorage(config, process.env);
  api = await loadApi(spec, { backend: storage.backend, tablePrefix });
  try {
    await storage.checkAnswers?.();
    await storage.backend.ensureTables?.(api.tables());
  } catch (error) {
    if (storage.source === undefined) throw error;
    throw new Error(`${storage.source}: ${error.message}`, { cause: error });
  }
} catch (error) {
  await storage?.stop().catch(() => {});
  console.error(`load: cannot start: ${String(error.message ?? error).split('\n')[0]}`);
  process.exit(1);
}
const tables = api.tables().map((table) => table.name);
console.log(`load: storing in ${storage.description}, tables ${tables.join(', ')}`);

// Where the store outlives this process (a DynamoDB endpoint, a PostgreSQL server), the run's
// tables are deleted at the end; an embedded engine goes with the process.
async function dropTables() {
  await storage.dropTables?.(api.tables());
}

let app;
let agent;
try {
  app = await buildProfilesServer({ api, auth });
  const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
  const token = await new SignJWT({ sub: 'load' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('load')
    .setAudience('profiles')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));

  agent = new Agent({ keepAlive: true, maxSockets: connections });

  const send = jsonRequests({ host: base.hostname, port: base.port, agent, token });

  const ids = [];
  for (let index = 0; index < seedProfiles; index++) {
    const id = `seed${index}`;
    const created = await send('POST', '/profiles', { profile_id: id, name: `Seed ${index}` });
    if (created.status !== 201) throw new Error(`seeding ${id}: ${created.status}`);
    ids.push(id);
  }

  const expected = { get: 200, patch: 200, post: 201 };
  const counts = { get: 0, patch: 0, post: 0 };
  const statuses = {};
  const unexpected = [];
  const latencies = [];
  let successfulGets = 0;
  let networkErrors = 0;
  let created = 0;
  const deadline = Date.now() + seconds * 1000;

  async function worker(number) {
    while (Date.now() < deadline) {
      const draw = Math.random();
      const kind = draw < mix.get ? 'get' : draw < mix.get + mix.patch ? 'patch' : 'post';
      const id = ids[Math.floor(Math.random() * ids.length)];
      counts[kind]++;
      try {
        let reply;
        if (kind === 'get') reply = await send('GET', `/profiles/${id}`);
        else if (kind === 'patch')
          reply = await send('PATCH', `/profiles/${id}`, { name: `Name ${Math.random()}` });
        else {
          const newId = `w${number}-${created++}`;
          reply = await send('POST', '/profiles', { profile_id: newId, name: 'New' });
          if (reply.status === 201) ids.push(newId);
        }
        latencies.push(reply.latencyMs);
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
        if (reply.status !== expected[kind])
          unexpected.push(`${kind} ${reply.status} ${JSON.stringify(reply.body)}`);
        else if (kind === 'get') successfulGets++;
      } catch (error) {
        networkErrors++;
        unexpected.push(`${kind} ${error}`);
      }
    }
  }

  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, (_, number) => worker(number)));
  const elapsed = (Date.now() - started) / 1000;

  // Read every profile back directly from the store, not through the service (a GET would count a view).
  const Profiles = api.persistent('Profile');
  let storedViews = 0;
  let stored = 0;
  let cursor;
  do {
    const page = await Profiles.scan({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const profile of page.items) {
      storedViews += Number(profile.view_count ?? 0);
      stored++;
    }
    cursor = page.cursor;
  } while (cursor);

  latencies.sort((a, b) => a - b);
  const percentile = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const total = latencies.length + networkErrors;
  const serverErrors = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
  const report = {
    seconds: Number(elapsed.toFixed(1)),
    connections,
    requests: total,
    requestsPerSecond: Math.round(total / elapsed),
    byOperation: counts,
    statuses,
    latencyMs: {
      p50: Number(percentile(50).toFixed(2)),
      p90: Number(percentile(90).toFixed(2)),
      p99: Number(percentile(99).toFixed(2)),
      max: Number((latencies.at(-1) ?? 0).toFixed(2)),
    },
    serverErrors,
    networkErrors,
    unexpected: unexpected.length,
    profilesStored: stored,
    successfulGets,
    storedViewCount: storedViews,
    noLostIncrement: storedViews === successfulGets,
  };
  console.log(JSON.stringify(report, null, 2));
  if (unexpected.length > 0)
    console.error('unexpected answers (first 10):', unexpected.slice(0, 10));
  // A run that sent nothing proved nothing.
  const ok =
    total > 0 &&
    serverErrors === 0 &&
    networkErrors === 0 &&
    unexpected.length === 0 &&
    report.noLostIncrement;
  console.log(ok ? 'load: PASS' : 'load: FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  await app?.close();
  agent?.destroy();
  try {
    await dropTables();
  } catch (error) {
    console.error(
      `load: the run's tables (${tables.join(', ')}) could not be deleted: ${String(error.message ?? error).split('\n')[0]}`,
    );
    process.exitCode = 1;
  }
  await storage.stop();
}
