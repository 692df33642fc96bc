import { loadApi } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { findPgBouncers, type PgBouncer, startPgBouncer } from '../engines/pgbouncer.js';
import { useServerEngine } from '../engines/server-engine.js';

/*
 * PgBouncer in transaction pooling without prepared-statement support (Debian 12's 1.18, or
 * 1.21+ with max_prepared_statements = 0; 1.24+ sets 200 by default): one server session serves
 * several clients, so a statement node-postgres prepared on one is missing on the next
 * (26000), or one a client prepares is there already (42P05). Needs `pgbouncer` on the PATH
 * (Debian: `apt-get install pgbouncer`) or one scripts/pgbouncer/build.sh built; skipped
 * without. Started here, as the server's system user when root.
 */
const found = findPgBouncers()[0];

const engine = useServerEngine({ poolSize: 4 });

const spec = {
  openapi: '3.0.3',
  info: { title: 'behind pgbouncer', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'id'],
        'x-persist': {
          table: 'notes',
          key: 'owner',
          sort: 'id',
          indexes: { byTag: { key: 'tag', sort: 'id' } },
        },
        properties: {
          owner: { type: 'string' },
          id: { type: 'string' },
          tag: { type: 'string' },
          count: { type: 'integer' },
        },
      },
    },
  },
};
type Note = { owner: string; id: string; tag?: string; count?: number };

// Skipped where PgBouncer is not installed (.ci/run installs Debian's package).
describe.skipIf(found === undefined)(
  'behind PgBouncer (skipped when pgbouncer is not installed)',
  () => {
    let bouncer: PgBouncer | undefined;
    let bouncerUrl = '';
    let singleUrl = '';

    beforeAll(async () => {
      const [major = 0, minor = 0] = found!.version;
      bouncer = await startPgBouncer(found!.binary, engine().server.connectionString, {
        pool_mode: 'transaction',
        default_pool_size: 3,
        // 1.21 and later prepare statements themselves once this is set (1.24+ set it).
        ...(major > 1 || minor >= 21 ? { max_prepared_statements: 0 } : {}),
      });
      bouncerUrl = bouncer.connectionString;
      singleUrl = bouncer.singleSessionString;
    });

    afterAll(() => bouncer?.stop());

    it('in transaction pooling without prepared-statement support, two processes run every kind of request concurrently and get the right answers', async () => {
      const tablePrefix = `bouncer-${Date.now()}-`;
      // Two services (two pools, as two processes would have) sharing PgBouncer's 3 sessions.
      const pools = [
        engine().openPool({ connectionString: bouncerUrl, max: 8 }),
        engine().openPool({ connectionString: bouncerUrl, max: 8 }),
      ];
      const apis = await Promise.all(
        pools.map(async (pool) =>
          loadApi(spec, { backend: createPostgresBackend({ pool }), tablePrefix }),
        ),
      );
      await createPostgresBackend({ pool: pools[0]! }).ensureTables(apis[0]!.tables());
      const work = async (service: number, round: number) => {
        const Note = apis[service]!.persistent<Note>('Note');
        const owner = `o${service}-${round}`;
        await Note.create({ owner, id: 'a', tag: 't', count: 1 });
        const loaded = await Note.load({ owner, id: 'a' });
        loaded.count = 2;
        await loaded.save();
        const updated = await Note.update({ owner, id: 'a' }, { add: { count: 3 } });
        expect(updated.count).toBe(5);
        await Note.saveMany([
          { owner, id: 'b', tag: 't' },
          { owner, id: 'c', tag: 't' },
        ]);
        expect(
          (
            await Note.getMany([
              { owner, id: 'b' },
              { owner, id: 'z' },
            ])
          ).map((n) => n?.id),
        ).toEqual(['b', undefined]);
        const first = await Note.query({ partition: owner, limit: 2 });
        const second = await Note.query({ partition: owner, limit: 2, cursor: first.cursor! });
        expect([...first.items, ...second.items].map((n) => n.id)).toEqual(['a', 'b', 'c']);
        await apis[service]!.transaction((t) => {
          t.delete(Note, { owner, id: 'b' });
          t.update(Note, { owner, id: 'c' }, { set: { count: 9 } });
        });
        expect((await Note.query({ partition: owner })).items.map((n) => [n.id, n.count])).toEqual([
          ['a', 5],
          ['c', 9],
        ]);
        expect(await Note.exists({ owner, id: 'b' })).toBe(false);
      };
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, round) => work(round % 2, round)),
      );
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      const tag = await apis[1]!.persistent<Note>('Note').query({ index: 'byTag', partition: 't' });
      expect(tag.items).toHaveLength(24);
    });

    it('a statement of a transaction, or its COMMIT, that the session no longer holds (26000) rolls back and runs again unnamed; nothing applied twice', async () => {
      const tablePrefix = `single-${Date.now()}-`;
      const other = engine().openPool({ connectionString: singleUrl, max: 1 });
      for (const [dropped, statement] of [
        ['FOR UPDATE', "statement LIKE '%FOR UPDATE%'"],
        ['COMMIT', "statement = 'COMMIT'"],
      ] as const) {
        // A session holding none of the statements yet: the new pool prepares every one.
        await other.query('DEALLOCATE ALL');
        const pool = engine().openPool({ connectionString: singleUrl, max: 1 });
        const api = await loadApi(spec, { backend: createPostgresBackend({ pool }), tablePrefix });
        if (dropped === 'FOR UPDATE')
          await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
        const Note = api.persistent<Note>('Note');
        await Note.create({ owner: dropped, id: 'a', count: 1 });
        // Prepares the transaction's statements on the one server session.
        await Note.update({ owner: dropped, id: 'a' }, { add: { count: 1 } });
        // Another client of the pooler deallocates one of them on that session.
        const { rows } = await other.query(
          `SELECT name FROM pg_prepared_statements WHERE name LIKE 'macaron%' AND ${statement}`,
        );
        expect(rows.length).toBeGreaterThan(0);
        for (const { name } of rows) await other.query(`DEALLOCATE "${name}"`);
        const updated = await Note.update({ owner: dropped, id: 'a' }, { add: { count: 1 } });
        expect(updated.count).toBe(3);
        expect(await Note.load({ owner: dropped, id: 'a' })).toMatchObject({ count: 3 });
      }
    });
  },
);
