// Builds a package's JavaScript as one bundle per entry point of its `exports` map (shared code
// in `dist/chunks/`), from `src/` with esbuild; tsc writes only the declarations. Why: Node
// loads ES modules one file at a time, and core's ~70 files cost a cold start ~30 ms where
// one bundle costs ~10 (bench/findings.md, cold start). Every import of another package stays
// an import, so peers resolve as before, and the lazy imports (`import('./provision/…')`,
// optional peers) stay lazy: each becomes a chunk loaded on demand.
// Usage, in a package folder: node ../../scripts/bundle-package.mjs
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild-wasm';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

// `./dist/local/index.js` is built from `src/local/index.ts`.
const entryPoints = Object.values(manifest.exports)
  .map((target) => (typeof target === 'string' ? target : target.default))
  .filter((target) => typeof target === 'string' && /^\.\/dist\/.*\.js$/.test(target))
  .map((target) => target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));

// What an earlier build (or tsc, before it wrote declarations only) left: stale modules
// would ship, and their maps would name sources that may be gone.
for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (entry.isFile() && /\.js(\.map)?$/.test(entry.name))
    rmSync(join(entry.parentPath, entry.name));
}

await build({
  entryPoints,
  outbase: 'src',
  outdir: 'dist',
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  // No keepNames: nothing is minified, so functions and classes keep the names they are
  // written with (JavaScript names a `const f = () => …` itself); keepNames would only mend
  // the two or three internal functions esbuild renames apart (`compile2`), at the price of a
  // `__name()` call each time an inner function is created, which is on every request.
  // Maps point at `src/`, which the package ships.
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
