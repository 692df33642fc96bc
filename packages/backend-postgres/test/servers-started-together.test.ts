import { execFile } from 'node:child_process';
import { mkdir, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgresServer } from '../src/local/index.js';

const run = promisify(execFile);

// Test runners start servers from several workers at once (vitest's, one a file). As root, each
// start makes its system user if missing: two starts must not fail on each other's `useradd`.
describe.runIf(userInfo().uid === 0)('PostgreSQL servers started at the same moment', () => {
  // A user no earlier run made: its first use races.
  const systemUser = `macaron-t${process.pid}${Math.random().toString(36).slice(2, 6)}`;
  // Another, for the start that finds a stale lock.
  const lockedUser = `macaron-s${process.pid}${Math.random().toString(36).slice(2, 6)}`;
  const servers: PostgresServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    for (const user of [systemUser, lockedUser]) {
      await run('userdel', [user]).catch(() => undefined);
      await run('groupdel', [user]).catch(() => undefined);
    }
  }, 60_000);

  it('each start, as root, with a system user missing at first', async () => {
    const started = await Promise.allSettled(
      [1, 2, 3].map(() => startPostgresServer({ systemUser })),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value);
    expect(
      started.map((outcome) => outcome.status === 'rejected' && String(outcome.reason)),
    ).toEqual([false, false, false]);
    for (const server of servers) {
      const client = new pg.Client({ connectionString: server.connectionString });
      await client.connect();
      try {
        expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await client.end();
      }
    }
  }, 180_000);

  it('takes over the lock a start that crashed while making the user left behind', async () => {
    const lock = join(tmpdir(), `macaron-useradd-${lockedUser}.lock`);
    // Made two minutes ago, never removed: its holder is gone.
    await mkdir(lock);
    const stale = new Date(Date.now() - 120_000);
    await utimes(lock, stale, stale);
    try {
      servers.push(await startPostgresServer({ systemUser: lockedUser }));
      expect(await stat(lock).catch(() => 'removed')).toBe('removed');
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  });
});
