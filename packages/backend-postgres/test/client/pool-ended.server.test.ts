import { loadApi, UnreachableError, WriteOutcomeUnknownError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createNodePostgresClient } from '../../src/client/node-postgres-client.js';
import { NotSent } from '../../src/client/sql-client.js';
import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { createInteropSpec } from '../interop/interop-spec.js';

const engine = useServerEngine({ poolSize: 2 });

// What each call ended with, or 'still waiting' once `ms` passed.
function settledWithin(calls: Promise<unknown>[], ms: number): Promise<unknown[]> {
  return Promise.all(
    calls.map((call) =>
      Promise.race([
        call.then(
          () => 'done',
          (error: unknown) => error,
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), ms)),
      ]),
    ),
  );
}

describe('a pool of the team ended under requests in flight', () => {
  it('the requests queued for one of its connections end with UnreachableError (nothing sent), never wait forever', async () => {
    const pool = engine().openPool({ max: 1 });
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(createInteropSpec(), {
      backend,
      tablePrefix: `ended-${Date.now()}-`,
    });
    await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
    const Profile = api.persistent<{ profile_id: string; name: string }>('Profile');
    await Profile.create({ profile_id: 'p0', name: 'first' });
    // One request holds the only connection, the others wait for it; then the team ends it.
    const calls: Promise<unknown>[] = [
      ...Array.from({ length: 3 }, () => Profile.load('p0')),
      ...Array.from({ length: 3 }, (_, index) =>
        Profile.create({ profile_id: `p${index + 1}`, name: 'late' }),
      ),
      api.transaction((transaction) => {
        transaction.create(new Profile({ profile_id: 'p9', name: 'in a transaction' }));
      }),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    const ended = pool.end();
    const outcomes = await settledWithin(calls, 5_000);
    await ended;
    expect(outcomes.filter((outcome) => outcome === 'still waiting')).toEqual([]);
    expect(
      outcomes.filter((outcome) => outcome instanceof UnreachableError).length,
    ).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      if (outcome === 'done') continue;
      expect(outcome).toBeInstanceOf(UnreachableError);
      expect(outcome).not.toBeInstanceOf(WriteOutcomeUnknownError);
      expect((outcome as Error).message).toContain('nothing was sent');
      expect((outcome as Error).message).toContain('the pool was ended');
    }
    // What was not written is not there.
    const { rows } = await engine().pool.query(
      `SELECT item->>'profile_id' AS id FROM "${api.tables()[0]!.name}" ORDER BY 1`,
    );
    const written = rows.map((row) => row.id as string);
    expect(written).toContain('p0');
    for (const [position, outcome] of outcomes.entries()) {
      if (position < 3) continue;
      const id = position === 6 ? 'p9' : `p${position - 2}`;
      expect(written.includes(id), id).toBe(outcome === 'done');
    }
  });
  it('the requests queued behind a connection that then fails to connect (a password refused) end too, never wait forever', async () => {
    const url = new URL(engine().server.connectionString);
    url.password = 'not-the-password';
    const pool = engine().openPool({ connectionString: url.toString(), max: 1 });
    const sql = createNodePostgresClient(pool);
    // The first request's connection is being made, the others wait for it; then the team
    // ends the pool, and the connection is refused: the pool closes no connection it had.
    const calls = Array.from({ length: 3 }, () => sql.query('SELECT 1'));
    const ended = pool.end();
    const outcomes = await settledWithin(calls, 5_000);
    await ended;
    expect(outcomes.filter((outcome) => outcome === 'still waiting')).toEqual([]);
    // Not sent, each: the first for the refused password, the others for the pool ended.
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(NotSent);
    expect(
      outcomes.map((outcome) => String(((outcome as Error).cause as Error)?.message)).slice(1),
    ).toEqual(
      Array.from(
        { length: 2 },
        () =>
          'the pool was ended (pool.end()) while this request waited for one of its connections',
      ),
    );
  });
});
