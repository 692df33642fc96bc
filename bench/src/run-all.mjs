// Runs the whole benchmark, each library in fresh processes, and writes docs/performance.md.
// `node src/run-all.mjs` (a full run, ~25 minutes) or `node src/run-all.mjs --smoke` (tiny, prints only).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSizes } from './bundle-size.mjs';
import { coldStartSpec, toYaml } from './cold-start-spec.mjs';
import { machine, renderReport } from './report.mjs';
import { runChild } from './run-child.mjs';

const smoke = process.argv.includes('--smoke');
const size = smoke ? 'smoke' : 'full';
// More rounds of the client-CPU mode: its ratios are the finest the targets ask for.
const rounds = smoke ? 1 : 3;
const cpuRounds = smoke ? 1 : 5;
const libraries = ['raw', 'toolbox', 'electrodb', 'dynamoose', 'macaron', 'macaron-cached'];
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
  const engineCpu = {};
  for (let round = 0; round < roundCount; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      log(`round ${round + 1}/${roundCount}: ${subject}`);
      const output = await runOne(subject);
      for (const [target, source] of [
        [samples, output.results],
        [clientCpu, output.clientCpu ?? {}],
        [engineCpu, output.engineCpu ?? {}],
      ])
        for (const [operation, byConcurrency] of Object.entries(source))
          for (const [concurrency, us] of Object.entries(byConcurrency))
            (((target[subject] ??= {})[operation] ??= {})[concurrency] ??= []).push(us);
    }
  }
  return field === 'results' ? samples : { samples, clientCpu, engineCpu };
}

function packageVersion(name) {
  const path = join(benchDirectory, 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(path, 'utf8')).version;
}

// The YAML spec, and its compiled form where core has `compileSpec` (what `macaron compile` writes).
async function coldStart() {
  const directory = mkdtempSync(join(tmpdir(), 'macaron-cold-start-'));
  const yamlPath = join(directory, 'api.yaml');
  const compiledPath = join(directory, 'api.json');
  writeFileSync(yamlPath, `${toYaml(coldStartSpec()).trimStart()}\n`);
  const { compileSpec } = await import('@macaron/core');
  if (compileSpec) writeFileSync(compiledPath, JSON.stringify(await compileSpec(yamlPath)));
  const runs = { node: [], raw: [], macaron: [], ...(compileSpec ? { compiled: [] } : {}) };
  try {
    for (let round = 0; round < (smoke ? 1 : 7); round++) {
      log(`cold start ${round + 1}`);
      runs.node.push(await runChild('cold-start-baseline.mjs'));
      runs.raw.push(await runChild('cold-start-raw.mjs'));
      runs.macaron.push(await runChild('cold-start-child.mjs', yamlPath));
      if (compileSpec) runs.compiled.push(await runChild('cold-start-child.mjs', compiledPath));
    }
    return {
      ...runs,
      specBytes: statSync(yamlPath).size,
      ...(compileSpec ? { compiledBytes: statSync(compiledPath).size } : {}),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
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

// `--render` rewrites the report from the last results (bench/results.json) without measuring.
const render = process.argv.includes('--render');
const results = render
  ? JSON.parse(readFileSync(join(benchDirectory, 'results.json'), 'utf8'))
  : await measureAll();

async function measureAll() {
  const results = {
    smoke,
    rounds,
    cpuRounds,
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
  results.cpu = await alternating(libraries, cpuRounds, (library) =>
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
  results.e2eEngineCpu = endToEnd.engineCpu;
  results.memory = await alternating(memorySubjects, rounds, (library) =>
    runChild('memory-worker.mjs', JSON.stringify({ library, size })),
  );
  results.rss = await memoryPeaks();
  results.coldStart = await coldStart();
  log('PostgreSQL');
  results.postgres = await runChild('postgres-bench.mjs', smoke ? '--smoke' : undefined, {
    timeoutMs: 900_000,
  });
  log('bundle size');
  results.bundle = await bundleSizes();
  results.durationSeconds = (performance.now() - started) / 1000;
  results.loadAverageAtEnd = os.loadavg();

  return results;
}

const findings = readFileSync(join(benchDirectory, 'findings.md'), 'utf8');
const report = renderReport(results, findings);
// The smoke run keeps its results apart, so that `--render` always finds the last full run.
if (!render)
  writeFileSync(
    join(benchDirectory, smoke ? 'results-smoke.json' : 'results.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
if (results.smoke) {
  process.stdout.write(report);
  log('smoke run done: every library ran every operation');
} else {
  const output = join(repositoryRoot, 'docs', 'performance.md');
  writeFileSync(output, report);
  // The repository's formatter lays out Markdown tables too: leave the file as `pnpm lint` wants it.
  const biome = join(repositoryRoot, 'node_modules', '.bin', 'biome');
  const formatted = spawnSync(biome, ['format', '--write', output], { stdio: 'ignore' });
  log(`wrote docs/performance.md${formatted.status === 0 ? '' : ' (not formatted: biome failed)'}`);
}
