// Removes from a package's `dist/` what tsc wrote for a source removed since: `tsc -b` never
// deletes outputs, so they would ship, with maps naming sources the tarball lacks. A bundled
// package's own modules are rewritten whole by bundle-package.mjs, which runs after this.
// Usage, in a package folder, after tsc: node ../../scripts/remove-stale-outputs.mjs
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const path = join(entry.parentPath, entry.name);
  const output = /^(.*)\.(js|d\.ts)(\.map)?$/.exec(relative('dist', path));
  if (output && !output[1].startsWith('chunks/') && !existsSync(join('src', `${output[1]}.ts`)))
    rmSync(path);
}
