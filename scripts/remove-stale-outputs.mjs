// Removes from a package's `dist/` what tsc wrote for a source removed since: `tsc -b` never
// deletes outputs, so they would ship, with maps naming sources the tarball lacks. A bundled
// package's own modules are rewritten whole by bundle-package.mjs, which runs after this.
// Usage, in a package folder, after tsc: node ../../scripts/remove-stale-outputs.mjs
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

// What tsc writes for a source, by the source's extension: `x.js` and `x.d.ts` come from
// `x.ts` or `x.tsx`, `x.mjs` and `x.d.mts` from `x.mts`, `x.cjs` and `x.d.cts` from `x.cts`.
const sourcesOf = { js: ['ts', 'tsx'], mjs: ['mts'], cjs: ['cts'] };
const output = /^(.*?)\.(?:(js|mjs|cjs)|d\.(ts|mts|cts))(?:\.map)?$/;

for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const path = join(entry.parentPath, entry.name);
  const name = relative('dist', path);
  const match = output.exec(name);
  if (!match || name.startsWith('chunks/')) continue;
  const [, stem, script, declaration] = match;
  const kind = script ?? { ts: 'js', mts: 'mjs', cts: 'cjs' }[declaration];
  const sources = sourcesOf[kind].map((extension) => join('src', `${stem}.${extension}`));
  if (!sources.some((source) => existsSync(source))) rmSync(path);
}
