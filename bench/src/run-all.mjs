// Runs the whole benchmark, each library in fresh processes, and writes docs/performance.md.
// `node src/run-all.mjs` (a full run, ~10 minutes) or `node src/run-all.mjs --smoke` (tiny, prints only).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSizes } from './bundle-size.mjs';
import { coldStartSpec, toYaml } from './cold-start-spec.mjs';
import { machine, renderReport } from './report.mjs';
import { runChild } from './run-child.mjs';

const smoke = process.argv.includes('--smoke');
const size = smoke ? 'smoke' : 'full';
const rounds = smoke ? 1 : 3;
const libraries = ['raw', 'toolbox', 'electrodb', 'dynamoose', 'macaron'];
const memorySubjects = ['map', 'memory-backend', 'memory-model'];
const benchDirectory = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = join(benchDirectory, '..');
const started = performance.now();

function log(message) {
  const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${seconds}s] ${message}\n`);
}

// Every round runs every subject once, each in a fresh process; odd rounds in reverse order.
async function alternating(subjects, roundCount, runOne, field = 'results') {
  const samples = {};
  const clientCpu = {};
  for (let round = 0; round < roundCount; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      log(`round ${round + 1}/${roundCount}: ${subject}`);
      const output = await runOne(subject);
      for (const [target, source] of [
        [samples, output.results],
        [clientCpu, output.clientCpu ?? {}],
      ])
        for (const [operation, byConcurrency] of Object.entries(source))
          for (const [concurrency, us] of Object.entries(byConcurrency))
            (((target[subject] ??= {})[operation] ??= {})[concurrency] ??= []).push(us);
    }
  }
  return field === 'results' ? samples : { samples, clientCpu };
}

function packageVersion(name) {
  const path = join(benchDirectory, 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(path, 'utf8')).version;
}

async function coldStart() {
  const directory = mkdtempSync(join(tmpdir(), 'macaron-cold-start-'));
  const specPath = join(directory, 'api.yaml');
  writeFileSync(specPath, `${toYaml(coldStartSpec()).trimStart()}\n`);
  const runs = { macaron: [], node: [] };
  try {
    for (let round = 0; round < (smoke ? 1 : 7); round++) {
      log(`cold start ${round + 1}`);
      runs.node.push(await runChild('cold-start-baseline.mjs'));
      runs.macaron.push(await runChild('cold-start-child.mjs', specPath));
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return { ...runs, specBytes: Buffer.byteLength(toYaml(coldStartSpec())) };
}

async function memoryPeaks() {
  const sizes = smoke ? [1_000, 10_000] : [10_000, 100_000];
  const results = [];
  for (const library of ['raw', 'macaron'])
    for (const items of sizes) {
      log(`memory: ${library}, ${items} items`);
      results.push(await runChild('rss-worker.mjs', JSON.stringify({ library, items })));
    }
  return results;
}

const results = {
  smoke,
  rounds,
  loadAverageAtStart: os.loadavg(),
  machine: machine(),
  versions: Object.fromEntries(
    [
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/lib-dynamodb',
      'dynamodb-toolbox',
      'electrodb',
      'dynamoose',
      'dynalite',
      '@redocly/openapi-core',
      '@macaron/core',
      '@macaron/backend-dynamodb',
      '@macaron/backend-memory',
    ].map((name) => [name, packageVersion(name)]),
  ),
};
results.cpu = await alternating(libraries, rounds, (library) =>
  runChild('worker.mjs', JSON.stringify({ library, mode: 'cpu', size })),
);
const endToEnd = await alternating(
  libraries,
  rounds,
  (library) => runChild('worker.mjs', JSON.stringify({ library, mode: 'e2e', size })),
  'both',
);
results.e2e = endToEnd.samples;
results.e2eClientCpu = endToEnd.clientCpu;
results.memory = await alternating(memorySubjects, rounds, (library) =>
  runChild('memory-worker.mjs', JSON.stringify({ library, size })),
);
results.rss = await memoryPeaks();
results.coldStart = await coldStart();
log('bundle size');
results.bundle = await bundleSizes();
results.durationSeconds = (performance.now() - started) / 1000;
results.loadAverageAtEnd = os.loadavg();

const findings = readFileSync(join(benchDirectory, 'findings.md'), 'utf8');
const report = renderReport(results, findings);
writeFileSync(join(benchDirectory, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
if (smoke) {
  process.stdout.write(report);
  log('smoke run done: every library ran every operation');
} else {
  writeFileSync(join(repositoryRoot, 'docs', 'performance.md'), report);
  log('wrote docs/performance.md');
}
