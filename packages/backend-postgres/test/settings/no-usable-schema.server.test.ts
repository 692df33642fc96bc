import { loadApi, TableNotFoundError, UnsupportedOperationError } from '@macaron/core';
import { expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

/*
 * The server's side of no-usable-schema.pglite.test.ts: a pool whose options ask for a
 * search_path naming no schema that exists (the check passes: the session holds what was
 * asked). Each request said "ensureTables or createTables creates it", which ensureTables
 * refuses; it names the search_path and the fix.
 */
const engine = useServerEngine({ poolSize: 1 });

const spec = {
  openapi: '3.0.3',
  info: { title: 'no schema', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id' },
        properties: { id: { type: 'string' } },
      },
    },
  },
};

it('options asking for search_path nosuch: each request names it and the fix', async () => {
  const url = new URL(engine().server.connectionString);
  url.searchParams.set('options', '-c search_path=nosuch');
  const backend = createPostgresBackend({ connectionString: url.toString() });
  try {
    const api = await loadApi(spec, { backend });
    await expect(backend.ensureTables(api.tables())).rejects.toBeInstanceOf(
      UnsupportedOperationError,
    );
    const Note = api.persistent('Note');
    for (const request of [() => Note.load('n1'), () => new Note({ id: 'n1' }).save()]) {
      const refusal = await request().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(TableNotFoundError);
      expect((refusal as TableNotFoundError).notApplied).toBe(true);
      expect((refusal as Error).message).toContain(
        ": the table does not exist, and ensureTables cannot make it: the search_path (nosuch) names no schema that exists and the role may use (USAGE); set the pool's search_path to the tables' schema",
      );
    }
  } finally {
    await backend.close();
  }
});

// See no-usable-schema.pglite.test.ts: the first statement of a session to call
// `current_schema()` under a search_path listing pg_temp first makes its temporary schema.
it('a pool whose connections set search_path = pg_temp, public: the first request of each session names pg_temp first', async () => {
  const pool = engine().openPool({ max: 1 });
  pool.on('connect', (client) => {
    client.query('SET search_path = pg_temp, public');
  });
  const backend = createPostgresBackend({ pool });
  const api = await loadApi(spec, { backend });
  const refusal = await api
    .persistent('Note')
    .load('n1')
    .catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(TableNotFoundError);
  expect((refusal as Error).message).toContain(
    "ensureTables cannot make it: the search_path (pg_temp, public) lists pg_temp first, and the session's temporary schema",
  );
  // ensureTables, on a session of its own, says the same.
  await pool.end();
  const fresh = engine().openPool({ max: 1 });
  fresh.on('connect', (client) => {
    client.query('SET search_path = pg_temp, public');
  });
  const provisioning = createPostgresBackend({ pool: fresh });
  const refused = await provisioning
    .ensureTables((await loadApi(spec, { backend: provisioning })).tables())
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(UnsupportedOperationError);
  expect((refused as Error).message).toContain("the current schema is the session's temporary one");
});
