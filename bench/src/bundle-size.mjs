// Minified size of core + backend-dynamodb as an application bundles them (esbuild, ESM, node):
// the AWS SDK and dynamodb-toolbox stay external (peer dependencies the application owns).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild-wasm';

const here = dirname(fileURLToPath(import.meta.url));
const peers = ['@aws-sdk/*', '@smithy/*', 'dynamodb-toolbox'];

function packageOf(path) {
  const parts = path.split('node_modules/');
  if (parts.length === 1) {
    const workspace = path.match(/packages\/([^/]+)\//);
    return workspace ? `@macaron/${workspace[1]}` : path;
  }
  const rest = parts.at(-1).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

async function measureBundle(external) {
  const result = await esbuild.build({
    stdin: {
      contents: "export * from '@macaron/core';\nexport * from '@macaron/backend-dynamodb';\n",
      resolveDir: here,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const byPackage = {};
  for (const output of Object.values(result.metafile.outputs))
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      byPackage[name] = (byPackage[name] ?? 0) + input.bytesInOutput;
    }
  return { bytes: code.length, gzipBytes: gzipSync(code).length, byPackage };
}

/**
 * Both bundles: the runtime that loads YAML (redocly inlined) and the one for a compiled spec
 * (redocly external, and js-yaml, which core imports only where it loads YAML).
 */
export async function bundleSizes() {
  try {
    return {
      withRedocly: await measureBundle(peers),
      withoutRedocly: await measureBundle([...peers, '@redocly/openapi-core', 'js-yaml']),
      esbuild: esbuild.version,
    };
  } finally {
    await esbuild.stop?.();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.stdout.write(`RESULT ${JSON.stringify(await bundleSizes())}\n`);
