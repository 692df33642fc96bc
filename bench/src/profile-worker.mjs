// Profiles one operation of one library in client-side CPU mode: V8's CPU profiler (the one
// behind `node --cpu-prof`) started through the inspector once setup and warm-up are done, so
// the profile holds only the operation. Writes bench/profiles/<library>-<operation>.cpuprofile.
// Usage: node profile-worker.mjs '{"library":"macaron","operation":"put","seconds":3}'
// ("concurrency": 16 profiles the operation with 16 calls in flight, as the run's second table)
// (a library of libraries/, or a memory subject: map, memory-backend, memory-model)
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cannedOperations } from './canned-operations.mjs';
import { run } from './measure.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const all = await cannedOperations(config.library);
const operation = all[config.operation];
if (!operation) throw new Error(`No operation ${config.operation}`);
const concurrency = config.concurrency ?? 1;
const lanes = Array.from({ length: concurrency }, () => ({}));
// With `afterAll`, every operation runs first, as in the full run's worker (worker.mjs): a path
// shared with other operations may then be compiled for all of them, not for this one alone.
if (config.afterAll)
  for (const other of Object.values(all))
    for (const concurrency of [1, 16])
      for (let elapsed = 0; elapsed < 250; )
        elapsed += (
          await run(
            other,
            32,
            concurrency,
            Array.from({ length: 16 }, () => ({})),
          )
        ).wallMs;
// Warm up for a second, then profile for the given time.
for (let elapsed = 0; elapsed < 1000; )
  elapsed += (await run(operation, 50, concurrency, lanes)).wallMs;
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
let measured = 0;
const deadline = performance.now() + (config.seconds ?? 3) * 1000;
while (performance.now() < deadline) {
  await run(operation, 50, concurrency, lanes);
  measured += 50;
}
const { profile } = await session.post('Profiler.stop');
session.disconnect();
const directory = new URL('../profiles/', import.meta.url);
mkdirSync(directory, { recursive: true });
const file = new URL(
  `${config.library}-${config.operation.replaceAll(/\W+/g, '-')}.cpuprofile`,
  directory,
);
writeFileSync(file, JSON.stringify(profile));
process.stdout.write(`RESULT ${JSON.stringify({ file: file.pathname, calls: measured })}\n`);
