import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';
import { everyRequest, type Note, notesSpec } from './every-request.js';

const engine = usePGliteEngine();

/*
 * The backend names its tables with the schema its first check found them in (see
 * `SchemaTables`): a `SET search_path` on the session after that, which PGlite's one session
 * keeps for every statement, no longer sends them to another schema's table of that name.
 */

// The rows of `notes` in `schema`, by owner and id.
async function rowsIn(schema: string): Promise<string[]> {
  const rows = await engine().sql.query(
    `SELECT owner || '/' || id AS row FROM ${schema}.notes ORDER BY 1`,
  );
  return rows.map((row) => String(row.row));
}

it('a SET search_path after the first check sends no statement to the other schema', async () => {
  const { database } = engine();
  await database.exec('CREATE SCHEMA home; CREATE SCHEMA other; SET search_path = home');
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(notesSpec, { backend });
  await backend.ensureTables(api.tables());
  await api.persistent<Note>('Note').create({ owner: 'o', id: 'seen', count: 1 });
  // Another part of the app makes a table of the same name in its schema, and leaves the
  // session's search_path on it.
  await database.exec('SET search_path = other');
  await createPostgresBackend({ pglite: database }).ensureTables(api.tables());
  await everyRequest(api, 'o');
  expect(await rowsIn('other')).toEqual([]);
  expect(await rowsIn('home')).toEqual(['o/c', 'o/seen']);
  // Provisioning too keeps to the schema found: nothing made in a schema without the table,
  // and the table dropped is the one the requests used.
  await database.exec('CREATE SCHEMA third; SET search_path = third');
  expect((await backend.planTables(api.tables()))[0]!.changes).toEqual([
    { table: 'notes', action: 'unchanged' },
  ]);
  expect((await backend.ensureTables(api.tables())).map((change) => change.action)).toEqual([
    'unchanged',
  ]);
  expect((await backend.deleteTables(api.tables())).map((change) => change.action)).toEqual([
    'deleted',
  ]);
  const left = await engine().sql.query(
    `SELECT schemaname::text AS schema FROM pg_tables WHERE tablename = 'notes' ORDER BY 1`,
  );
  expect(left.map((row) => row.schema)).toEqual(['other']);
});

it.each([
  ['orders', 'orders'],
  ['a name that needs quotes', 'Order "x" é'],
])('tables in a schema other than public (%s) keep to it for every request', async (_, name) => {
  const { database } = engine();
  const schema = `"${name.replaceAll('"', '""')}"`;
  await database.exec(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
  const backend = createPostgresBackend({ pglite: database });
  const api = await loadApi(notesSpec, { backend, tablePrefix: 'quoted-' });
  await backend.ensureTables(api.tables());
  await api.persistent<Note>('Note').create({ owner: 'q', id: 'seen', count: 1 });
  await database.exec('SET search_path = public');
  await everyRequest(api, 'q');
  const rows = await engine().sql.query(
    `SELECT owner || '/' || id AS row FROM ${schema}."quoted-notes" ORDER BY 1`,
  );
  expect(rows.map((row) => String(row.row))).toEqual(['q/c', 'q/seen']);
  expect((await backend.ensureTables(api.tables())).map((change) => change.action)).toEqual([
    'unchanged',
  ]);
  await backend.deleteTables(api.tables());
  expect(await engine().sql.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1`, [name])).toEqual(
    [],
  );
});

// Two first checks of one table at once (two specs' descriptors of it on one backend), the
// session's search_path changed between them: the schema the first found is the table's, and
// the other check reads the table again in it (see `describe`).
it('two first checks of a table at once that find two schemas: both keep to the first found', async () => {
  const { database } = engine();
  await database.exec(
    'CREATE SCHEMA first_found; CREATE SCHEMA second_found; SET search_path = first_found',
  );
  await createPostgresBackend({ pglite: database }).ensureTables(
    (await loadApi(notesSpec, { backend: createPostgresBackend({ pglite: database }) })).tables(),
  );
  await database.exec(
    `INSERT INTO notes (owner, id, item) VALUES ('o', 'seen', '{"owner":"o","id":"seen","count":1}')`,
  );
  // A table of that name a team made otherwise: a check that kept it would refuse it.
  await database.exec('CREATE TABLE second_found.notes (x int PRIMARY KEY)');
  await database.exec('SET search_path = first_found');
  const client = createPostgresBackend({ pglite: database }).client;
  // The second check waits for the SET, the first for the second to have started: both
  // start before either has found the schema.
  let secondStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    secondStarted = resolve;
  });
  let searchPathChanged: () => void = () => {};
  const changed = new Promise<void>((resolve) => {
    searchPathChanged = resolve;
  });
  let firstChecks = 0;
  const backend = createPostgresBackend({
    client: {
      ...client,
      query: async (text, parameters) => {
        // A first check: the catalog read of the name without its schema.
        if (!text.includes('AS temporary') || parameters?.[0] !== '"notes"')
          return client.query(text, parameters);
        firstChecks++;
        if (firstChecks > 1) {
          secondStarted();
          await changed;
          return client.query(text, parameters);
        }
        const rows = await client.query(text, parameters);
        // Another client's SET, on the session the next statement runs in.
        await database.exec('SET search_path = second_found');
        searchPathChanged();
        await started;
        return rows;
      },
      transaction: (work) => client.transaction(work),
      close: () => client.close(),
    },
  });
  const [one, other] = [
    await loadApi(notesSpec, { backend }),
    await loadApi(notesSpec, { backend }),
  ];
  const [note, page] = await Promise.all([
    one.persistent<Note>('Note').load({ owner: 'o', id: 'seen' }),
    other.persistent<Note>('Note').query({ partition: 'o' }),
  ]);
  expect(firstChecks).toBe(2);
  expect(note.count).toBe(1);
  expect(page.items.map((item) => item.id)).toEqual(['seen']);
  await database.exec('SET search_path = public');
});
