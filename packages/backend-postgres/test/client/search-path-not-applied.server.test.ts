import { BackendError, loadApi, UnsupportedOperationError } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { type PgBouncer, pgbouncerAtLeast, startPgBouncer } from '../engines/pgbouncer.js';
import { useServerEngine } from '../engines/server-engine.js';

/*
 * A connection string's `options=-c search_path=…` that does not reach the session: PgBouncer
 * 1.20+ with `track_extra_parameters = search_path` takes the options, but in front of
 * PostgreSQL 17 (this server), which does not report search_path, leaves the session's as the
 * role has it. Tables were created in `public` and read from there without a word; the backend
 * now compares the session's search_path with the one asked, once per connection.
 */
const engine = useServerEngine({ poolSize: 2 });
const pgbouncer = pgbouncerAtLeast([1, 20]);

const spec = (table: string) => ({
  openapi: '3.0.3',
  info: { title: 'search path', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table, key: 'id' },
        properties: { id: { type: 'string' }, text: { type: 'string' } },
      },
    },
  },
});

// The schemas holding a table of this name.
async function schemasOf(table: string): Promise<string[]> {
  const rows = await engine().sql.query(
    'SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = $1 ORDER BY 1',
    [table],
  );
  return rows.map((row) => String(row.schema));
}

function withOptions(connectionString: string, options: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('options', options);
  return url.toString();
}

beforeAll(async () => {
  await engine().sql.query('CREATE SCHEMA IF NOT EXISTS app');
  await engine().sql.query('CREATE SCHEMA IF NOT EXISTS "My Schema"');
});

