import { type AddressInfo, createServer, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { loadApi, UnreachableError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';
import { describeEdges } from './describe-edges.js';

const engine = usePGliteEngine();

describeEdges({
  backend: () => createPostgresBackend({ pglite: engine().database }),
  sql: () => engine().sql,
  deepLevels: 5000,
});

const thingSpec = {
  openapi: '3.0.3',
  info: { title: 'closed', version: '1' },
  paths: {},
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'things', key: 'id' },
        properties: { id: { type: 'string' }, n: { type: 'integer' } },
      },
    },
  },
};

describe('a PGlite database closed under the backend', () => {
  it('every request is UnreachableError (nothing was sent); saveMany throws it whole, none unconfirmed', async () => {
    const database = new PGlite();
    const backend = createPostgresBackend({ pglite: database });
    const api = await loadApi(thingSpec, { backend });
    await backend.ensureTables(api.tables());
    const Thing = api.persistent<{ id: string; n?: number }>('Thing');
    await Thing.create({ id: 'a' });
    await database.close();
    for (const attempt of [
      () => Thing.load('a'),
      () => Thing.create({ id: 'b' }),
      () => Thing.update('a', { add: { n: 1 } }),
      () => Thing.saveMany([{ id: 'c' }, { id: 'd' }]),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error, String(error)).toBeInstanceOf(UnreachableError);
      expect((error as Error).message).toContain('PGlite is closed');
    }
  });

  it('a request while its close() is under way is UnreachableError too', async () => {
    const database = new PGlite();
    const backend = createPostgresBackend({ pglite: database });
    const Thing = (await loadApi(thingSpec, { backend })).persistent<{ id: string }>('Thing');
    await backend.ensureTables([Thing.descriptor.table]);
    await Thing.create({ id: 'a' });
    const closing = database.close();
    await Promise.resolve();
    const error = await Thing.saveMany([{ id: 'b' }, { id: 'c' }]).catch(
      (caught: unknown) => caught,
    );
    expect(error, String((error as Error).cause)).toBeInstanceOf(UnreachableError);
    await closing;
  });
});

describe('a server that accepts connections and never answers', () => {
  it('a backend made from a connectionString gives up connecting after 10 s: UnreachableError, nothing sent', async () => {
    const held: Socket[] = [];
    const server = createServer((socket) => {
      held.push(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const backend = createPostgresBackend({
      connectionString: `postgres://nobody@127.0.0.1:${port}/nothing`,
    });
    const started = performance.now();
    try {
      const api = await loadApi(thingSpec, { backend });
      const error = await api
        .persistent('Thing')
        .load('a')
        .catch((caught: unknown) => caught);
      expect(error, String(error)).toBeInstanceOf(UnreachableError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(9_000);
    } finally {
      await backend.close();
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 30_000);
});
