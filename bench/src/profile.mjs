// Profiles an operation of a library (client-side CPU mode) and prints where its time goes:
// self time by function, inclusive time by function, and time by package, per call.
// Usage: pnpm --filter bench profile [--after-all] [--concurrency=16] macaron put [seconds]
// (--after-all: every operation runs first, as in the full run's worker; --concurrency=16: the
// operation with 16 calls in flight, as in the run's second client-CPU table)
import { readFileSync } from 'node:fs';
import { runChild } from './run-child.mjs';

const afterAll = process.argv.includes('--after-all');
const concurrencyFlag = process.argv.find((argument) => argument.startsWith('--concurrency='));
const concurrency = concurrencyFlag ? Number(concurrencyFlag.split('=')[1]) : 1;
const [library = 'macaron', operation = 'put', seconds = '3'] = process.argv
  .slice(2)
  .filter((argument) => !argument.startsWith('--'));
const { file, calls } = await runChild(
  'profile-worker.mjs',
  JSON.stringify({ library, operation, seconds: Number(seconds), afterAll, concurrency }),
);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

function where(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/.*\/work\/main\//, '');
  return `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`;
}

function packageOf(node) {
  const url = node.callFrame.url;
  if (!url)
    return node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const inPnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inPnpm) return inPnpm[1];
  const workspace = url.match(/\/work\/main\/(packages\/[^/]+|bench)\//);
  return workspace ? workspace[1] : url;
}

// Sample durations from the time deltas, so every sample weighs what it took.
const self = new Map();
const inclusive = new Map();
const packages = new Map();
let total = 0;
profile.samples.forEach((id, index) => {
  const weight = profile.timeDeltas[index + 1] ?? profile.timeDeltas[index] ?? 0;
  total += weight;
  const node = byId.get(id);
  self.set(where(node), (self.get(where(node)) ?? 0) + weight);
  packages.set(packageOf(node), (packages.get(packageOf(node)) ?? 0) + weight);
  const seen = new Set();
  for (let current = id; current !== undefined; current = parent.get(current)) {
    const key = where(byId.get(current));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + weight);
  }
});

const perCall = (microseconds) => `${(microseconds / calls).toFixed(1).padStart(7)} µs/call`;
const top = (map, count) =>
  [...map.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, count)
    .map(
      ([key, value]) =>
        `${perCall(value)} ${((100 * value) / total).toFixed(1).padStart(5)} %  ${key}`,
    )
    .join('\n');
console.log(
  `${library} ${operation}: ${calls} calls, ${perCall(total)} sampled, profile in ${file}\n`,
);
console.log(`By package (self time):\n${top(packages, 15)}\n`);
console.log(`Self time by function:\n${top(self, 30)}\n`);
console.log(`Inclusive time by function:\n${top(inclusive, 45)}`);
