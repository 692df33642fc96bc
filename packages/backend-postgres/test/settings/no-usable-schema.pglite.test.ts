import { PGlite } from '@electric-sql/pglite';
import { loadApi, TableNotFoundError, UnsupportedOperationError } from '@macaron/core';
import { afterEach, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';

/*
 * A search_path that leaves no schema to make tables in (none it names exists, or only
 * pg_catalog does): every request is a TableNotFoundError, as before, but it said
 * "ensureTables or createTables creates it", and ensureTables refuses that session. It now
 * says what is wrong and what to change, before the table's check and after it.
 */
const spec = (table: string) => ({
  openapi: '3.0.3',
  info: { title: 'no schema', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table, key: 'id' },
        properties: { id: { type: 'string' } },
      },
    },
  },
});

let database: PGlite | undefined;
afterEach(async () => {
  await database?.close();
});

const requests = (Note: ReturnType<Awaited<ReturnType<typeof loadApi>>['persistent']>) => [
  () => Note.load('n1'),
  () => new Note({ id: 'n1' }).save(),
  () => Note.scan(),
];

it.each([
  ['nosuch', 'nosuch', 'names no schema that exists and the role may use'],
  ["''", '""', 'names no schema that exists and the role may use'],
  // A quoted SET takes 'app,' as one name (set_config refuses it as a list, 22023): a schema
  // named `app,`, which does not exist.
  ["'app,'", '"app,"', 'names no schema that exists and the role may use'],
  ['pg_catalog', 'pg_catalog', 'names no schema the role may use but pg_catalog, a system one,'],
])(
  'search_path %s: each request says the search_path leaves no schema to make the table in, not that ensureTables creates it',
  async (path, shown, what) => {
    database = await PGlite.create();
    await database.query(`SET search_path = ${path}`);
    const backend = createPostgresBackend({ pglite: database });
    const api = await loadApi(spec('notes'), { backend });
    // What ensureTables says of the same session.
    await expect(backend.ensureTables(api.tables())).rejects.toBeInstanceOf(
      UnsupportedOperationError,
    );
    for (const request of requests(api.persistent('Note'))) {
      const refusal = await request().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(TableNotFoundError);
      expect((refusal as TableNotFoundError).notApplied).toBe(true);
      expect((refusal as Error).message).not.toContain('creates it');
      expect((refusal as Error).message).toContain(
        `: the table does not exist, and ensureTables cannot make it: the search_path (${shown}) ${what}`,
      );
    }
  },
);

// Statements name the table with the schema its first check found (see `SchemaTables`): a
// search_path changed since, even to one naming no schema, changes nothing they read or write.
it('a search_path changed after the table was checked to one naming no schema changes nothing the requests read or write', async () => {
  database = await PGlite.create();
  await database.exec('CREATE SCHEMA app; SET search_path = app');
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(spec('notes'), { backend });
  await backend.ensureTables(api.tables());
  const Note = api.persistent('Note');
  await new Note({ id: 'n1' }).save();
  await database.query('SET search_path = nosuch');
  for (const request of requests(Note)) await request();
  expect((await Note.load('n1')).id).toBe('n1');
  await new Note({ id: 'n2' }).save();
  await database.query('SET search_path = app');
  const rows = await database.query<{ id: string }>('SELECT id FROM app.notes ORDER BY id');
  expect(rows.rows.map((row) => row.id)).toEqual(['n1', 'n2']);
});

it('a search_path naming a schema that exists keeps the hint: ensureTables makes the table there', async () => {
  database = await PGlite.create();
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(spec('notes'), { backend });
  const refusal = await api
    .persistent('Note')
    .load('n1')
    .catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(TableNotFoundError);
  expect((refusal as Error).message).toContain(
    'the table does not exist (ensureTables or createTables creates it)',
  );
});

// `current_schema()` makes the session's temporary schema when the search_path lists pg_temp
// first and it has none yet, within the statement: a catalog read of that same statement does
// not see it, and the schema, named pg_temp_N, passed for a system one.
it('a search_path listing pg_temp first says so at the first request of a session, where the temporary schema is made by the read that finds it', async () => {
  database = await PGlite.create();
  await database.query('SET search_path = pg_temp, public');
  const backend = createPostgresBackend({ pglite: database });
  const Note = (await loadApi(spec('notes'), { backend })).persistent('Note');
  for (const request of requests(Note)) {
    const refusal = await request().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TableNotFoundError);
    expect((refusal as Error).message).toContain(
      ": the table does not exist, and ensureTables cannot make it: the search_path (pg_temp, public) lists pg_temp first, and the session's temporary schema",
    );
  }
});
