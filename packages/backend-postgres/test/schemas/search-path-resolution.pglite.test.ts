import { loadApi, TableMismatchError, TableNotFoundError } from '@macaron/core';
import { beforeEach, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';
import { everyRequest, type Note, notesSpec } from './every-request.js';

const engine = usePGliteEngine();

// One database for the file: each test starts from none of the tables, on the default path.
beforeEach(async () => {
  await engine().database.exec(
    `RESET search_path; DROP TABLE IF EXISTS pg_temp.notes;
     DROP SCHEMA IF EXISTS app, notes_home, tags_home, home, moved, away CASCADE;
     DROP TABLE IF EXISTS public.notes, public.tags`,
  );
});

/*
 * A table's first check finds it as PostgreSQL finds its name through the session's
 * search_path, as statements without a schema did before they named one (see `SchemaTables`):
 * a deployment whose tables are in a later schema of the search_path, or whose models' tables
 * are in two of its schemas, goes on working.
 */

// The rows of `table` in `schema`, by owner and id.
async function rowsIn(schema: string, table = 'notes'): Promise<string[]> {
  const rows = await engine().sql.query(
    `SELECT owner || '/' || id AS row FROM ${schema}.${table} ORDER BY 1`,
  );
  return rows.map((row) => String(row.row));
}

it('a table only in a later schema of the search_path is found there, and stays there', async () => {
  const { database } = engine();
  // Tables made under the default search_path, in public; the pool's search_path later
  // names the service's schema first (made since, and empty).
  const made = await loadApi(notesSpec, { backend: createPostgresBackend({ pglite: database }) });
  await createPostgresBackend({ pglite: database }).ensureTables(made.tables());
  await database.exec(
    `INSERT INTO notes (owner, id, item) VALUES ('o', 'seen', '{"owner":"o","id":"seen","count":1}');
     CREATE SCHEMA app; SET search_path = app, public`,
  );
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(notesSpec, { backend });
  await everyRequest(api, 'o');
  expect(await rowsIn('public')).toEqual(['o/c', 'o/seen']);
  // Provisioning keeps to it too: nothing made in app.
  expect((await backend.ensureTables(api.tables())).map((change) => change.action)).toEqual([
    'unchanged',
  ]);
  expect(await engine().sql.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'app'`)).toEqual([]);
});

it("two models' tables in two schemas of the search_path: each is read and written in its own", async () => {
  const { database } = engine();
  const twoTables = {
    ...notesSpec,
    components: {
      schemas: {
        ...notesSpec.components.schemas,
        Tag: {
          type: 'object',
          required: ['owner', 'id'],
          'x-persist': { table: 'tags', key: 'owner', sort: 'id' },
          properties: { owner: { type: 'string' }, id: { type: 'string' } },
        },
      },
    },
  };
  const tables = (
    await loadApi(twoTables, { backend: createPostgresBackend({ pglite: database }) })
  ).tables();
  // A DBA ran each table's DDL under its own schema's search_path.
  await database.exec(
    'CREATE SCHEMA notes_home; CREATE SCHEMA tags_home; SET search_path = notes_home',
  );
  await createPostgresBackend({ pglite: database }).ensureTables(
    tables.filter((table) => table.name === 'notes'),
  );
  await database.exec('SET search_path = tags_home');
  await createPostgresBackend({ pglite: database }).ensureTables(
    tables.filter((table) => table.name === 'tags'),
  );
  await database.exec('SET search_path = notes_home, tags_home');
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(twoTables, { backend });
  await api.persistent<Note>('Note').create({ owner: 'o', id: 'seen', count: 1 });
  await api.persistent<{ owner: string; id: string }>('Tag').create({ owner: 't', id: 'x' });
  await everyRequest(api, 'o');
  const Tag = api.persistent<{ owner: string; id: string }>('Tag');
  await Tag.create({ owner: 't', id: 'y' });
  await api.transaction((tx) => {
    tx.delete(Tag, { owner: 't', id: 'x' });
    tx.update(api.persistent<Note>('Note'), { owner: 'o', id: 'c' }, { set: { count: 7 } });
  });
  expect(await rowsIn('notes_home')).toEqual(['o/c', 'o/seen']);
  expect(await rowsIn('tags_home', 'tags')).toEqual(['t/y']);
  expect((await api.persistent<Note>('Note').load({ owner: 'o', id: 'c' })).count).toBe(7);
  // Provisioning finds each where the requests did: nothing made in the other schema, and
  // deleteTables drops both in one transaction.
  expect((await backend.ensureTables(api.tables())).map((change) => change.action)).toEqual([
    'unchanged',
    'unchanged',
  ]);
  expect((await backend.deleteTables(api.tables())).map((change) => change.action)).toEqual([
    'deleted',
    'deleted',
  ]);
  expect(
    await engine().sql.query(`SELECT 1 FROM pg_tables WHERE tablename IN ('notes', 'tags')`),
  ).toEqual([]);
  // Made again, each in the schema its requests use, whatever the session's search_path.
  await database.exec('SET search_path = public');
  expect((await backend.createTables(api.tables())).map((change) => change.action)).toEqual([
    'created',
    'created',
  ]);
  expect(
    await engine().sql.query(
      `SELECT schemaname || '.' || tablename AS name FROM pg_tables WHERE tablename IN ('notes', 'tags') ORDER BY 1`,
    ),
  ).toEqual([{ name: 'notes_home.notes' }, { name: 'tags_home.tags' }]);
  await api.persistent<Note>('Note').create({ owner: 'o', id: 'again' });
  expect(await rowsIn('notes_home')).toEqual(['o/again']);
});

it("a session's temporary table of the name is refused at the first check, nothing written", async () => {
  const { database } = engine();
  const made = await loadApi(notesSpec, { backend: createPostgresBackend({ pglite: database }) });
  await createPostgresBackend({ pglite: database }).ensureTables(made.tables());
  // PostgreSQL searches the session's temporary schema first: this table hides public's, and
  // other sessions (another connection of a pool) cannot see it.
  await database.exec('CREATE TEMPORARY TABLE notes (LIKE public.notes INCLUDING ALL)');
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(notesSpec, { backend });
  const failure = await api
    .persistent<Note>('Note')
    .create({ owner: 'o', id: 'tmp' })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(TableMismatchError);
  expect((failure as TableMismatchError).message).toMatch(/temporary/);
  expect(await rowsIn('pg_temp')).toEqual([]);
  expect(await rowsIn('public')).toEqual([]);
  // Dropped, the next request finds public's.
  await database.exec('DROP TABLE pg_temp.notes');
  await api.persistent<Note>('Note').create({ owner: 'o', id: 'tmp' });
  expect(await rowsIn('public')).toEqual(['o/tmp']);
});

it('a schema renamed after the first check: TableNotFoundError, nothing written elsewhere; the table is looked for again', async () => {
  const { database } = engine();
  await database.exec('CREATE SCHEMA home; SET search_path = home, public');
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(notesSpec, { backend });
  await backend.ensureTables(api.tables());
  const Note = api.persistent<Note>('Note');
  await Note.create({ owner: 'o', id: 'seen', count: 1 });
  await database.exec('ALTER SCHEMA home RENAME TO moved');
  // A write first: PostgreSQL says the schema is missing (3F000), not the table.
  for (const request of [
    () => Note.create({ owner: 'o', id: 'lost' }),
    () => Note.load({ owner: 'o', id: 'seen' }),
  ]) {
    const failure = await request().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TableNotFoundError);
    expect((failure as TableNotFoundError).notApplied).toBe(true);
  }
  expect(
    await engine().sql.query(`SELECT schemaname::text FROM pg_tables WHERE tablename = 'notes'`),
  ).toEqual([{ schemaname: 'moved' }]);
  // Moved to a schema the search_path names: the next request finds it there, as a statement
  // without a schema would.
  await database.exec('ALTER SCHEMA moved RENAME TO home');
  expect((await Note.load({ owner: 'o', id: 'seen' })).count).toBe(1);
  await database.exec('ALTER TABLE home.notes SET SCHEMA public');
  await expect(Note.load({ owner: 'o', id: 'seen' })).rejects.toBeInstanceOf(TableNotFoundError);
  expect((await Note.load({ owner: 'o', id: 'seen' })).count).toBe(1);
  await Note.create({ owner: 'o', id: 'after' });
  expect(await rowsIn('public')).toEqual(['o/after', 'o/seen']);
});

// A request past its check when another finds the table gone (see `SchemaTables.forget`): its
// statements still name the schema found, never the name alone, which a session's search_path
// changed since would send to another schema's table.
it('a transaction under way when another request finds the table gone keeps to the schema found', async () => {
  const { database } = engine();
  await database.exec('CREATE SCHEMA home; CREATE SCHEMA moved; SET search_path = home');
  const client = createPostgresBackend({ pglite: database }).client;
  let beforeTransaction: (() => Promise<void>) | undefined;
  const backend = createPostgresBackend({
    client: {
      ...client,
      transaction: async (work) => {
        const hook = beforeTransaction;
        beforeTransaction = undefined;
        await hook?.();
        return client.transaction(work);
      },
    },
  });
  const api = await loadApi(notesSpec, { backend });
  await backend.ensureTables(api.tables());
  const Note = api.persistent<Note>('Note');
  await Note.create({ owner: 'o', id: 'seen', count: 1 });
  // A team's table of the name in another schema, empty.
  await database.exec('SET search_path = moved');
  await createPostgresBackend({ pglite: database }).ensureTables(api.tables());
  beforeTransaction = async () => {
    // Another request meets the table gone for a moment (its schema renamed and back), and
    // another client leaves the session's search_path on the other schema.
    await database.exec('ALTER SCHEMA home RENAME TO away');
    await expect(Note.load({ owner: 'o', id: 'seen' })).rejects.toBeInstanceOf(TableNotFoundError);
    await database.exec('ALTER SCHEMA away RENAME TO home; SET search_path = moved');
  };
  await api.transaction((tx) => {
    tx.update(Note, { owner: 'o', id: 'seen' }, { set: { count: 2 } });
  });
  expect(beforeTransaction).toBeUndefined();
  expect(await rowsIn('moved')).toEqual([]);
  const [row] = await engine().sql.query(`SELECT item::text AS item FROM home.notes`);
  expect(JSON.parse(String(row!.item)).count).toBe(2);
});
