// Copies built Macaron packages (core, backend-dynamodb and backend-postgres: package.json and
// dist) aside, as a snapshot that `libraries/macaron-snapshot.mjs` (and postgres-ab.mjs) loads
// beside the current build, so that ab-paired.mjs can compare two builds in one process
// (before/after a change, or a build with some checks patched out).
// Usage: node src/ab-snapshot.mjs <name> [packages root=../packages]
// The snapshot goes to $MACARON_AB_DIR (default /tmp/macaron-ab)/<name>/node_modules/@macaron/,
// and $MACARON_AB_DIR/node_modules links to bench/node_modules, so the snapshot's own imports
// (the AWS SDK, dynamodb-toolbox) resolve to the same modules the bench uses.
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [name, root = fileURLToPath(new URL('../../packages', import.meta.url))] =
  process.argv.slice(2);
if (!name) throw new Error('Usage: node src/ab-snapshot.mjs <name> [packages root]');
const base = process.env.MACARON_AB_DIR ?? '/tmp/macaron-ab';
const benchModules = fileURLToPath(new URL('../node_modules', import.meta.url));
mkdirSync(base, { recursive: true });
if (!existsSync(join(base, 'node_modules'))) symlinkSync(benchModules, join(base, 'node_modules'));
for (const pkg of ['core', 'backend-dynamodb', 'backend-postgres']) {
  const target = join(base, name, 'node_modules', '@macaron', pkg);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(join(resolve(root), pkg, 'package.json'), join(target, 'package.json'));
  cpSync(join(resolve(root), pkg, 'dist'), join(target, 'dist'), { recursive: true });
}
console.log(`snapshot ${name} in ${join(base, name)}`);
