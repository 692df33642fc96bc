import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 2 });
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

// A plain script (a migration, a Lambda test run, a one-off fix) that saves and loads one
// object and returns without `backend.close()`: the pool the backend made is not the script's
// to end, and its idle connections (node-postgres keeps them 10 s) must not hold the process.
function script(connect: string): string {
  const core = join(packageRoot, 'node_modules', '@macaron', 'core', 'dist', 'index.js');
  return `import { loadApi } from ${JSON.stringify(core)};
import { createPostgresBackend } from ${JSON.stringify(join(packageRoot, 'dist', 'index.js'))};
const spec = {
  openapi: '3.0.3', info: { title: 'exit', version: '1' }, paths: {},
  components: { schemas: { Thing: {
    type: 'object', required: ['id'], 'x-persist': { table: 'things', key: 'id' },
    properties: { id: { type: 'string' }, n: { type: 'integer' } },
  } } },
};
const backend = createPostgresBackend(${connect});
const api = await loadApi(spec, { backend, tablePrefix: 'exit_' + process.pid + '_' });
await backend.ensureTables(api.tables());
const Thing = api.persistent('Thing');
await Thing.create({ id: 'a', n: 1 });
console.log(JSON.stringify((await Thing.load('a')).toJSON()));
`;
}

describe('a script that forgets to close a backend on a pool the backend made', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'macaron-owned-pool-exit-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  for (const [way, connect] of [
    ['connectionString', (url: string) => `{ connectionString: ${JSON.stringify(url)} }`],
    ['connection', (url: string) => `{ connection: { connectionString: ${JSON.stringify(url)} } }`],
  ] as const) {
    it(`exits once its work is done, not when the pool's idle connections time out (${way})`, async () => {
      const file = join(scratch, `${way}.mjs`);
      await writeFile(file, script(connect(engine().server.connectionString)));
      const started = performance.now();
      const { stdout } = await run(process.execPath, [file], { timeout: 30_000 });
      const seconds = (performance.now() - started) / 1000;
      expect(JSON.parse(stdout)).toMatchObject({ id: 'a', n: 1 });
      // node-postgres's idleTimeoutMillis is 10 s: a process held by it takes more than that.
      expect(seconds).toBeLessThan(9);
    });
  }

  it('keeps allowExitOnIdle: false where the connection options say so', async () => {
    const file = join(scratch, 'held.mjs');
    const url = JSON.stringify(engine().server.connectionString);
    await writeFile(
      file,
      script(
        `{ connection: { connectionString: ${url}, allowExitOnIdle: false, idleTimeoutMillis: 4000 } }`,
      ),
    );
    const started = performance.now();
    await run(process.execPath, [file], { timeout: 30_000 });
    expect((performance.now() - started) / 1000).toBeGreaterThan(4);
  });
});
