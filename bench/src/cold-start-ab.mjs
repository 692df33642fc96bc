// Cold start of the compiled spec against the raw SDK, alternating fresh processes: process
// start to the first loaded object (Macaron: import, loadApi of the compiled 200-schema spec,
// persistent(), one load()) against import to the first GetItem (raw). Also lists which of
// dynamodb-toolbox and @redocly/openapi-core each Macaron process loaded (none is the aim).
// Usage: node src/cold-start-ab.mjs [rounds=9]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coldStartSpec, toYaml } from './cold-start-spec.mjs';
import { median } from './measure.mjs';

const rounds = Number(process.argv[2] ?? 9);
const directory = mkdtempSync(join(tmpdir(), 'macaron-cold-ab-'));
const yamlPath = join(directory, 'api.yaml');
const compiledPath = join(directory, 'api.json');
writeFileSync(yamlPath, `${toYaml(coldStartSpec()).trimStart()}\n`);
const { compileSpec } = await import('@macaron/core');
writeFileSync(compiledPath, JSON.stringify(await compileSpec(yamlPath)));

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
function child(script, argument, watch) {
  const result = spawnSync(
    process.execPath,
    [
      '--no-warnings',
      ...(watch ? ['--import', here('module-watch.mjs')] : []),
      here(script),
      ...(argument ? [argument] : []),
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...(watch ? { MODULE_WATCH: 'dynamodb-toolbox|@redocly' } : {}),
      },
    },
  );
  const line = result.stdout.split('\n').find((text) => text.startsWith('RESULT '));
  if (!line) throw new Error(`${script}: ${result.stderr}`);
  const loaded = result.stderr
    .split('\n')
    .filter((text) => text.startsWith('LOADED '))
    .map((text) => text.slice(7));
  return { ...JSON.parse(line.slice(7)), loaded };
}

const raw = [];
const compiled = [];
const loaded = new Set();
try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ['compiled', 'raw'] : ['raw', 'compiled'];
    for (const side of order) {
      if (side === 'raw') raw.push(child('cold-start-raw.mjs').marks);
      else {
        const run = child('cold-start-child.mjs', compiledPath, false);
        compiled.push(run.marks);
        // A separate process with the watcher (its hook thread would slow the timed one).
        for (const name of child('cold-start-child.mjs', compiledPath, true).loaded)
          loaded.add(name);
      }
    }
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
const ms = (marks, mark) => marks[mark] - marks.start;
const rawMs = raw.map((marks) => ms(marks, 'firstObject'));
const macaronMs = compiled.map((marks) => ms(marks, 'firstObject'));
const steps = ['awsSdk', 'core', 'backend', 'loadApi', 'firstObject'];
console.log(
  `raw SDK, import to first GetItem: median ${median(rawMs).toFixed(1)} ms (${rawMs.map((v) => v.toFixed(0)).join(' ')})`,
);
console.log(
  `Macaron compiled, import to first loaded object: median ${median(macaronMs).toFixed(1)} ms (${macaronMs.map((v) => v.toFixed(0)).join(' ')})`,
);
console.log(
  `difference of the medians: ${(median(macaronMs) - median(rawMs)).toFixed(1)} ms; per round: ${macaronMs.map((v, i) => (v - rawMs[i]).toFixed(0)).join(' ')}`,
);
for (let i = 1; i < steps.length; i++)
  console.log(
    `  ${steps[i - 1]} -> ${steps[i]}: ${median(compiled.map((marks) => marks[steps[i]] - marks[steps[i - 1]])).toFixed(1)} ms`,
  );
console.log(
  `modules of dynamodb-toolbox or @redocly loaded by Macaron's cold start: ${[...loaded].join(', ') || 'none'}`,
);
process.stdout.write(`RESULT ${JSON.stringify({ raw, compiled, loaded: [...loaded] })}\n`);
