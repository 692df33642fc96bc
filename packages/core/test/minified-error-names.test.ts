import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild-wasm';
import { afterAll, describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = await mkdtemp(join(tmpdir(), 'macaron-minified-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

// An application bundled and minified as AWS CDK does (`minify: true`, no keepNames, which
// costs a call on every closure made at run time): the minifier renames classes, and an
// error's `name` (its log line, `String(error)`, the first line of its stack) must still be
// its class's.
describe('error classes in a minified application bundle', () => {
  it.each(['index', 'backend'])(
    'dist/%s.js: every error class keeps its name, and so do its errors',
    async (entry) => {
      const outfile = join(scratch, `${entry}.mjs`);
      await build({
        stdin: {
          contents: `export * from ${JSON.stringify(join(packageRoot, 'dist', `${entry}.js`))};`,
          resolveDir: packageRoot,
        },
        outfile,
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        external: ['@redocly/openapi-core', 'js-yaml'],
        logLevel: 'silent',
      });
      const module = (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;
      const errorClasses = Object.entries(module).filter(
        ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
      ) as [string, new (message: string) => Error][];
      expect(errorClasses.length).toBeGreaterThan(0);
      const renamed = errorClasses
        .filter(([name, type]) => type.name !== name)
        .map(([name, type]) => `${name} is named ${type.name}`);
      expect(renamed).toEqual([]);
      const { ItemNotFoundError } = module as { ItemNotFoundError?: typeof Error };
      if (ItemNotFoundError) {
        const error = new ItemNotFoundError({
          model: 'Thing',
          table: 'things',
          key: { id: 'x' },
        } as never);
        expect(error.name).toBe('ItemNotFoundError');
        expect(String(error.stack)).toMatch(/^ItemNotFoundError: /);
      }
    },
  );
});
