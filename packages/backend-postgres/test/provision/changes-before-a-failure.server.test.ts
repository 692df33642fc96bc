import { loadApi, ThrottledError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

/*
 * ensureTables provisions each table in a transaction of its own: when one fails (here its
 * provisioning lock outlasts lock_timeout, held by another session), the tables before it keep
 * their changes, and the error says so.
 */
const engine = useServerEngine({ poolSize: 2 });

// Tables of one `id` key (and a `tag`), in this order; those given an index name have it on `tag`.
function tablesSpec(tables: readonly (readonly [table: string, index?: string])[]) {
  const schemas = Object.fromEntries(
    tables.map(([table, index], position) => [
      `Model${position}`,
      {
        type: 'object',
        required: ['id'],
        'x-persist': {
          table,
          key: 'id',
          ...(index ? { indexes: { [index]: { key: 'tag' } } } : {}),
        },
        properties: { id: { type: 'string' }, tag: { type: 'string' } },
      },
    ]),
  );
  return {
    openapi: '3.0.3',
    info: { title: 'tables', version: '1.0.0' },
    paths: {},
    components: { schemas },
  };
}

function spec(first: string, second: string) {
  return tablesSpec([[first], [second]]);
}

// A session holding `table`'s provisioning lock until `release` ends its transaction.
async function holdingLock(table: string) {
  const session = await engine().openPool({ max: 1 }).connect();
  await session.query('BEGIN');
  await session.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [
    `macaron:${table}`,
  ]);
  return async () => {
    await session.query('ROLLBACK');
    session.release();
  };
}

function timingOutBackend() {
  const url = new URL(engine().server.connectionString);
  url.searchParams.set('options', '-c lock_timeout=200');
  return createPostgresBackend({ connectionString: url.toString() });
}

describe('ensureTables failing on its second table', () => {
  it('is the failure of that table, and says it created the first, which stays', async () => {
    const first = `done-${Date.now()}`;
    const second = `held-${Date.now()}`;
    const url = new URL(engine().server.connectionString);
    url.searchParams.set('options', '-c lock_timeout=200');
    const backend = createPostgresBackend({ connectionString: url.toString() });
    // Another session holds the second table's provisioning lock until its transaction ends.
    const holder = engine().openPool({ max: 1 });
    const session = await holder.connect();
    try {
      await session.query('BEGIN');
      await session.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [
        `macaron:${second}`,
      ]);
      const api = await loadApi(spec(first, second), { backend });
      const error = await backend.ensureTables(api.tables()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ThrottledError);
      expect((error as Error).message).toContain(
        `PostgreSQL ensureTables on table ${second}: canceling statement due to lock timeout; this table was left as it was`,
      );
      expect((error as Error).message).toContain(
        `. What this call did to the tables before it stays done: created table ${first}`,
      );
      const made = await engine().sql.query(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ($1, $2)',
        [first, second],
      );
      expect(made.map((row) => row.name)).toEqual([first]);
    } finally {
      await session.query('ROLLBACK');
      session.release();
      await backend.close();
    }
  });

  it('says every change of the tables before it, in their order, and not a table it left unchanged', async () => {
    const stamp = Date.now();
    const created = `created-${stamp}`;
    const indexed = `indexed-${stamp}`;
    const unchanged = `same-${stamp}`;
    const held = `held-${stamp}`;
    const backend = timingOutBackend();
    try {
      // Made before, `indexed` without the index the spec now declares.
      const before = await loadApi(tablesSpec([[indexed], [unchanged]]), { backend });
      await backend.ensureTables(before.tables());
      const release = await holdingLock(held);
      try {
        const api = await loadApi(
          tablesSpec([[created], [indexed, 'byTag'], [unchanged], [held]]),
          { backend },
        );
        const error = await backend.ensureTables(api.tables()).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ThrottledError);
        expect((error as Error).message).toMatch(
          new RegExp(
            `^PostgreSQL ensureTables on table ${held}: .*; this table was left as it was\\. What this call did to the tables before it stays done: created table ${created}; added index byTag to table ${indexed}$`,
          ),
        );
      } finally {
        await release();
      }
    } finally {
      await backend.close();
    }
  });

  it("says what it did to a table an earlier version made: its primary key renamed, its index's key columns rebuilt", async () => {
    const stamp = Date.now();
    const legacy = `legacy-${stamp}`;
    const held = `held-legacy-${stamp}`;
    // The layout of earlier versions: index key columns written, not generated, and PostgreSQL's
    // own name for the primary key.
    await engine().sql.query(
      `CREATE TABLE "${legacy}" (id text COLLATE "C" NOT NULL, author text COLLATE "C", score numeric,
         item jsonb NOT NULL, item_types jsonb, PRIMARY KEY (id))`,
    );
    await engine().sql.query(
      `CREATE INDEX "${legacy}.byAuthor" ON "${legacy}" (author, score, id) WHERE author IS NOT NULL AND score IS NOT NULL`,
    );
    const messages = {
      type: 'object',
      required: ['id'],
      'x-persist': {
        table: legacy,
        key: 'id',
        indexes: { byAuthor: { key: 'author', sort: 'score' } },
      },
      properties: { id: { type: 'string' }, author: { type: 'string' }, score: { type: 'number' } },
    };
    const spec = tablesSpec([[held]]);
    const backend = timingOutBackend();
    const release = await holdingLock(held);
    try {
      const api = await loadApi(
        { ...spec, components: { schemas: { Msg: messages, ...spec.components.schemas } } },
        { backend },
      );
      const error = await backend.ensureTables(api.tables()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ThrottledError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^PostgreSQL ensureTables on table ${held}: .*\\. What this call did to the tables before it stays done: renamed the primary key of table ${legacy}; rebuilt the key columns of index byAuthor of table ${legacy}$`,
        ),
      );
    } finally {
      await release();
      await backend.close();
    }
  });
});
