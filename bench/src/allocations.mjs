// What one call of an operation allocates, by package and by function, on the canned client
// (client-side CPU mode) or on a memory subject (`map`, `memory-backend`, `memory-model`): V8's
// sampling heap profiler, started after warm-up, collected objects included. Unlike time, this does not move with the host's load, so a change to a hot path
// can be checked on a busy machine. Allocation sites are functions (V8 samples no lines).
// Usage: node src/allocations.mjs <library> <operation> [calls=2000] [sites=25]
//   e.g. node src/allocations.mjs macaron 'query page of 100'
import { Session } from 'node:inspector/promises';
import { cannedOperations } from './canned-operations.mjs';
import { run } from './measure.mjs';

const [library = 'macaron', operationName = 'put', callsArgument = '2000', sitesArgument = '25'] =
  process.argv.slice(2);
const calls = Number(callsArgument);
if (!Number.isSafeInteger(calls) || calls < 1)
  throw new Error(`calls must be a whole number from 1, not ${callsArgument}`);
const all = await cannedOperations(library);
const operation = all[operationName];
if (!operation) throw new Error(`No operation ${operationName}: ${Object.keys(all).join(', ')}`);
const lanes = [{}];
for (let warm = 0; warm < 40; warm++) await run(operation, 50, 1, lanes);

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 128,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
// Exactly `calls` calls (the figures are divided by it), 50 at a time.
for (let done = 0; done < calls; done += 50)
  await run(operation, Math.min(50, calls - done), 1, lanes);
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();

// Where a frame's code is: a package (by its name), a workspace package, or Node itself.
function owner(url) {
  const inModules = url.match(
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/,
  );
  if (inModules) return inModules[1];
  const workspace = url.match(/\/(packages\/[^/]+)\//);
  if (workspace) return workspace[1];
  return url === '' ? '(native)' : url.replace(/^node:([^/]+).*/, 'node:$1').replace(/.*\//, '');
}
const bySite = new Map();
const byOwner = new Map();
let total = 0;
const pending = [profile.head];
while (pending.length > 0) {
  const node = pending.pop();
  const { functionName, url, lineNumber } = node.callFrame;
  total += node.selfSize;
  const where = owner(url);
  const site = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  byOwner.set(where, (byOwner.get(where) ?? 0) + node.selfSize);
  pending.push(...node.children);
}
const perCall = (bytes) => `${Math.round(bytes / calls)}`.padStart(8);
console.log(`${library} ${operationName}: ${perCall(total).trim()} bytes a call (sampled)`);
for (const [where, bytes] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(perCall(bytes), where);
console.log('sites:');
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(sitesArgument)))
  console.log(perCall(bytes), site);
