// Adds up the vitest JSON reports of every workspace package into one closing line,
// `tests: N passed, N failed, N skipped`, so a whole-repo run ends with a single count, and
// says beside it which test lanes did not run here and the command that enables them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enableMotoCommand, missingPython, motoLaneInstalled } from './moto-lane.mjs';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
let motoSkipped = 0;
const missing = [];
for (const group of ['packages', 'apps']) {
  const folder = join(root, group);
  if (!existsSync(folder)) continue;
  for (const name of readdirSync(folder)) {
    const manifest = join(folder, name, 'package.json');
    if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test)
      continue;
    const report = join(folder, name, 'test-results.json');
    if (!existsSync(report)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    const results = JSON.parse(readFileSync(report, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    skipped += results.numPendingTests + results.numTodoTests;
    motoSkipped += countSkipped(results, /\bmoto\b/);
  }
}
if (missing.length > 0) {
  console.error(`No test report from: ${missing.join(', ')}`);
  failed += missing.length;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (!motoLaneInstalled()) {
  const python = missingPython();
  const why = python
    ? `it needs Python 3.11 or later (${python}); with one, enable it with`
    : 'the pinned moto server is not installed in .venv-moto/; enable it with';
  console.log(
    `skipped lane: moto (${motoSkipped} tests of the DynamoDB backend against moto): ${why}: ` +
      enableMotoCommand,
  );
}
process.exit(failed > 0 || passed === 0 ? 1 : 0);

/** The skipped tests of a vitest JSON report whose full name matches. */
function countSkipped(results, name) {
  let count = 0;
  for (const file of results.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if ((test.status === 'pending' || test.status === 'skipped') && name.test(test.fullName)) {
        count++;
      }
    }
  }
  return count;
}
