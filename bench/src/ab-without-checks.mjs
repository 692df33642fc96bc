// Makes a snapshot of the current build with the boundary work's checks taken out, for
// ab-paired.mjs: `macaron` against `macaron-snapshot` (MACARON_SNAPSHOT=without-checks) is then
// what those checks cost. Patched in the snapshot's JavaScript only, never in the source:
// - property names as data (`ownProperty`, `setOwnProperty`): plain reads and writes;
// - index key values checked on every write (`keyValueProblems`): no problems;
// - add keeping the schema's bounds (`numberBounds`): no bounds, so no guard;
// - DynamoDB's expression limits (`checkExpressionLimits`): not checked;
// - `__proto__` attributes kept by the DynamoDB backend (`keepProtoAttributes`): its
//   middleware not added.
// Usage: node src/ab-without-checks.mjs [checks=names,keys,bounds,limits,proto]
// (after building core and backend-dynamodb); the snapshot is `without-<checks joined by ->`,
// or `without-checks` for all of them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const all = ['names', 'keys', 'bounds', 'limits', 'proto'];
const chosen = (process.argv[2] ?? all.join(',')).split(',');
for (const check of chosen) if (!all.includes(check)) throw new Error(`No check ${check}`);
const name = chosen.length === all.length ? 'without-checks' : `without-${chosen.join('-')}`;
execFileSync(process.execPath, [fileURLToPath(new URL('ab-snapshot.mjs', import.meta.url)), name], {
  stdio: 'inherit',
});
const dist = join(
  process.env.MACARON_AB_DIR ?? '/tmp/macaron-ab',
  name,
  'node_modules/@macaron/core/dist',
);

// Puts `body` first in the function that `signature` opens, in whichever of the bundle's
// files (entry points and chunks) holds it, so the rest of it never runs.
function shortCircuit(signature, body, root = dist) {
  const files = readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.js'))
    .filter((file) => readFileSync(join(root, file), 'utf8').includes(signature));
  if (files.length !== 1)
    throw new Error(`${signature}: in ${files.length} files of ${root}, not exactly one`);
  const path = join(root, files[0]);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace(signature, `${signature}\n    ${body}`));
}

if (chosen.includes('names')) {
  shortCircuit('function ownProperty(record, name) {', 'return record[name];');
  shortCircuit('function setOwnProperty(record, name, value) {', 'record[name] = value; return;');
}
if (chosen.includes('keys'))
  shortCircuit('function keyValueProblems(table, values) {', 'return [];');
if (chosen.includes('bounds')) shortCircuit('function numberBounds(node) {', 'return [];');
if (chosen.includes('limits'))
  shortCircuit('function checkExpressionLimits(parts, where) {', 'return;');
if (chosen.includes('proto'))
  shortCircuit(
    'var keepProtoAttributes = {\n  applyToStack(stack) {',
    'return;',
    join(dist, '../../backend-dynamodb/dist'),
  );
console.log(`${name}: ${chosen.join(', ')} taken out of the snapshot`);
