// One library in one fresh process: runs the workload in one mode and prints one RESULT line.
// Usage: node worker.mjs '{"library":"raw","mode":"cpu","size":"full"}'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cannedConfigFor } from './canned-client.mjs';
import {
  createProfilesTable,
  engineClientConfig,
  seedItems,
  startEngine,
} from './engine-process.mjs';
import { measure, processCpuMicroseconds, run } from './measure.mjs';
import { operations } from './operations.mjs';
import { workerSizes } from './sizes.mjs';
import { pageSize, profile, profileKey } from './workload.mjs';

const table = 'profiles';
const config = JSON.parse(process.argv[2] ?? '{}');
const size = workerSizes[config.size ?? 'full'];

async function createClient() {
  if (config.mode === 'cpu') {
    const { createLibrary } = await import(`./libraries/${config.library}.mjs`);
    const clientConfig = await cannedConfigFor(createLibrary, table);
    return { client: new DynamoDBClient(clientConfig), clientConfig, stop() {} };
  }
  const engine = await startEngine();
  const clientConfig = engineClientConfig(engine.endpoint);
  const client = new DynamoDBClient(clientConfig);
  await createProfilesTable(client, table);
  return {
    client,
    clientConfig,
    enginePid: engine.pid,
    stop() {
      client.destroy();
      engine.stop();
    },
  };
}

// Each operation's output must be what the workload expects, in both modes.
async function check(library) {
  const loaded = await library.get(profileKey('owner-s7', 7));
  if (!loaded || typeof loaded.view_count !== 'number' || !Array.isArray(loaded.tags))
    throw new Error(`${config.library}: get returned ${JSON.stringify(loaded)}`);
  const first = await library.queryPage('owner-q');
  const second = await library.queryPage('owner-q', first.cursor);
  if (first.items.length !== pageSize || !first.cursor || second.items.length !== pageSize)
    throw new Error(
      `${config.library}: query pages of ${first.items.length}, ${second.items.length}`,
    );
  if (
    config.mode === 'e2e' &&
    second.items[0].profile_id !== profile('owner-q', pageSize).profile_id
  )
    throw new Error(`${config.library}: the second page starts at ${second.items[0].profile_id}`);
  const scanned = await library.scanPage();
  if (scanned.items.length !== pageSize)
    throw new Error(`${config.library}: scan page of ${scanned.items.length}`);
  for (const increment of [library.increment, library.incrementExisting]) {
    const updated = await increment(profileKey('owner-s7', 7));
    if (typeof updated?.view_count !== 'number')
      throw new Error(`${config.library}: update returned ${JSON.stringify(updated)}`);
  }
  if (config.mode === 'e2e') {
    const missing = await library.incrementExisting(profileKey('owner-none', 1)).then(
      () => 'written',
      () => 'refused',
    );
    if (missing !== 'refused')
      throw new Error(`${config.library}: a conditional update created an item`);
  }
}

const { createLibrary } = await import(`./libraries/${config.library}.mjs`);
const connection = await createClient();
try {
  const library = await createLibrary({ ...connection, table });
  if (config.mode === 'e2e') await library.writeAll(seedItems());
  await check(library);
  // Client-side CPU mode reports CPU time (robust to other load on the machine); end-to-end
  // reports wall-clock time, and the client process's CPU time beside it.
  // A first pass over every operation, untimed, to the steady state: V8 compiles a path fully
  // only after a few thousand calls (compiler threads count in CPU time), and a library with
  // more code of its own on a path takes longer to get there. Without it, the first
  // operation of a kind measured (put, update +1, the query page) paid for that compiling:
  // Macaron's update +1 came out 1.5× the raw DocumentClient's and its update +1 if exists,
  // the very same call measured next, 1.15×. Each operation runs for `firstPassMs` and
  // `firstPassCalls` calls at each concurrency, or `firstPassMaxMs` where calls are slow.
  const lanes = Array.from({ length: 16 }, () => ({}));
  for (const operation of Object.values(operations(library)))
    for (const concurrency of [1, 16]) {
      let elapsed = 0;
      for (let calls = 0; ; calls += 32) {
        const warm = elapsed >= size.firstPassMs && calls >= size.firstPassCalls;
        if (warm || elapsed >= size.firstPassMaxMs) break;
        elapsed += (await run(operation, 32, concurrency, lanes)).wallMs;
      }
    }
  const results = {};
  const clientCpu = {};
  const engineCpu = {};
  const { enginePid } = connection;
  const otherCpuMicroseconds = enginePid ? () => processCpuMicroseconds(enginePid) : undefined;
  for (const [name, operation] of Object.entries(operations(library))) {
    results[name] = {};
    clientCpu[name] = {};
    engineCpu[name] = {};
    for (const concurrency of [1, 16]) {
      const label = concurrency === 1 ? 'sequential' : 'concurrency 16';
      const { us, cpuUs, otherCpuUs } = await measure(operation, {
        ...size,
        concurrency,
        otherCpuMicroseconds,
      });
      results[name][label] = config.mode === 'cpu' ? cpuUs : us;
      clientCpu[name][label] = cpuUs;
      if (otherCpuUs !== undefined) engineCpu[name][label] = otherCpuUs;
    }
  }
  // One bulk write a process: 10,000 items (chunks of 25, retried), timed once after the warm-ups above.
  const bulk = Array.from({ length: size.bulkItems }, (_, index) =>
    profile(`owner-x${index % 50}`, index),
  );
  const bulkName = `batch write of ${size.bulkItems.toLocaleString('en-US')}`;
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  await library.writeAll(bulk);
  const wallUs = (performance.now() - started) * 1000;
  const { user, system } = process.cpuUsage(cpuStarted);
  results[bulkName] = { sequential: config.mode === 'cpu' ? user + system : wallUs };
  clientCpu[bulkName] = { sequential: user + system };
  const result = {
    library: config.library,
    mode: config.mode,
    results,
    clientCpu,
    ...(enginePid ? { engineCpu } : {}),
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} finally {
  connection.stop();
}
