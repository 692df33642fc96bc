// Builds the published packages from nothing before `changeset publish`: a stale file left in
// dist/ by a renamed or deleted source (tsc -b never removes them) or a cached turbo output
// must not reach a tarball. Then checks the tarballs as CI does.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
for (const name of readdirSync(join(root, 'packages'))) {
  const folder = join(root, 'packages', name);
  rmSync(join(folder, 'dist'), { recursive: true, force: true });
  for (const file of readdirSync(folder)) {
    if (file.endsWith('.tsbuildinfo')) rmSync(join(folder, file));
  }
}
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });
run('npx', [
  'turbo',
  'run',
  'build',
  '--force',
  '--filter=./packages/*',
  '--output-logs=errors-only',
]);
run('node', ['scripts/pack-check.mjs']);
