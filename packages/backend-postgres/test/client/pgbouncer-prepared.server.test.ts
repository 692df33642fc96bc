import { type BackendError, loadApi, MacaronError } from '@macaron/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { type PgBouncer, pgbouncerAtLeast, startPgBouncer } from '../engines/pgbouncer.js';
import { useServerEngine } from '../engines/server-engine.js';

/*
 * PgBouncer 1.21 or later in transaction pooling with `max_prepared_statements`: it prepares a
 * client's named statements on each server session it lends (as PGBOUNCER_<n>), so they stay
 * prepared. Debian 12's package is 1.18: scripts/pgbouncer/build.sh builds Debian 13's 1.24.1
 * into .pgbouncer/ (.ci/run does); skipped when no 1.21 or later is found.
 */
const pgbouncer = pgbouncerAtLeast([1, 21]);

const engine = useServerEngine({ poolSize: 4 });

const spec = {
  openapi: '3.0.3',
  info: { title: 'behind pgbouncer 1.21+', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'id'],
        'x-persist': { table: 'notes', key: 'owner', sort: 'id' },
        properties: {
          owner: { type: 'string' },
          id: { type: 'string' },
          count: { type: 'integer' },
        },
      },
    },
  },
};
type Note = { owner: string; id: string; count?: number };

