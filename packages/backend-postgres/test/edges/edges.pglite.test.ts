import { type AddressInfo, createServer, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { loadApi, UnreachableError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createPGliteClient } from '../../src/client/pglite-client.js';
import type { SqlClient } from '../../src/client/sql-client.js';
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

describe('the read that names a row a page could not read', () => {
  it('reads the first row of the failure alone, not the key of every row of the page', async () => {
    const inner = createPGliteClient(engine().database, false);
    // The rows each statement of the backend's answered.
    const answered: { text: string; rows: number }[] = [];
    const client: SqlClient = {
      kind: inner.kind,
      query: async (text, parameters) => {
        const rows = await inner.query(text, parameters);
        answered.push({ text, rows: rows.length });
        return rows;
      },
      transaction: (work) => inner.transaction(work),
      close: () => inner.close(),
    };
    const backend = createPostgresBackend({ client });
    const api = await loadApi(
      {
        ...thingSpec,
        components: {
          schemas: {
            Thing: {
              ...thingSpec.components.schemas.Thing,
              'x-persist': { table: 'named', key: 'id' },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    await engine().sql.query(`ALTER TABLE named ALTER COLUMN item DROP NOT NULL`);
    await engine().sql.query(
      `INSERT INTO named (id, item) SELECT 'k' || lpad(n::text, 4, '0'), jsonb_build_object('id', 'k' || lpad(n::text, 4, '0')) FROM generate_series(1, 300) AS n`,
    );
    await engine().sql.query(`INSERT INTO named (id, item) VALUES ('a', NULL), ('b', NULL)`);
    for (const limit of [undefined, 250]) {
      answered.length = 0;
      const error = await api
        .persistent('Thing')
        .scan(limit === undefined ? {} : { limit })
        .catch((caught: unknown) => caught);
      expect((error as Error).message).toMatch(
        /holds no item.*\(the row's key columns: id = "a"\)$/,
      );
      const naming = answered.filter(({ text }) => text.includes('AS unfit'));
      expect(naming).toHaveLength(1);
      expect(naming[0]!.rows).toBe(1);
    }
  });
});

describe('a row a read could not read, named by numeric and bytea key columns', () => {
  it('shows them as PostgreSQL prints them, not quoted as text', async () => {
    const backend = createPostgresBackend({ pglite: engine().database });
    const api = await loadApi(
      {
        ...thingSpec,
        components: {
          schemas: {
            Keyed: {
              type: 'object',
              required: ['n', 'b'],
              'x-persist': { table: 'keyed', key: 'n', sort: 'b' },
              properties: { n: { type: 'number' }, b: { type: 'string', format: 'binary' } },
            },
          },
        },
      },
      { backend },
    );
    await backend.ensureTables(api.tables());
    await engine().sql.query(`ALTER TABLE keyed ALTER COLUMN item DROP NOT NULL`);
    await engine().sql.query(`INSERT INTO keyed (n, b, item) VALUES (-1.50, '\\x01ff', NULL)`);
    // Whatever the session prints bytea as: `escape` would print some bytes as they are.
    await engine().sql.query(`SET bytea_output = escape`);
    const error = await api
      .persistent('Keyed')
      .scan()
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      /holds no item.*\(the row's key columns: n = -1\.50, b = \\x01ff\)$/,
    );
    // Whatever the session reads a backslash in a literal as: '\x' is x alone then.
    await engine().sql.query(`SET standard_conforming_strings = off`);
    try {
      const again = await api
        .persistent('Keyed')
        .scan()
        .catch((caught: unknown) => caught);
      expect((again as Error).message).toMatch(
        /\(the row's key columns: n = -1\.50, b = \\x01ff\)$/,
      );
    } finally {
      await engine().sql.query(`RESET standard_conforming_strings`);
    }
  });
});
