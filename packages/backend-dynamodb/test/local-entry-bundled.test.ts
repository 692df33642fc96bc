import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

// An application that starts the local engine, bundled as AWS CDK bundles a Lambda function
// (esbuild, every package inlined): dynalite's store is a native module found beside its own
// files, so the bundle must leave dynalite to be loaded from where it is installed.
describe('the local entry point in an application bundle', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'macaron-bundled-local-'));
    await writeFile(
      join(scratch, 'main.mjs'),
      `import { startLocalDynamoDb } from ${JSON.stringify(join(packageRoot, 'dist', 'local', 'index.js'))};
try {
  const engine = await startLocalDynamoDb();
  console.log(new URL(engine.endpoint).hostname);
  await engine.stop();
} catch (error) {
  console.log(error.code ?? String(error));
}
`,
    );
    const result = await build({
      entryPoints: [join(scratch, 'main.mjs')],
      outfile: join(scratch, 'app', 'bundle.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // The AWS SDK is CommonJS: an ES module bundle needs a require, as its Lambda guide says.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  // NODE_PATH (set by some runners) would find the workspace's dynalite from anywhere.
  const runBundle = async () => {
    const { NODE_PATH: _, ...env } = process.env;
    const { stdout } = await run(process.execPath, [join(scratch, 'app', 'bundle.mjs')], {
      env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    return stdout.trim();
  };

  it('starts dynalite installed beside the bundle', async () => {
    await symlink(join(packageRoot, 'node_modules'), join(scratch, 'app', 'node_modules'), 'dir');
    try {
      expect(await runBundle()).toBe('127.0.0.1');
    } finally {
      await rm(join(scratch, 'app', 'node_modules'));
    }
  });

  it('reports dynalite missing where it is not installed', async () => {
    expect(await runBundle()).toBe('DEPENDENCY_MISSING');
  });
});
