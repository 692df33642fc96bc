// A/B of two libraries' client-side CPU in ONE process, alternating short batches of the same
// operation many times: both sides see the same machine load at nearly the same moment, so
// their per-round ratio holds on a busy machine, where separate processes (ab.mjs, the full
// run) measured seconds apart swing by ±50 %. A closer look, not the published figure: the
// libraries share the process (its JIT and heap), which the full run keeps apart.
//
// Usage: node src/ab-paired.mjs [--engine] [subject=macaron] [baseline=raw] [rounds=15] [operation filter]
// The subject or the baseline may be `macaron-snapshot` (MACARON_SNAPSHOT=<name>, a copy of
// the built packages made by ab-snapshot.mjs), so two builds of Macaron can be compared.
// With `--engine`, both talk to one dynalite process over loopback HTTP (the end-to-end
// run's setting) and the figure is wall-clock time per call: subject / baseline is the
// inverse of the end-to-end throughput ratio.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cannedConfigFor } from './canned-client.mjs';
import {
  createProfilesTable,
  engineClientConfig,
  seedItems,
  startEngine,
} from './engine-process.mjs';
import { median, run } from './measure.mjs';
import { operations } from './operations.mjs';

const engineMode = process.argv.includes('--engine');
const [subject = 'macaron', baseline = 'raw', roundText = '15', filter = ''] = process.argv
  .slice(2)
  .filter((argument) => argument !== '--engine');
const rounds = Number(roundText);
// An engine call takes ~1 ms: longer batches for as many calls a batch.
const batchMs = engineMode ? 250 : 25;
const table = 'profiles';
const engine = engineMode ? await startEngine() : undefined;
if (engine)
  await createProfilesTable(new DynamoDBClient(engineClientConfig(engine.endpoint)), table);

async function setUp(name) {
  const { createLibrary } = await import(`./libraries/${name}.mjs`);
  let clientConfig;
  if (engine) clientConfig = engineClientConfig(engine.endpoint);
  else clientConfig = await cannedConfigFor(createLibrary, table);
  const library = await createLibrary({
    client: new DynamoDBClient(clientConfig),
    clientConfig,
    table,
  });
  if (engine) await library.writeAll(seedItems());
  return operations(library);
}

const sides = { [subject]: await setUp(subject), [baseline]: await setUp(baseline) };
// Minor GC before each batch, where exposed, so a batch pays for its own garbage only.
const collect = globalThis.gc ? () => globalThis.gc({ type: 'minor' }) : () => {};

async function batch(operation, calls, concurrency, lanes) {
  collect();
  const { cpuMs, wallMs } = await run(operation, calls, concurrency, lanes);
  return ((engine ? wallMs : cpuMs) * 1000) / calls;
}

console.log(
  `${subject} / ${baseline}, ${engine ? 'wall-clock µs per call against dynalite' : 'client CPU µs per call'}, ${rounds} alternating rounds of ~${batchMs} ms batches in one process`,
);
console.log('operation | concurrency | baseline µs | subject µs | ratio median | ratio IQR');
for (const name of Object.keys(sides[baseline])) {
  if (filter && !name.includes(filter)) continue;
  for (const concurrency of [1, 16]) {
    const lanes = { [subject]: [], [baseline]: [] };
    const calls = {};
    for (const side of [subject, baseline]) {
      lanes[side] = Array.from({ length: concurrency }, () => ({}));
      // Warm up, and size the batches to ~batchMs each.
      let count = concurrency;
      let elapsed = 0;
      while (elapsed < 300) {
        elapsed += (await run(sides[side][name], count, concurrency, lanes[side])).wallMs;
        count *= 2;
      }
      const perCall = elapsed / (count - concurrency);
      calls[side] = Math.max(concurrency, Math.round(batchMs / perCall));
    }
    const figures = { [subject]: [], [baseline]: [] };
    const ratios = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [subject, baseline] : [baseline, subject];
      const result = {};
      for (const side of order)
        result[side] = await batch(sides[side][name], calls[side], concurrency, lanes[side]);
      figures[subject].push(result[subject]);
      figures[baseline].push(result[baseline]);
      ratios.push(result[subject] / result[baseline]);
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    const quartile = (q) => sorted[Math.floor(q * (sorted.length - 1))].toFixed(2);
    console.log(
      [
        name,
        concurrency,
        Math.round(median(figures[baseline])),
        Math.round(median(figures[subject])),
        median(ratios).toFixed(3),
        `${quartile(0.25)}–${quartile(0.75)}`,
      ].join(' | '),
    );
  }
}
engine?.stop();