describe.skipIf(pgbouncer === '')(
  'behind PgBouncer 1.21+ in transaction pooling with max_prepared_statements (skipped when no PgBouncer 1.21 or later is found: scripts/pgbouncer/build.sh builds one)',
  () => {
    let bouncer: PgBouncer;
    let counter = 0;

    beforeAll(async () => {
      bouncer = await startPgBouncer(pgbouncer, engine().server.connectionString, {
        pool_mode: 'transaction',
        max_prepared_statements: 100,
        default_pool_size: 3,
        admin_users: 'postgres',
      });
    });
    afterAll(() => bouncer?.stop());

    /** PgBouncer's admin console's `SHOW <what>`, summed over its rows for `column`. */
    async function shown(what: string, column: string): Promise<number> {
      const url = new URL(bouncer.connectionString);
      url.pathname = '/pgbouncer';
      const console = new pg.Client({ connectionString: url.toString() });
      await console.connect();
      try {
        // Without parameters node-postgres sends the simple protocol, the only one it takes.
        const { rows } = await console.query(`SHOW ${what}`);
        return rows.reduce((sum, row) => sum + Number(row[column] ?? 0), 0);
      } finally {
        await console.end();
      }
    }

    /** Two services' pools of 20 connections through PgBouncer's 3 server sessions. */
    async function services(url: string) {
      const tablePrefix = `prepared${++counter}-`;
      const pools = [0, 1].map(() => engine().openPool({ connectionString: url, max: 20 }));
      const apis = await Promise.all(
        pools.map((pool) =>
          loadApi(spec, { backend: createPostgresBackend({ pool }), tablePrefix }),
        ),
      );
      await createPostgresBackend({ pool: engine().pool }).ensureTables(apis[0]!.tables());
      return apis.map((api) => ({ api, Note: api.persistent<Note>('Note') }));
    }

    it('many clients over few server sessions run every kind of request, their statements prepared once per server session, not parsed each time', async () => {
      const [first, second] = await services(bouncer.connectionString);
      const parsedBefore = await shown('STATS', 'total_server_parse_count');
      const boundBefore = await shown('STATS', 'total_bind_count');
      const work = async (round: number) => {
        const { api, Note } = round % 2 ? second! : first!;
        const owner = `o${round % 5}`;
        await Note.create({ owner, id: `n${round}`, count: 1 });
        await Note.update({ owner, id: `n${round}` }, { add: { count: 1 } });
        const page = await Note.query({ partition: owner, limit: 2 });
        if (page.cursor) await Note.query({ partition: owner, limit: 2, cursor: page.cursor });
        await api.transaction((t) =>
          t.update(Note, { owner, id: `n${round}` }, { add: { count: 2 } }),
        );
        expect((await Note.load({ owner, id: `n${round}` })).count).toBe(4);
      };
      const results = await Promise.allSettled(
        Array.from({ length: 120 }, (_, round) => work(round)),
      );
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect((await first!.Note.scan()).items).toHaveLength(120);
      // PgBouncer's counts: each statement was bound (run) often and parsed on a server session
      // seldom. Had the pools fallen back to unnamed statements, each bind would be a parse.
      const parsed = (await shown('STATS', 'total_server_parse_count')) - parsedBefore;
      const bound = (await shown('STATS', 'total_bind_count')) - boundBefore;
      expect(bound).toBeGreaterThan(600);
      expect(parsed * 4).toBeLessThan(bound);
    });

    it('a RELOAD, and a restart (waiting for transactions, or closing every connection) under load: each request answered, or a typed error true to what it applied', async () => {
      for (const disturb of [
        () => bouncer.reload(),
        () => bouncer.restart('SIGINT'),
        () => bouncer.restart('SIGQUIT'),
      ]) {
        const [first, second] = await services(bouncer.connectionString);
        const outcomes: { id: string; error?: unknown }[] = [];
        let started!: () => void;
        const underway = new Promise<void>((resolve) => (started = resolve));
        const work = async (round: number) => {
          const { Note } = round % 2 ? second! : first!;
          const id = `n${round}`;
          try {
            await Note.create({ owner: 'o', id, count: 1 });
            outcomes.push({ id });
          } catch (error) {
            outcomes.push({ id, error });
          }
          // Disturbed once some requests were answered, with the rest in flight or queued.
          if (outcomes.length === 30) started();
        };
        const all = Promise.all(Array.from({ length: 200 }, (_, round) => work(round)));
        await underway;
        await disturb();
        await all;
        // A write answered is stored; one that says nothing applied is not; every failure typed.
        const stored = new Set((await first!.Note.scan()).items.map((note) => note.id));
        for (const { id, error } of outcomes) {
          if (error === undefined) expect(stored.has(id), id).toBe(true);
          else {
            expect(MacaronError.isInstance(error), String(error)).toBe(true);
            if ((error as BackendError).notApplied) expect(stored.has(id), id).toBe(false);
          }
        }
        // And the services go on.
        await first!.Note.create({ owner: 'after', id: 'a' });
        expect(await second!.Note.exists({ owner: 'after', id: 'a' })).toBe(true);
      }
    });

    it("a statement PgBouncer prepared that its server session lost (another client's DEALLOCATE of PGBOUNCER_<n>) fails no request: the pool runs its statements unnamed from then on", async () => {
      const tablePrefix = `lost${++counter}-`;
      const pool = engine().openPool({ connectionString: bouncer.singleSessionString, max: 1 });
      const other = engine().openPool({ connectionString: bouncer.singleSessionString, max: 1 });
      const api = await loadApi(spec, { backend: createPostgresBackend({ pool }), tablePrefix });
      await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
      const Note = api.persistent<Note>('Note');
      await Note.create({ owner: 'o', id: 'a', count: 1 });
      await Note.update({ owner: 'o', id: 'a' }, { add: { count: 1 } });
      // The one server session behind `single` holds PgBouncer's names for them.
      const { rows } = await other.query(
        "SELECT name FROM pg_prepared_statements WHERE name LIKE 'PGBOUNCER%'",
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { name } of rows) await other.query(`DEALLOCATE "${name}"`);
      // PgBouncer still takes them as prepared there; the server refuses each (26000), nothing run.
      const updated = await Note.update({ owner: 'o', id: 'a' }, { add: { count: 1 } });
      expect(updated.count).toBe(3);
      await Note.create({ owner: 'o', id: 'b' });
      expect((await Note.query({ partition: 'o' })).items.map((note) => note.id)).toEqual([
        'a',
        'b',
      ]);
      expect(await Note.load({ owner: 'o', id: 'a' })).toMatchObject({ count: 3 });
    });
  },
);
