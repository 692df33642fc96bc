import { loadApi, TableMismatchError, UnsupportedOperationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

const engine = useServerEngine({ poolSize: 2 });

const spec = {
  openapi: '3.0.3',
  info: { title: 'catalog output', version: '1' },
  paths: {},
  components: {
    schemas: {
      Post: {
        type: 'object',
        required: ['id', 'at'],
        'x-persist': {
          table: 'posts',
          key: 'id',
          sort: 'at',
          indexes: { byAuthor: { key: 'author', sort: 'score' }, byBytes: { key: 'b' } },
        },
        properties: {
          id: { type: 'string' },
          at: { type: 'number' },
          author: { type: 'string' },
          score: { type: 'number' },
          b: { type: 'string', format: 'binary' },
        },
      },
    },
  },
};

interface Post {
  id: string;
  at: number;
  author: string;
  score: number;
}

async function withBackend<T>(
  options: string | undefined,
  prefix: string,
  work: (
    api: Awaited<ReturnType<typeof loadApi>>,
    backend: ReturnType<typeof createPostgresBackend>,
  ) => Promise<T>,
): Promise<T> {
  const pool = engine().openPool({ max: 2, ...(options ? { options } : {}) });
  const backend = createPostgresBackend({ pool });
  try {
    return await work(await loadApi(spec, { backend, tablePrefix: prefix }), backend);
  } finally {
    await backend.close();
  }
}

// Probe 327: settings that change how PostgreSQL prints names (format_type, pg_get_expr) must
// not make a table Macaron made look like another one.
describe('a session that prints the catalog otherwise', () => {
  it('quote_all_identifiers=on: a table made before is unchanged, planned without differences, and read and written', async () => {
    await withBackend(undefined, 'quoted_', (api, backend) => backend.ensureTables(api.tables()));
    await withBackend('-c quote_all_identifiers=on', 'quoted_', async (api, backend) => {
      expect(await backend.ensureTables(api.tables())).toEqual([
        { table: 'quoted_posts', action: 'unchanged' },
      ]);
      const [plan] = await backend.planTables(api.tables());
      expect(plan?.differences).toEqual([]);
      const Post = api.persistent<Post>('Post');
      await Post.create({ id: 'a', at: 1, author: 'ann', score: 2 });
      expect((await Post.load({ id: 'a', at: 1 })).toJSON()).toEqual({
        id: 'a',
        at: 1,
        author: 'ann',
        score: 2,
      });
      const page = await Post.query({ index: 'byAuthor', partition: 'ann' });
      expect(page.items.map((post) => post.id)).toEqual(['a']);
    });
  });

  it('quote_all_identifiers=on: a process that never runs ensureTables reads and writes (the key check before the first request)', async () => {
    await withBackend(undefined, 'quoted_app_', (api, backend) =>
      backend.ensureTables(api.tables()),
    );
    await withBackend('-c quote_all_identifiers=on', 'quoted_app_', async (api) => {
      const Post = api.persistent<Post>('Post');
      await Post.create({ id: 'b', at: 2, author: 'bob', score: 3 });
      expect((await Post.get({ id: 'b', at: 2 }))?.author).toBe('bob');
    });
  });

  it('quote_all_identifiers=on: a table made in such a session reads the same in a default one', async () => {
    await withBackend('-c quote_all_identifiers=on', 'quoted_made_', (api, backend) =>
      backend.ensureTables(api.tables()),
    );
    await withBackend(undefined, 'quoted_made_', async (api, backend) => {
      expect(await backend.ensureTables(api.tables())).toEqual([
        { table: 'quoted_made_posts', action: 'unchanged' },
      ]);
    });
  });

  it('a column of a type of another schema named as one of pg_catalog (text) differs from the spec, also where the search_path makes that type visible, before a process that never runs ensureTables reads or writes', async () => {
    await engine().pool.query('CREATE SCHEMA usertypes');
    // A domain over text, collated as Macaron's keys are, that refuses a value: not the spec's column.
    await engine().pool.query(
      `CREATE DOMAIN usertypes.text AS pg_catalog.text COLLATE "C" CHECK (VALUE <> 'refused')`,
    );
    await withBackend(undefined, 'usertype_', (api, backend) => backend.ensureTables(api.tables()));
    await engine().pool.query('ALTER TABLE usertype_posts ALTER COLUMN id TYPE usertypes.text');
    for (const options of [
      undefined,
      '-c quote_all_identifiers=on',
      '-c search_path=public,usertypes,pg_catalog',
      '-c search_path=public,usertypes,pg_catalog -c quote_all_identifiers=on',
    ]) {
      const error = await withBackend(options, 'usertype_', (api) =>
        api
          .persistent<Post>('Post')
          .create({ id: 'a', at: 1, author: 'ann', score: 2 })
          .then(
            () => undefined,
            (failure: unknown) => failure,
          ),
      );
      expect(error, options).toBeInstanceOf(TableMismatchError);
      expect((error as Error).message, options).toMatch(/usertypes"?\."?text/);
    }
  });

  it('a search_path listing pg_catalog after a schema whose types hide its own (text, jsonb): ensureTables refuses it, naming them, and changes nothing', async () => {
    await engine().pool.query('CREATE SCHEMA shadow');
    await engine().pool.query('CREATE DOMAIN shadow.text AS pg_catalog.text');
    await engine().pool.query('CREATE DOMAIN shadow.jsonb AS pg_catalog.jsonb');
    const typesOf = async (table: string) =>
      (
        await engine().pool.query(
          `SELECT string_agg(a.atttypid::regtype::text, ',' ORDER BY a.attnum) AS types
             FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
          [table],
        )
      ).rows[0].types as string;
    await withBackend(undefined, 'shadowed_', (api, backend) => backend.ensureTables(api.tables()));
    const before = await typesOf('shadowed_posts');
    const path = '-c search_path=public,shadow,pg_catalog';
    for (const prefix of ['shadowed_', 'shadowed_new_']) {
      const error = await withBackend(path, prefix, (api, backend) =>
        backend.ensureTables(api.tables()).then(
          () => undefined,
          (failure: unknown) => failure,
        ),
      );
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as Error).message).toContain('shadow.text');
      expect((error as Error).message).toContain('search_path');
    }
    // Neither were the index key columns of the table rebuilt with the schema's types, nor was
    // a table made of them.
    expect(await typesOf('shadowed_posts')).toBe(before);
    const made = await engine().pool.query(`SELECT to_regclass('shadowed_new_posts') AS t`);
    expect(made.rows[0].t).toBeNull();
  });

  it('a search_path listing pg_catalog after a schema whose functions or operators hide its own (replace, text = text): ensureTables refuses it, naming them, and changes nothing', async () => {
    await engine().pool.query('CREATE SCHEMA hijack');
    await engine().pool.query(
      `CREATE FUNCTION hijack.replace(text, text, text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'HACKED'::text $$`,
    );
    await engine().pool.query(
      `CREATE FUNCTION hijack.text_equal(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$`,
    );
    await engine().pool.query(
      'CREATE OPERATOR hijack.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hijack.text_equal)',
    );
    // An overload on other types hides nothing: PostgreSQL's own still runs on text.
    await engine().pool.query(
      `CREATE FUNCTION hijack.starts_with(bytea, bytea) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$`,
    );
    const path = '-c search_path=public,hijack,pg_catalog';
    const error = await withBackend(path, 'hijacked_', (api, backend) =>
      backend.ensureTables(api.tables()).then(
        () => undefined,
        (failure: unknown) => failure,
      ),
    );
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as Error).message).toContain('hijack.=, hijack.replace)');
    const made = await engine().pool.query(`SELECT to_regclass('hijacked_posts') AS t`);
    expect(made.rows[0].t).toBeNull();
    // pg_catalog first (or left out): nothing is hidden, the tables are made.
    await withBackend('-c search_path=public,pg_catalog,hijack', 'hijacked_', (api, backend) =>
      backend.ensureTables(api.tables()),
    );
    expect(
      (await engine().pool.query(`SELECT to_regclass('hijacked_posts') AS t`)).rows[0].t,
    ).not.toBeNull();
  });
  it("looks for functions and operators hiding pg_catalog's once a provisioning call and search_path, not twice a table", async () => {
    const schemas = Object.fromEntries(
      Array.from({ length: 6 }, (_, index) => [
        `T${index}`,
        {
          type: 'object',
          required: ['id'],
          'x-persist': { table: `scanned_${index}`, key: 'id', indexes: { byTag: { key: 'tag' } } },
          properties: { id: { type: 'string' }, tag: { type: 'string' } },
        },
      ]),
    );
    const pool = engine().openPool({ max: 2 });
    // Each connection's statements counted as the server is sent them.
    const scans: string[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
        if (text?.includes('pg_catalog.pg_operator')) scans.push(text);
        return query(...args);
      };
    });
    const backend = createPostgresBackend({ pool });
    try {
      const api = await loadApi({ ...spec, components: { schemas } }, { backend });
      for (const provision of [
        () => backend.planTables(api.tables()),
        () => backend.ensureTables(api.tables()),
        () => backend.ensureTables(api.tables()),
        () =>
          backend.createTables(
            api.tables().map((table) => ({ ...table, name: `new_${table.name}` })),
          ),
      ]) {
        scans.length = 0;
        await provision();
        expect(scans).toHaveLength(1);
      }
    } finally {
      await backend.close();
    }
  });

  it("pgcrypto, citext and pg_trgm installed in public with search_path=public,pg_catalog: ensureTables makes the tables (pgcrypto's gen_random_uuid() takes no key and Macaron never calls it)", async () => {
    for (const extension of ['pgcrypto', 'citext', 'pg_trgm'])
      await engine().pool.query(`CREATE EXTENSION IF NOT EXISTS ${extension} SCHEMA public`);
    try {
      await withBackend('-c search_path=public,pg_catalog', 'extended_', (api, backend) =>
        backend.ensureTables(api.tables()),
      );
      expect(
        (await engine().pool.query(`SELECT to_regclass('extended_posts') AS t`)).rows[0].t,
      ).not.toBeNull();
      // A function without arguments that Macaron's statements call is still one it refuses.
      await engine().pool.query('CREATE SCHEMA nullary');
      await engine().pool.query(
        `CREATE FUNCTION nullary.pg_my_temp_schema() RETURNS oid LANGUAGE sql STABLE AS $$ SELECT 0::oid $$`,
      );
      const error = await withBackend(
        '-c search_path=public,nullary,pg_catalog',
        'nullary_',
        (api, backend) =>
          backend.ensureTables(api.tables()).then(
            () => undefined,
            (failure: unknown) => failure,
          ),
      );
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as Error).message).toContain('(nullary.pg_my_temp_schema)');
    } finally {
      for (const extension of ['pgcrypto', 'citext', 'pg_trgm'])
        await engine().pool.query(`DROP EXTENSION ${extension}`);
    }
  });
});
