import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { loadApi } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';

/*
 * PgBouncer in transaction pooling without prepared-statement support (Debian 12's 1.18, or
 * 1.21-1.23 without max_prepared_statements): one server session serves several clients, so
 * a statement node-postgres prepared on one is missing on the next (26000), or one a client
 * prepares is there already (42P05). Needs `pgbouncer` on the PATH (Debian: `apt-get install
 * pgbouncer`); skipped without it. Started here, as the server's system user when root.
 */
const pgbouncer = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' }).trim();
  } catch {
    // Debian installs it in /usr/sbin, which a user's PATH may leave out.
    return existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : '';
  }
})();

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

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

// Skipped where PgBouncer is not installed (.ci/run installs Debian's package).
describe.skipIf(pgbouncer === '')(
  'behind PgBouncer (skipped when pgbouncer is not installed)',
  () => {
    let bouncer: ChildProcess | undefined;
    let folder = '';
    let bouncerUrl = '';
    let singleUrl = '';

    beforeAll(async () => {
      const { connectionString, port } = engine().server;
      const url = new URL(connectionString);
      folder = mkdtempSync(join(tmpdir(), 'macaron-pgbouncer-'));
      const listenPort = 20_000 + Math.floor(Math.random() * 12_000);
      writeFileSync(
        join(folder, 'userlist.txt'),
        `"${url.username}" "${decodeURIComponent(url.password)}"\n`,
      );
      writeFileSync(
        join(folder, 'pgbouncer.ini'),
        [
          '[databases]',
          `postgres = host=127.0.0.1 port=${port} dbname=postgres`,
          // One server session for every client: what one client deallocates, the next misses.
          `single = host=127.0.0.1 port=${port} dbname=postgres pool_size=1`,
          '[pgbouncer]',
          'listen_addr = 127.0.0.1',
          `listen_port = ${listenPort}`,
          'unix_socket_dir =',
          'auth_type = md5',
          `auth_file = ${join(folder, 'userlist.txt')}`,
          'pool_mode = transaction',
          'default_pool_size = 3',
          'max_client_conn = 100',
          '',
        ].join('\n'),
      );
      // PgBouncer refuses to run as root: as root, it runs as the server's system user.
      let ids: { uid: number; gid: number } | undefined;
      if (userInfo().uid === 0) {
        ids = {
          uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
          gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
        };
        chownSync(folder, ids.uid, ids.gid);
        for (const file of ['userlist.txt', 'pgbouncer.ini'])
          chownSync(join(folder, file), ids.uid, ids.gid);
      }
      bouncer = spawn(pgbouncer, [join(folder, 'pgbouncer.ini')], { stdio: 'ignore', ...ids });
      for (let attempt = 0; !(await listening(listenPort)); attempt++) {
        if (attempt === 100) throw new Error('pgbouncer did not start');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      url.port = String(listenPort);
      bouncerUrl = url.toString();
      url.pathname = '/single';
      singleUrl = url.toString();
    });

    afterAll(() => {
      bouncer?.kill();
      if (folder) rmSync(folder, { recursive: true, force: true });
    });

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
