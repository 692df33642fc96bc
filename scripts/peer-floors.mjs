// Raises the floor of every peer range on a package of this workspace (core, and the CLI's
// optional backends) to that package's version, after `changeset version` (run by `pnpm
// version-packages`). Such peers are `>=X <1.0.0` until 1.0 (a caret range takes one 0.x minor
// only), and X must follow what the release was built against: a backend that imports what
// core gained in 0.2.0, installed beside core 0.1.0, would fail at import with a SyntaxError
// rather than a peer warning. A package this release does not publish keeps its raised floor
// in the repository until its next release, which is built against that version too.
// `--check`: exits 1 when a floor lags, changing nothing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const manifests = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name, 'package.json'))
  .filter((path) => existsSync(path))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
const versions = new Map(
  manifests.map(({ text }) => {
    const manifest = JSON.parse(text);
    return [manifest.name, manifest.version];
  }),
);
const lagging = [];
for (const { path, text } of manifests) {
  const manifest = JSON.parse(text);
  let changed = false;
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    const floor = /^workspace:>=(\S+) (<\S+)$/.exec(range);
    const version = versions.get(name);
    if (!floor || version === undefined || floor[1] === version) continue;
    lagging.push(`${manifest.name}: ${name} ${range}, at ${version}`);
    manifest.peerDependencies[name] = `workspace:>=${version} ${floor[2]}`;
    changed = true;
  }
  if (changed && !check) writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}
if (check && lagging.length > 0) {
  console.error(`Peer floors behind their packages' versions:\n  ${lagging.join('\n  ')}`);
  console.error('Run node scripts/peer-floors.mjs (pnpm version-packages does).');
  process.exit(1);
}
if (!check) for (const line of lagging) console.log(`raised ${line}`);