describe('a search_path asked in the connection options, on a direct connection', () => {
  it.each([
    ['-c search_path=App,public', 'app'],
    ['--search-path=app', 'app'],
    ['-c search_path="My\\ Schema"', 'My Schema'],
    ['-c statement_timeout=0 -c SEARCH_PATH="$user",app', 'app'],
    // Read as PostgreSQL reads them: a backslash ending the options dropped, and a no-break or
    // ideographic space part of a (missing) schema's name, not whitespace.
    ['-c search_path=app\\', 'app'],
    ['-c search_path=x\u00a0,app', 'app'],
    ['-c search_path=x\u3000,app', 'app'],
  ])('%s is applied by PostgreSQL, and the backend works in it (%s)', async (options, schema) => {
    const table = `sp-direct-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const backend = createPostgresBackend({
      connectionString: withOptions(engine().server.connectionString, options),
    });
    try {
      const api = await loadApi(spec(table), { backend });
      await backend.ensureTables(api.tables());
      const Note = api.persistent('Note');
      await new Note({ id: 'n1', text: 'kept' }).save();
      expect((await Note.load('n1')).text).toBe('kept');
      expect(await schemasOf(table)).toEqual([schema]);
    } finally {
      await backend.close();
    }
  });
});

describe('a search_path PostgreSQL cannot read, asked in the options of a direct connection', () => {
  it('is refused by PostgreSQL at connect, which the error names; no table is made', async () => {
    const table = `sp-unread-direct-${Date.now()}`;
    const backend = createPostgresBackend({
      connectionString: withOptions(engine().server.connectionString, '-c search_path=app,'),
    });
    try {
      const api = await loadApi(spec(table), { backend });
      for (const call of [
        () => backend.ensureTables(api.tables()),
        () => api.persistent('Note').load('n1'),
      ]) {
        const refusal = await call().catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(BackendError);
        expect((refusal as BackendError).notSent).toBe(true);
        expect((refusal as Error).message).toContain(
          'could not connect (nothing was sent): invalid value for parameter "search_path": "app,"',
        );
      }
      expect(await schemasOf(table)).toEqual([]);
    } finally {
      await backend.close();
    }
  });
});

describe('a search_path asked in the connection options that the session does not hold, neither naming a schema yet', () => {
  // A pool's connect hook (the app's) sets another search_path. Both searched no schema when the
  // connection was checked: alike then, the connection passed for its life, and the tables
  // went to the session's schema once it was made.
  it('is refused, before and after the schema the session names is made; no table is made', async () => {
    const suffix = `${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
    const table = `sp-unmade-${suffix}`;
    const pool = engine().openPool({
      connectionString: withOptions(
        engine().server.connectionString,
        `-c search_path=asked_${suffix}`,
      ),
      max: 1,
    });
    pool.on('connect', (client) => {
      client.query(`SET search_path = held_${suffix}`);
    });
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(spec(table), { backend });
    for (const step of ['before', 'after']) {
      if (step === 'after') await engine().sql.query(`CREATE SCHEMA held_${suffix}`);
      const refusal = await backend.ensureTables(api.tables()).catch((error: unknown) => error);
      expect(refusal, step).toBeInstanceOf(UnsupportedOperationError);
      expect((refusal as Error).message, step).toContain(
        `the connection's options ask for search_path "asked_${suffix}", but its session's search_path is "held_${suffix}"`,
      );
    }
    expect(await schemasOf(table)).toEqual([]);
    await engine().sql.query(`DROP SCHEMA held_${suffix}`);
  });
});

describe.skipIf(pgbouncer === '')(
  'through PgBouncer 1.20+ with track_extra_parameters = search_path, in front of PostgreSQL 17 (skipped when no such PgBouncer is installed or built)',
  () => {
    let bouncer: PgBouncer | undefined;
    beforeAll(async () => {
      bouncer = await startPgBouncer(pgbouncer, engine().server.connectionString, {
        pool_mode: 'session',
        track_extra_parameters: 'search_path',
      });
    });
    afterAll(() => bouncer?.stop());

    // A role of its own (password 'pw'), made with `setUp` (its grants and settings), behind a
    // PgBouncer of its own that tracks search_path.
    async function roleBehindPgBouncer(
      role: string,
      setUp: string[],
      pool_mode: 'session' | 'transaction' = 'session',
    ): Promise<PgBouncer> {
      await engine().sql.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'`);
      for (const statement of setUp) await engine().sql.query(statement);
      return startPgBouncer(
        pgbouncer,
        Object.assign(new URL(engine().server.connectionString), {
          username: role,
          password: 'pw',
        }).toString(),
        { pool_mode, track_extra_parameters: 'search_path' },
      );
    }

    it('ensureTables and every request are refused, naming both search_paths; no table is made anywhere', async () => {
      const table = `sp-bouncer-${Date.now()}`;
      const backend = createPostgresBackend({
        connectionString: withOptions(bouncer!.connectionString, '-c search_path=app'),
      });
      try {
        const api = await loadApi(spec(table), { backend });
        const refusal = await backend.ensureTables(api.tables()).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(UnsupportedOperationError);
        expect((refusal as Error).message).toContain(
          `the connection's options ask for search_path "app", but its session's search_path is "\\"$user\\", public": tables would be read and created in other schemas. A pooler between the backend and PostgreSQL did not pass the startup options on (PgBouncer's track_extra_parameters in front of PostgreSQL 17 or earlier), or a SET search_path on the connection changed it. Behind a pooler, set it with ALTER ROLE … SET search_path (or ALTER DATABASE), and leave it out of the options`,
        );
        expect(await schemasOf(table)).toEqual([]);
        const Note = api.persistent('Note');
        // Every request, on the connections already checked too.
        for (let request = 0; request < 4; request++) {
          const load = await Note.load('n1').catch((error: unknown) => error);
          expect(load).toBeInstanceOf(BackendError);
          expect((load as Error).message).toMatch(/search_path.*nothing was sent/);
        }
      } finally {
        await backend.close();
      }
    });

    // PostgreSQL refuses such options at connect (below); PgBouncer takes them without reading
    // them. The check's own reading of the list failed with PostgreSQL's 22023, a BackendError
    // that named neither the options nor the fix; before the check, tables went to public.
    it('a search_path PostgreSQL cannot read (app,) is refused at the first call, naming it and the fix; nothing is sent again, no table is made', async () => {
      const table = `sp-unread-${Date.now()}`;
      const statements: string[] = [];
      const pool = engine().openPool({
        connectionString: withOptions(bouncer!.connectionString, '-c search_path=app,'),
        max: 1,
      });
      const backend = createPostgresBackend({ pool });
      try {
        const api = await loadApi(spec(table), { backend });
        const said =
          'the connection\'s options ask for search_path "app,", which PostgreSQL cannot read as a list of schemas';
        const fix =
          'Write it as schema names apart by commas, none empty ("app" or "app, public"), or, behind a pooler, set it with ALTER ROLE … SET search_path and leave it out of the options';
        const refusal = await backend.ensureTables(api.tables()).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(UnsupportedOperationError);
        expect((refusal as Error).message).toContain(said);
        expect((refusal as Error).message).toContain(fix);
        expect(await schemasOf(table)).toEqual([]);
        // The one connection, checked once: what it sends after is counted.
        const [client] = (
          pool as unknown as { _clients: { query: (...args: unknown[]) => unknown }[] }
        )._clients;
        const query = client!.query.bind(client);
        client!.query = (...args: unknown[]) => {
          statements.push(String((args[0] as { text?: string })?.text ?? args[0]));
          return query(...args);
        };
        const Note = api.persistent('Note');
        for (let request = 0; request < 3; request++) {
          const load = await Note.load('n1').catch((error: unknown) => error);
          expect(load).toBeInstanceOf(BackendError);
          expect((load as BackendError).notSent).toBe(true);
          expect((load as Error).message).toContain(said);
        }
        // What the connection sends is counted: the requests sent nothing.
        await pool.query('SELECT 1');
        expect(statements).toEqual(['SELECT 1']);
        expect(await schemasOf(table)).toEqual([]);
      } finally {
        await pool.end();
      }
    });

    // Another list that has PostgreSQL search the same schemas: `$user` names no schema here.
    it.each([
      ['the default "$user", public', 'public', undefined, 'public'],
      ['"$user", app', 'app', '"$user", app', 'app'],
    ])(
      'a role whose search_path is %s passes with options asking for %s, and its session keeps its own',
      async (_, asked, setting, schema) => {
        const table = `sp-same-${Date.now()}`;
        const role = `sp_same_${Date.now()}`;
        const own = await roleBehindPgBouncer(
          role,
          [
            `GRANT USAGE, CREATE ON SCHEMA app, public TO ${role}`,
            ...(setting === undefined ? [] : [`ALTER ROLE ${role} SET search_path = ${setting}`]),
          ],
          'transaction',
        );
        const pool = engine().openPool({
          connectionString: withOptions(own.connectionString, `-c search_path=${asked}`),
          max: 1,
        });
        const backend = createPostgresBackend({ pool });
        try {
          const api = await loadApi(spec(table), { backend });
          await backend.ensureTables(api.tables());
          await new (api.persistent('Note'))({ id: 'n1' }).save();
          expect(await schemasOf(table)).toEqual([schema]);
          // The check set the asked search_path for its own statement only.
          const { rows } = await pool.query('SHOW search_path');
          expect(rows).toEqual([{ search_path: setting ?? '"$user", public' }]);
        } finally {
          await pool.end();
          await own.stop();
        }
      },
    );

    it('a role with a schema of its own name, which "$user" then names, is refused with options asking for public', async () => {
      const table = `sp-user-${Date.now()}`;
      const role = `sp_user_${Date.now()}`;
      const own = await roleBehindPgBouncer(role, [`CREATE SCHEMA AUTHORIZATION ${role}`]);
      const backend = createPostgresBackend({
        connectionString: withOptions(own.connectionString, '-c search_path=public'),
      });
      try {
        const api = await loadApi(spec(table), { backend });
        const refusal = await backend.ensureTables(api.tables()).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(UnsupportedOperationError);
        expect((refusal as Error).message).toMatch(/options ask for search_path "public"/);
        expect(await schemasOf(table)).toEqual([]);
      } finally {
        await backend.close();
        await own.stop();
      }
    });

    // ALTER ROLE … SET keeps a name past 63 bytes cut, as PostgreSQL reads the options' own.
    it('a long schema name the role sets passes, with the same name uncut in the options', async () => {
      const table = `sp-long-${Date.now()}`;
      const role = `sp_long_${Date.now()}`;
      const schema = `s${Date.now()}_${'x'.repeat(70)}`;
      await engine().sql.query(`CREATE SCHEMA ${schema}`);
      const own = await roleBehindPgBouncer(role, [
        `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`,
        `ALTER ROLE ${role} SET search_path = ${schema}`,
      ]);
      const backend = createPostgresBackend({
        connectionString: withOptions(own.connectionString, `-c search_path=${schema}`),
      });
      try {
        const api = await loadApi(spec(table), { backend });
        await backend.ensureTables(api.tables());
        await new (api.persistent('Note'))({ id: 'n1' }).save();
        expect(await schemasOf(table)).toEqual([schema.slice(0, 63)]);
      } finally {
        await backend.close();
        await own.stop();
      }
    });

    it('a search_path the role sets (ALTER ROLE … SET) passes, with the same options', async () => {
      const table = `sp-role-${Date.now()}`;
      const role = `sp_role_${Date.now()}`;
      const own = await roleBehindPgBouncer(role, [
        `GRANT USAGE, CREATE ON SCHEMA app TO ${role}`,
        `ALTER ROLE ${role} SET search_path = app`,
      ]);
      const backend = createPostgresBackend({
        connectionString: withOptions(own.connectionString, '-c search_path=app'),
      });
      try {
        const api = await loadApi(spec(table), { backend });
        await backend.ensureTables(api.tables());
        await new (api.persistent('Note'))({ id: 'n1' }).save();
        expect(await schemasOf(table)).toEqual(['app']);
      } finally {
        await backend.close();
        await own.stop();
      }
    });
  },
);
