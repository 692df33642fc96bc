// Makes a snapshot of the current build with the boundary work's checks taken out, for
// ab-paired.mjs: `macaron` against `macaron-snapshot` (MACARON_SNAPSHOT=without-checks) is then
// what those checks cost. Patched in the snapshot's JavaScript only, never in the source:
// - property names as data (schema/own-property.js): plain reads and writes;
// - index key values checked on every write (persist/index-key-values.js): no problems;
// - add keeping the schema's bounds (persist/add-bounds.js): no bounds, so no guard;
// - DynamoDB's expression limits (persist/expression-limits.js): not checked;
// - `__proto__` attributes kept by the DynamoDB backend (operations/keep-proto-attributes.js):
//   its middleware not added.
// Usage: node src/ab-without-checks.mjs [checks=names,keys,bounds,limits,proto]
// (after building core and backend-dynamodb); the snapshot is `without-<checks joined by ->`,
// or `without-checks` for all of them.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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

// Puts `body` first in the named function, so the rest of it never runs.
function shortCircuit(file, signature, body, root = dist) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(signature)) throw new Error(`${file}: no ${signature}`);
  writeFileSync(path, text.replace(signature, `${signature}\n    ${body}`));
}

if (chosen.includes('names')) {
  shortCircuit(
    'schema/own-property.js',
    'export function ownProperty(record, name) {',
    'return record[name];',
  );
  shortCircuit(
    'schema/own-property.js',
    'export function setOwnProperty(record, name, value) {',
    'record[name] = value; return;',
  );
}
if (chosen.includes('keys'))
  shortCircuit(
    'persist/index-key-values.js',
    'export function keyValueProblems(table, values) {',
    'return [];',
  );
if (chosen.includes('bounds'))
  shortCircuit('persist/add-bounds.js', 'export function numberBounds(node) {', 'return [];');
if (chosen.includes('limits'))
  shortCircuit(
    'persist/expression-limits.js',
    'export function checkExpressionLimits(parts, where) {',
    'return;',
  );
if (chosen.includes('proto'))
  shortCircuit(
    'operations/keep-proto-attributes.js',
    'applyToStack(stack) {',
    'return;',
    join(dist, '../../backend-dynamodb/dist'),
  );
console.log(`${name}: ${chosen.join(', ')} taken out of the snapshot`);
