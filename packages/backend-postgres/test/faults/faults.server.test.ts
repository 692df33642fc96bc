import { createHash } from 'node:crypto';
import {
  BackendError,
  BatchIncompleteError,
  loadApi,
  MacaronError,
  ThrottledError,
  TransactionCanceledError,
  UnreachableError,
  UnsupportedOperationError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CommitOutcomeUnknown,
  createPostgresBackend,
  type PostgresBackend,
} from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { createInteropSpec } from '../interop/interop-spec.js';
import { TcpProxy } from './tcp-proxy.js';

const engine = useServerEngine();
let proxy: TcpProxy;
const opened: { end(): Promise<void> }[] = [];

beforeAll(async () => {
  proxy = new TcpProxy(engine().server.port);
  await proxy.start();
});
afterAll(async () => {
  await proxy?.stop();
});
afterEach(async () => {
  proxy.disarm();
  for (const pool of opened.splice(0)) await pool.end().catch(() => undefined);
});

let counter = 0;

/** A backend on a fresh pool (so statements are parsed anew) through the proxy, or direct. */
async function open(options: { viaProxy?: boolean; settings?: string; maxAttempts?: number } = {}) {
  const url = new URL(engine().server.connectionString);
  if (options.viaProxy !== false) url.port = String(proxy.port);
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 4,
    ...(options.settings ? { options: options.settings } : {}),
  });
  pool.on('error', () => undefined);
  opened.push(pool);
  const backend: PostgresBackend = createPostgresBackend({
    pool,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  const tablePrefix = `fault${++counter}-`;
  const api = await loadApi(createInteropSpec(), { backend, tablePrefix });
  // Tables and seeds go straight to the server: the proxied pool starts unused, so its first
  // statements carry their text (a trap can match COMMIT).
  const direct = createPostgresBackend({ pool: engine().pool });
  const directApi = await loadApi(createInteropSpec(), { backend: direct, tablePrefix });
  await direct.ensureTables(api.tables());
  return {
    backend,
    pool,
    table: `${tablePrefix}profiles`,
    Profile: api.persistent<Record<string, unknown>>('Profile'),
    Seed: directApi.persistent<Record<string, unknown>>('Profile'),
    api,
  };
}

async function rawCount(table: string, id: string) {
  const rows = await engine().sql.query(
    `SELECT (item->>'view_count')::integer AS count FROM "${table}" WHERE profile_id = $1`,
    [id],
  );
  return rows[0]?.count as number | undefined;
}

async function rawRow(table: string, id: string) {
  const rows = await engine().sql.query(
    `SELECT item->>'name' AS name FROM "${table}" WHERE profile_id = $1`,
    [id],
  );
  return rows[0]?.name as string | undefined;
}

// The codes along an error's cause chain: core wraps the backend's error, which wraps the engine's.
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause)
    codes.push(String((current as { code?: unknown }).code));
  return codes;
}

function expectTyped(error: unknown, type: typeof MacaronError) {
  expect(MacaronError.isInstance(error)).toBe(true);
  expect(type.isInstance(error), `${(error as Error).name}: ${(error as Error).message}`).toBe(
    true,
  );
  expect((error as Error).cause).toBeDefined();
}

describe('faults on a PostgreSQL 17 server', () => {
  it('a write whose connection is cut after the statement was sent is WriteOutcomeUnknownError; it may have landed', async () => {
    const { Profile, table } = await open();
    const cut = proxy.cutWhenClientSends('cut-after-send', 'after-forwarding');
    const error = await new Profile({ profile_id: 'p1', name: 'cut-after-send' })
      .save()
      .catch((caught: unknown) => caught);
    await cut;
    expectTyped(error, WriteOutcomeUnknownError);
    // Ambiguous, not lost: the server either applied the statement or did not; reading tells.
    expect([undefined, 'cut-after-send']).toContain(await rawRow(table, 'p1'));
  });

  it('a write whose connection is cut while the backend checks the session it was lent runs again on a new connection: applied once', async () => {
    const { Profile, Seed, table } = await open();
    await Seed.create({ profile_id: 'p-check', name: 'counted', view_count: 0 });
    // The pool's first connection: the backend reads its client_encoding before anything else,
    // so the update (a transaction) was never sent.
    const cut = proxy.cutWhenClientSends("current_setting('client_encoding')", 'after-forwarding');
    await Profile.update('p-check', { add: { view_count: 1 } });
    await cut;
    expect(await rawCount(table, 'p-check')).toBe(1);
  });

  it('a single write statement cut during the session check runs again too: the item is there once', async () => {
    const { Profile, table } = await open();
    const cut = proxy.cutWhenClientSends("current_setting('client_encoding')", 'after-forwarding');
    await new Profile({ profile_id: 'p-check-put', name: 'put-after-check' }).save();
    await cut;
    expect(await rawRow(table, 'p-check-put')).toBe('put-after-check');
  });

  it('a write whose session check is cut twice in a row is UnreachableError, nothing sent, saying it ran again', async () => {
    const { Profile, table } = await open();
    const text = "current_setting('client_encoding')";
    void proxy.cutWhenClientSends(text, 'after-forwarding', 2);
    const error = await new Profile({ profile_id: 'p-check2', name: 'cut-in-check' })
      .save()
      .catch((caught: unknown) => caught);
    expect(proxy.met).toBe(2);
    expectTyped(error, UnreachableError);
    expect(error).toMatchObject({ notApplied: true });
    expect((error as Error).message).toContain('run again on a new connection');
    expect(await rawRow(table, 'p-check2')).toBeUndefined();
  });

  it('a delete that found nothing, cut while it reads whether an item is left (a trigger may skip deletes): a BackendError, not an unknown outcome', async () => {
    const { Profile, pool } = await open();
    // A first delete of an absent key prepares its follow-up read (whether a row is left, by
    // presence alone) on the pool's one connection: the next sends only the statement's name,
    // which the trap matches.
    expect(await Profile.delete('absent-0')).toBe(false);
    const [read] = (
      await pool.query(
        "SELECT name FROM pg_prepared_statements WHERE statement LIKE 'SELECT 0 AS position WHERE EXISTS%'",
      )
    ).rows as { name: string }[];
    expect(read?.name).toMatch(/^macaron_/);
    const cut = proxy.cutWhenClientSends(read!.name, 'before-forwarding');
    const error = await Profile.delete('absent-1').catch((caught: unknown) => caught);
    await cut;
    expectTyped(error, BackendError);
    expect(WriteOutcomeUnknownError.isInstance(error)).toBe(false);
    expect((error as Error).message).toContain('nothing was deleted');
  });

  it('a conditional write cut before COMMIT runs again on a new connection, its condition evaluated again', async () => {
    const { Profile, Seed, table } = await open();
    await Seed.create({ profile_id: 'p2', name: 'before' });
    const loaded = await Profile.load('p2');
    loaded.name = 'cut-before-commit';
    // The save's condition makes it a transaction: SELECT … FOR UPDATE, UPDATE, COMMIT.
    const cut = proxy.cutWhenClientSends('cut-before-commit', 'before-forwarding');
    await loaded.save({ condition: { attr: 'name', eq: 'before' } });
    await cut;
    expect(await rawRow(table, 'p2')).toBe('cut-before-commit');
  });

  it('a transaction cut after BEGIN and its writes, before COMMIT was sent, runs again on a new connection: an add applied once', async () => {
    const { Profile, Seed, table } = await open();
    await Seed.create({ profile_id: 'p-add', name: 'cut-after-write', view_count: 0 });
    // The UPDATE (which carries the item, its name included) reaches the server and runs; its
    // answer never comes back, so COMMIT is never sent: the server rolls the transaction back.
    const cut = proxy.cutWhenClientSends('cut-after-write', 'after-forwarding');
    await Profile.update('p-add', { add: { view_count: 1 } });
    await cut;
    expect(await rawCount(table, 'p-add')).toBe(1);
  });

  it('a transaction cut before COMMIT twice in a row is a BackendError, nothing applied, naming the first failure', async () => {
    const { Profile, Seed, table } = await open();
    await Seed.create({ profile_id: 'p-add2', name: 'cut-after-write-2', view_count: 0 });
    void proxy.cutWhenClientSends('cut-after-write-2', 'after-forwarding', 2);
    const error = await Profile.update('p-add2', { add: { view_count: 1 } }).catch(
      (caught: unknown) => caught,
    );
    expect(proxy.met).toBe(2);
    expectTyped(error, BackendError);
    expect(WriteOutcomeUnknownError.isInstance(error)).toBe(false);
    expect((error as BackendError).notApplied).toBe(true);
    expect((error as Error).message).toMatch(
      /run again on a new connection after .*Connection terminated/,
    );
    expect(await rawCount(table, 'p-add2')).toBe(0);
  });

  it('a transaction cut while COMMIT is in flight is WriteOutcomeUnknownError, not run again', async () => {
    const { Profile, Seed, table } = await open();
    await Seed.create({ profile_id: 'p3', name: 'before', view_count: 0 });
    const cut = proxy.cutWhenClientSends('\u0000COMMIT\u0000', 'after-forwarding');
    const error = await Profile.update('p3', { add: { view_count: 1 } }).catch(
      (caught: unknown) => caught,
    );
    await cut;
    expectTyped(error, WriteOutcomeUnknownError);
    // Applied once or not at all: never twice.
    expect([0, 1]).toContain(await rawCount(table, 'p3'));
  });

  it("provisioning whose COMMIT got no answer is WriteOutcomeUnknownError (the tables may be made); a plan's, which changes nothing, is not", async () => {
    const { backend } = await open();
    const tablePrefix = `made${++counter}-`;
    const api = await loadApi(createInteropSpec(), { backend, tablePrefix });
    const planCut = proxy.cutWhenClientSends('\u0000COMMIT\u0000', 'after-forwarding');
    const plan = await backend.planTables(api.tables()).catch((caught: unknown) => caught);
    await planCut;
    expect(WriteOutcomeUnknownError.isInstance(plan), String(plan)).toBe(false);
    expect(MacaronError.isInstance(plan)).toBe(true);
    const cut = proxy.cutWhenClientSends('\u0000COMMIT\u0000', 'after-forwarding');
    const error = await backend.createTables(api.tables()).catch((caught: unknown) => caught);
    await cut;
    expectTyped(error, WriteOutcomeUnknownError);
    expect((error as Error).message).toContain(
      'PostgreSQL createTables: the connection failed while committing, so whether its changes were made is unknown',
    );
    // Made or not, all or none: one transaction.
    const made = await engine().sql.query(
      'SELECT count(*)::int AS made FROM information_schema.tables WHERE table_name LIKE $1',
      [`${tablePrefix}%`],
    );
    expect([0, api.tables().length]).toContain(made[0]?.made);
  });

  it("ensureTables whose table's COMMIT got no answer is WriteOutcomeUnknownError naming the table, its cause the connection's failure", async () => {
    const { backend } = await open();
    const api = await loadApi(createInteropSpec(), {
      backend,
      tablePrefix: `ensured${++counter}-`,
    });
    const [first] = api.tables();
    // Each table is planned in a transaction of its own first, then provisioned in another:
    // the cut is at the COMMIT of the first table's provisioning. Trapped by its statement's
    // name, which a connection sends each time (its text only the first).
    const commit = `macaron_${createHash('sha256').update('COMMIT').digest('base64url').slice(0, 32)}`;
    const cut = proxy.cutWhenClientSends(commit, 'after-forwarding', 1, api.tables().length);
    const error = await backend.ensureTables(api.tables()).catch((caught: unknown) => caught);
    await cut;
    expectTyped(error, WriteOutcomeUnknownError);
    expect((error as Error).message).toContain(
      `PostgreSQL ensureTables on table ${first!.name}: the connection failed while committing, so whether its changes were made is unknown`,
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect((error as Error).cause).not.toBeInstanceOf(CommitOutcomeUnknown);
  });

  it('a read whose connection is cut is read again on a new connection', async () => {
    const { Profile, Seed } = await open();
    // A trap text no connection's start-up can hold by chance (a SCRAM nonce is random base64).
    await Seed.create({ profile_id: 'cut-this-read', name: 'Ann' });
    const cut = proxy.cutWhenClientSends('cut-this-read', 'before-forwarding');
    const loaded = await Profile.load('cut-this-read');
    await cut;
    expect(loaded.name).toBe('Ann');
  });

  it('pg_terminate_backend of a transaction waiting for a lock: run again on a new connection, and a BackendError, nothing applied, when that is ended too', async () => {
    const { Profile, table } = await open({ viaProxy: false });
    await Profile.create({ profile_id: 'p5', name: 'before' });
    const holder = new pg.Client({ connectionString: engine().server.connectionString });
    await holder.connect();
    let settled = false;
    // The session of the update waiting for the holder's lock, once it is not `previous`
    // (undefined if the update ended without waiting again).
    const waiter = async (previous?: number) => {
      while (!settled) {
        const rows = await engine().sql.query(
          `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%' AND pid <> $1`,
          [previous ?? 0],
        );
        const pid = rows[0]?.pid as number | undefined;
        if (pid !== undefined) return pid;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return undefined;
    };
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "${table}" WHERE profile_id = 'p5' FOR UPDATE`);
      const update = Profile.update('p5', { set: { name: 'terminated' } })
        .catch((caught: unknown) => caught)
        .finally(() => {
          settled = true;
        });
      const first = await waiter();
      await engine().sql.query('SELECT pg_terminate_backend($1::integer)', [first]);
      // Nothing of it applied: the update runs again, on another connection, and waits again.
      const second = await waiter(first);
      expect(second).toBeDefined();
      await engine().sql.query('SELECT pg_terminate_backend($1::integer)', [second]);
      const error = await update;
      expectTyped(error, BackendError);
      expect((error as BackendError).notApplied).toBe(true);
      expect(causeCodes(error)).toContain('57P01');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await rawRow(table, 'p5')).toBe('before');
  });

  it('a lock timeout that outlasts the retries is ThrottledError (TRANSACTION_CONFLICT in a transaction; a batch chunk not written)', async () => {
    const { Profile, table, api } = await open({
      viaProxy: false,
      settings: '-c lock_timeout=50',
      maxAttempts: 2,
    });
    await Profile.create({ profile_id: 'p6', name: 'before' });
    const holder = new pg.Client({ connectionString: engine().server.connectionString });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "${table}" WHERE profile_id = 'p6' FOR UPDATE`);
      const error = await Profile.update('p6', { set: { name: 'late' } }).catch(
        (caught: unknown) => caught,
      );
      expectTyped(error, ThrottledError);
      expect(((error as Error).cause as { code?: string }).code).toBe('55P03');
      const canceled = await api
        .transaction((transaction) => {
          transaction.update(Profile, 'p6', { set: { name: 'late' } });
        })
        .catch((caught: unknown) => caught);
      expectTyped(canceled, TransactionCanceledError as unknown as typeof MacaronError);
      expect((canceled as TransactionCanceledError).reasons.map((reason) => reason.code)).toEqual([
        'TRANSACTION_CONFLICT',
      ]);
      // A batch whose second chunk waits on the lock: that chunk was rolled back, so it is not
      // written (unprocessed), not unconfirmed; the first chunk stays written.
      const batch = Array.from({ length: 30 }, (_, index) => ({
        profile_id: index === 27 ? 'p6' : `b${String(index).padStart(2, '0')}`,
        name: 'batch',
      }));
      const incomplete = await Profile.saveMany(batch).catch((caught: unknown) => caught);
      expectTyped(incomplete, BatchIncompleteError as unknown as typeof MacaronError);
      expect((incomplete as BatchIncompleteError).cause).toBeInstanceOf(ThrottledError);
      expect((incomplete as BatchIncompleteError).unconfirmed).toEqual([]);
      expect(
        (incomplete as BatchIncompleteError).unprocessed.map((entry) => entry.key.profile_id),
      ).toEqual(batch.slice(25).map((item) => item.profile_id));
      expect(await rawRow(table, 'b24')).toBe('batch');
      expect(await rawRow(table, 'b25')).toBeUndefined();
      // Throttled on its first chunk, the call throws the ThrottledError itself.
      expectTyped(
        await Profile.saveMany(batch.slice(25)).catch((caught: unknown) => caught),
        ThrottledError,
      );
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await rawRow(table, 'p6')).toBe('before');
  });

  it('a statement timeout in a transaction is THROTTLED (an overloaded server), not a conflict with other writers', async () => {
    const { Profile, Seed, table, api } = await open({
      viaProxy: false,
      settings: '-c statement_timeout=100 -c lock_timeout=0',
      maxAttempts: 2,
    });
    // Seeded straight: a create under a 100 ms statement_timeout could meet it on a loaded host.
    await Seed.create({ profile_id: 'p9', name: 'before' });
    const holder = new pg.Client({ connectionString: engine().server.connectionString });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "${table}" WHERE profile_id = 'p9' FOR UPDATE`);
      const slow = await api
        .transaction((transaction) => {
          transaction.update(Profile, 'p9', { set: { name: 'late' } });
        })
        .catch((caught: unknown) => caught);
      expectTyped(slow, ThrottledError);
      expect(causeCodes(slow)).toContain('57014');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await rawRow(table, 'p9')).toBe('before');
  });

  it('no connection to be had (the pool is exhausted past its wait) is THROTTLED: nothing was sent', async () => {
    const url = engine().server.connectionString;
    const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 30_000 });
    pool.on('error', () => undefined);
    opened.push(pool);
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(createInteropSpec(), { backend, tablePrefix: `busy${++counter}-` });
    await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
    const held = await pool.connect();
    // The wait for a free connection is short once the one there is held: pg-pool reads the
    // option at each connect(). (Held with 100 ms, connecting took longer on a busy CI host.)
    pool.options.connectionTimeoutMillis = 100;
    try {
      const error = await api
        .persistent('Profile')
        .load('p1')
        .catch((caught: unknown) => caught);
      expectTyped(error, ThrottledError);
      expect((error as Error).message).toContain('nothing was sent');
      // Not run again: a second wait for a full pool would only double the caller's.
      expect((error as Error).message).not.toContain('run again');
    } finally {
      held.release();
    }
  });

  it('a server out of reach is UNREACHABLE (nothing was sent): saveMany throws it whole, and past a first chunk lists the rest as not written, none as unconfirmed', async () => {
    const gate = new TcpProxy(engine().server.port);
    await gate.start();
    const url = new URL(engine().server.connectionString);
    url.port = String(gate.port);
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    pool.on('error', () => undefined);
    opened.push(pool);
    const reachable = createPostgresBackend({ pool });
    let batchWrites = 0;
    // The server goes out of reach between the first chunk and the second: the pool's idle
    // connection is cut, and the port it would connect to again is closed.
    const backend = new Proxy(reachable, {
      get(target, property) {
        if (property === 'batchWrite')
          return async (...entries: Parameters<PostgresBackend['batchWrite']>) => {
            if (++batchWrites === 2) {
              await gate.stop();
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
            return target.batchWrite(...entries);
          };
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const tablePrefix = `gone${++counter}-`;
    const api = await loadApi(createInteropSpec(), { backend, tablePrefix });
    await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
    const Profile = api.persistent<Record<string, unknown>>('Profile');
    const batch = Array.from({ length: 30 }, (_, index) => ({
      profile_id: `u${String(index).padStart(2, '0')}`,
      name: 'batch',
    }));
    const incomplete = await Profile.saveMany(batch).catch((caught: unknown) => caught);
    expectTyped(incomplete, BatchIncompleteError as unknown as typeof MacaronError);
    expect((incomplete as BatchIncompleteError).cause).toBeInstanceOf(UnreachableError);
    expect((incomplete as BatchIncompleteError).unconfirmed).toEqual([]);
    expect(
      (incomplete as BatchIncompleteError).unprocessed.map((entry) => entry.key.profile_id),
    ).toEqual(batch.slice(25).map((item) => item.profile_id));
    const table = `${tablePrefix}profiles`;
    expect(await rawRow(table, 'u24')).toBe('batch');
    expect(await rawRow(table, 'u25')).toBeUndefined();
    // Out of reach from the first chunk, the call throws the UnreachableError itself.
    const whole = await Profile.saveMany(batch.slice(25)).catch((caught: unknown) => caught);
    expectTyped(whole, UnreachableError);
    expect(whole).toMatchObject({ code: 'UNREACHABLE', status: 503 });
    expect((whole as Error).message).toContain('nothing was sent');
    expectTyped(await Profile.load('u00').catch((caught: unknown) => caught), UnreachableError);
    expect(await rawRow(table, 'u25')).toBeUndefined();
  });

  it('close() while calls wait to retry a lock timeout: each ends with its ThrottledError, none touches the ended pool', async () => {
    const url = new URL(engine().server.connectionString);
    url.searchParams.set('options', '-c lock_timeout=30');
    const backend = createPostgresBackend({ connectionString: url.toString(), maxAttempts: 50 });
    const api = await loadApi(createInteropSpec(), {
      backend,
      tablePrefix: `closing${++counter}-`,
    });
    const direct = createPostgresBackend({ pool: engine().pool });
    await direct.ensureTables(api.tables());
    const Profile = api.persistent<Record<string, unknown>>('Profile');
    await Profile.create({ profile_id: 'c1', name: 'before' });
    const holder = new pg.Client({ connectionString: engine().server.connectionString });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        `SELECT 1 FROM "closing${counter}-profiles" WHERE profile_id = 'c1' FOR UPDATE`,
      );
      const calls = Array.from({ length: 6 }, () =>
        Profile.update('c1', { set: { name: 'late' } }).catch((caught: unknown) => caught),
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      await backend.close();
      for (const error of await Promise.all(calls)) {
        expectTyped(error, ThrottledError);
        expect(causeCodes(error)).toContain('55P03');
      }
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await rawRow(`closing${counter}-profiles`, 'c1')).toBe('before');
  });

  it('serialization failures under SERIALIZABLE are retried: concurrent adds lose nothing', async () => {
    const { Profile } = await open({
      viaProxy: false,
      settings: '-c default_transaction_isolation=serializable',
    });
    await Profile.create({ profile_id: 'p7', name: 'counter', view_count: 0 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 24 }, () => Profile.update('p7', { add: { view_count: 1 } })),
    );
    const applied = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expectTyped(outcome.reason, ThrottledError);
    expect((await Profile.load('p7')).view_count).toBe(applied);
  });

  it('a server restart between calls: calls while it is down are BackendError, then work again', async () => {
    const { Profile, table } = await open({ viaProxy: false });
    await Profile.create({ profile_id: 'p8', name: 'before' });
    await engine().server.halt();
    try {
      const down = await Profile.load('p8').catch((caught: unknown) => caught);
      expectTyped(down, BackendError);
      const write = await Profile.update('p8', { set: { name: 'down' } }).catch(
        (caught: unknown) => caught,
      );
      expect(MacaronError.isInstance(write)).toBe(true);
    } finally {
      await engine().server.restart();
    }
    expect((await Profile.load('p8')).name).toBe('before');
    await Profile.update('p8', { set: { name: 'after' } });
    expect(await rawRow(table, 'p8')).toBe('after');
  });

  it('a deadlock with another client applies nothing: retried, or TRANSACTION_CONFLICT with the 40P01 as cause', async () => {
    const { Profile, Seed, table, api } = await open({ viaProxy: false, maxAttempts: 1 });
    await Seed.create({ profile_id: 'a', name: 'a0' });
    await Seed.create({ profile_id: 'b', name: 'b0' });
    const other = new pg.Client({ connectionString: engine().server.connectionString });
    await other.connect();
    other.on('error', () => undefined);
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE "${table}" SET item = item WHERE profile_id = 'b'`);
      // Macaron's transaction locks a, then waits for b; the other client then wants a.
      const transaction = api
        .transaction((builder) => {
          builder.update(Profile, 'a', { set: { name: 'a1' } });
          builder.update(Profile, 'b', { set: { name: 'b1' } });
        })
        .then(
          () => 'applied',
          (error: unknown) => error,
        );
      while (
        (
          await engine().sql.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`,
          )
        ).length === 0
      )
        await new Promise((resolve) => setTimeout(resolve, 20));
      const otherOutcome = await other
        .query(`UPDATE "${table}" SET item = item WHERE profile_id = 'a'`)
        .then(
          () => 'locked',
          (error: { code?: string }) => error.code,
        );
      await other.query('ROLLBACK');
      const outcome = await transaction;
      if (outcome === 'applied') {
        expect(otherOutcome).toBe('40P01');
        expect([await rawRow(table, 'a'), await rawRow(table, 'b')]).toEqual(['a1', 'b1']);
      } else {
        expectTyped(outcome, TransactionCanceledError as unknown as typeof MacaronError);
        expect((outcome as TransactionCanceledError).reasons.map((reason) => reason.code)).toEqual([
          'TRANSACTION_CONFLICT',
        ]);
        expect(causeCodes(outcome)).toContain('40P01');
        expect([await rawRow(table, 'a'), await rawRow(table, 'b')]).toEqual(['a0', 'b0']);
      }
    } finally {
      await other.end();
    }
  });

  it('a backend given a connection string owns its pool: close() ends it', async () => {
    const backend = createPostgresBackend({ connectionString: engine().server.connectionString });
    const tablePrefix = `owned${++counter}-`;
    const api = await loadApi(createInteropSpec(), { backend, tablePrefix });
    await backend.ensureTables(api.tables());
    await api.persistent<Record<string, unknown>>('Profile').create({ profile_id: 'o', name: 'O' });
    await backend.close();
    const after = await backend
      .getItem({ model: api.persistent('Profile').descriptor, key: { profile_id: 'o' } })
      .catch((caught: unknown) => caught);
    expect(after).toBeInstanceOf(BackendError);
    expect((after as Error).message).toContain('the backend is closed');
    await backend.close();
  });

  it("node-postgres's query_timeout: a statement given up on is an unknown write or an uncommitted transaction (THROTTLED), and its connection is not reused", async () => {
    const tablePrefix = `qtimeout${++counter}-`;
    // Long enough for a statement on a loaded host, short for the test: only the statements
    // the held lock blocks are meant to meet it.
    const backend = createPostgresBackend({
      connection: {
        connectionString: engine().server.connectionString,
        max: 1,
        query_timeout: 1000,
      },
    });
    const api = await loadApi(createInteropSpec(), { backend, tablePrefix });
    const Profile = api.persistent<Record<string, unknown>>('Profile');
    const table = `${tablePrefix}profiles`;
    // Made through the engine's own pool, which no timeout bounds.
    const untimedBackend = createPostgresBackend({ pool: engine().pool });
    const untimed = await loadApi(createInteropSpec(), { backend: untimedBackend, tablePrefix });
    await untimedBackend.ensureTables(untimed.tables());
    await untimed.persistent('Profile').create({ profile_id: 'q1', name: 'before' });
    const holder = new pg.Client({ connectionString: engine().server.connectionString });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "${table}" WHERE profile_id = 'q1' FOR UPDATE`);
      // A transaction: never committed, since its session is closed rather than reused. The
      // server did not answer in time and nothing was applied: THROTTLED, as a statement_timeout.
      const update = await Profile.update('q1', { set: { name: 'updated' } }).catch(
        (caught: unknown) => caught,
      );
      expectTyped(update, ThrottledError);
      expect((update as Error).message).toContain('the transaction was not committed');
      // Not run again: the server may still be running it, holding the locks a second would wait for.
      expect((update as Error).message).not.toContain('run again');
      // One statement: the server may still apply it once the lock is released.
      const put = await new Profile({ profile_id: 'q1', name: 'put' })
        .save()
        .catch((caught: unknown) => caught);
      expectTyped(put, WriteOutcomeUnknownError);
      // Told as what it is: the client stopped waiting, and the server may still apply it.
      expect((put as Error).message).toContain(
        "no answer within node-postgres's query_timeout after the statement was sent; the server may still apply it",
      );
      expect((update as Error).message).toContain("no answer within node-postgres's query_timeout");
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    // The pool's one connection is a new one: what it saves is committed, seen by others.
    await Profile.create({ profile_id: 'q2', name: 'durable' });
    expect(await rawRow(table, 'q2')).toBe('durable');
    await backend.close();
    expect(await rawRow(table, 'q2')).toBe('durable');
    expect(await rawRow(table, 'q1')).not.toBe('updated');
  });

  it('a read the server does not answer in time is THROTTLED (503) on every path, whichever timeout met it: statement_timeout, lock_timeout, query_timeout', async () => {
    const timeouts: [string, pg.PoolConfig, string][] = [
      ['statement_timeout', { options: '-c statement_timeout=150' }, '57014'],
      ['lock_timeout', { options: '-c lock_timeout=80' }, '55P03'],
      ['query_timeout', { query_timeout: 300 }, 'Query read timeout'],
    ];
    for (const [name, connection, cause] of timeouts) {
      const tablePrefix = `slowread${++counter}-`;
      const backend = createPostgresBackend({
        connection: { connectionString: engine().server.connectionString, max: 2, ...connection },
        maxAttempts: 2,
      });
      const api = await loadApi(createInteropSpec(), { backend, tablePrefix });
      const Profile = api.persistent<Record<string, unknown>>('Profile');
      const Message = api.persistent<Record<string, unknown>>('Message');
      // Made through the engine's own pool, which no timeout bounds: on a loaded host, a
      // create under a 150 ms statement_timeout could meet it.
      const untimedBackend = createPostgresBackend({ pool: engine().pool });
      const untimed = await loadApi(createInteropSpec(), { backend: untimedBackend, tablePrefix });
      await untimedBackend.ensureTables(untimed.tables());
      await untimed.persistent('Profile').create({ profile_id: 'r1', name: 'before' });
      await untimed
        .persistent('Message')
        .create({ channel: 'c', sent: '1', author: 'a', score: 1 });
      const holder = new pg.Client({ connectionString: engine().server.connectionString });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(
          `LOCK TABLE "${tablePrefix}profiles", "${tablePrefix}messages" IN ACCESS EXCLUSIVE MODE`,
        );
        const reads: [string, () => Promise<unknown>][] = [
          ['load', () => Profile.load('r1')],
          ['exists', () => Profile.exists('r1')],
          ['loadMany', () => Profile.loadMany(['r1', 'r2'])],
          ['query', () => Message.query({ partition: 'c' })],
          ['query by index', () => Message.query({ index: 'byAuthor', partition: 'a' })],
          ['scan', () => Profile.scan()],
        ];
        for (const [path, read] of reads) {
          const error = await read().then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(
            ThrottledError.isInstance(error),
            `${name} ${path}: ${(error as Error)?.name}: ${(error as Error)?.message}`,
          ).toBe(true);
          expect((error as ThrottledError).status).toBe(503);
          const chain = [...causeCodes(error), String(((error as Error).cause as Error)?.message)];
          expect(chain.join(' '), `${name} ${path}`).toContain(cause);
        }
        // A transaction's reads (a check, the rows it locks) meet it too: nothing committed.
        // A lock timeout there is another client's lock, the contract's TRANSACTION_CONFLICT.
        const transaction = await api
          .transaction((actions) => {
            actions.check(Profile, 'r1', { attr: 'name', eq: 'before' });
            actions.create(new Profile({ profile_id: 'r3', name: 'new' }));
          })
          .catch((caught: unknown) => caught);
        if (name === 'lock_timeout')
          expectTyped(transaction, TransactionCanceledError as unknown as typeof MacaronError);
        else expectTyped(transaction, ThrottledError);
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
      expect(await rawRow(`${tablePrefix}profiles`, 'r3')).toBeUndefined();
      await backend.close();
    }
  });

  it('close() waits for the calls in flight, those waiting for a connection included', async () => {
    const tablePrefix = `drain${++counter}-`;
    const backend = createPostgresBackend({
      connection: { connectionString: engine().server.connectionString, max: 1 },
    });
    const api = await loadApi(createInteropSpec(), { backend, tablePrefix });
    await backend.ensureTables(api.tables());
    const Profile = api.persistent<Record<string, unknown>>('Profile');
    await Profile.create({ profile_id: 'd', name: 'D' });
    const calls = Array.from({ length: 10 }, (_, index) =>
      index % 2 === 0
        ? Profile.load('d').then(() => 'read')
        : Profile.update('d', { set: { name: `D${index}` } }).then(() => 'updated'),
    );
    await backend.close();
    // Every call settled before the pool ended (a pool ended under queued calls never answers them).
    const outcomes = await Promise.race([
      Promise.all(calls),
      new Promise((resolve) => setTimeout(() => resolve('still pending'), 2000)),
    ]);
    expect(outcomes).toEqual([
      'read',
      'updated',
      'read',
      'updated',
      'read',
      'updated',
      'read',
      'updated',
      'read',
      'updated',
    ]);
  });

  it('a COMMIT the server never read (it ended the session idle in its transaction, 25P03) is not an unknown outcome: run again, and a BackendError, nothing applied, when it fails so again', async () => {
    const { Profile, Seed, table } = await open({
      settings: '-c idle_in_transaction_session_timeout=100',
      maxAttempts: 1,
    });
    await Seed.create({ profile_id: 'c1', name: 'before' });
    await Seed.create({ profile_id: 'c2', name: 'before' });
    // The COMMIT reaches the server only after it ended the session. Trapped by its statement's
    // name, which a connection sends each time (its text only the first).
    const commit = `macaron_${createHash('sha256').update('COMMIT').digest('base64url').slice(0, 32)}`;
    const held = proxy.cutWhenClientSends(commit, 600);
    await Profile.update('c1', { set: { name: 'late' } });
    await held;
    expect(await rawRow(table, 'c1')).toBe('late');
    const heldTwice = proxy.cutWhenClientSends(commit, 600, 2);
    const error = await Profile.update('c2', { set: { name: 'late' } }).catch(
      (caught: unknown) => caught,
    );
    expect(proxy.met).toBe(2);
    await heldTwice;
    expectTyped(error, BackendError);
    expect(error).not.toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as BackendError).notApplied).toBe(true);
    expect(causeCodes(error)).toContain('25P03');
    expect(await rawRow(table, 'c2')).toBe('before');
  });

  it('planTables on a read-only session (a hot standby): UnsupportedOperationError saying why, nothing made; reads go on', async () => {
    const { backend, api, Profile } = await open({
      viaProxy: false,
      settings: '-c default_transaction_read_only=on',
    });
    const error = await backend.planTables(api.tables()).catch((caught: unknown) => caught);
    expectTyped(error, UnsupportedOperationError);
    expect((error as Error).message).toContain('read-only session or a standby');
    expect(await Profile.exists('nobody')).toBe(false);
  });

  it('statements are named by the digest of their text, the same name for the same text in every process', async () => {
    const pool = engine().openPool({ max: 1 });
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(createInteropSpec(), { backend, tablePrefix: `named${++counter}-` });
    await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
    const Profile = api.persistent<Record<string, unknown>>('Profile');
    await Profile.create({ profile_id: 'n1', name: 'named' });
    await Profile.load('n1');
    const prepared = (
      await pool.query(
        "SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'macaron%'",
      )
    ).rows as { name: string; statement: string }[];
    expect(prepared.length).toBeGreaterThan(1);
    for (const { name, statement } of prepared)
      expect(name).toBe(
        `macaron_${createHash('sha256').update(statement).digest('base64url').slice(0, 32)}`,
      );
  });

  it('batches of every size (reads of 1 to 100 keys, writes of 1 to 25 items) prepare a few statements per connection, not one per size (each holds server memory until the connection closes)', async () => {
    const pool = engine().openPool({ max: 1 });
    const backend = createPostgresBackend({ pool });
    const api = await loadApi(createInteropSpec(), { backend, tablePrefix: `sizes${++counter}-` });
    await createPostgresBackend({ pool: engine().pool }).ensureTables(api.tables());
    const Profile = api.persistent<Record<string, unknown>>('Profile');
    const ids = Array.from({ length: 100 }, (_, index) => `s${index}`);
    await Profile.saveMany(ids.map((profile_id) => ({ profile_id, name: profile_id })));
    const prepared = async () =>
      Number(
        (
          await pool.query(
            "SELECT count(*) AS n FROM pg_prepared_statements WHERE name LIKE 'macaron%'",
          )
        ).rows[0].n,
      );
    const before = await prepared();
    for (let size = 1; size <= 100; size++) {
      const loaded = await Profile.getMany(ids.slice(0, size));
      expect(loaded.filter(Boolean)).toHaveLength(size);
    }
    for (let size = 1; size <= 25; size++)
      await Profile.saveMany(
        ids.slice(0, size).map((profile_id) => ({ profile_id, name: `${profile_id}-${size}` })),
      );
    for (let size = 1; size <= 25; size++)
      await Profile.deleteMany(ids.slice(100 - size).map((profile_id) => profile_id));
    // 9 counts of keys read (see paddedKeys; the larger read as one aggregated row too), 6 of
    // items written and 6 of keys deleted: 149 before, one per size.
    expect((await prepared()) - before).toBeLessThanOrEqual(30);
    expect((await Profile.load('s0')).name).toBe('s0-25');
    expect((await Profile.load('s24')).name).toBe('s24-25');
    // Every delete deleted its own keys (the last 25, by then), the rest stays.
    expect(await Profile.getMany(ids.slice(75))).toEqual(ids.slice(75).map(() => undefined));
    expect((await Profile.getMany(ids.slice(0, 75))).filter(Boolean)).toHaveLength(75);
  });

  it('a batch chunk whose connection is cut during the session check runs again on a new connection: every item written once', async () => {
    const { Profile, table } = await open();
    const items = Array.from({ length: 30 }, (_, index) => ({
      profile_id: `s${String(index).padStart(2, '0')}`,
      name: `n${index}`,
    }));
    const cut = proxy.cutWhenClientSends("current_setting('client_encoding')", 'after-forwarding');
    await Profile.saveMany(items);
    await cut;
    for (const item of items) expect(await rawRow(table, item.profile_id)).toBe(item.name);
  });

  it('a batch whose connection is cut mid-way: BatchIncompleteError, the chunk in flight unconfirmed, the rest written or listed', async () => {
    const { Profile, table } = await open();
    const items = Array.from({ length: 60 }, (_, index) => ({
      profile_id: `b${String(index).padStart(2, '0')}`,
      name: index === 30 ? 'cut-in-batch' : `n${index}`,
    }));
    const cut = proxy.cutWhenClientSends('cut-in-batch', 'after-forwarding');
    const error = await Profile.saveMany(items).catch((caught: unknown) => caught);
    await cut;
    expectTyped(error, BatchIncompleteError as unknown as typeof MacaronError);
    const incomplete = error as BatchIncompleteError;
    // Chunks of 25: the second (items 25-49) was in flight; the third was never sent.
    expect(incomplete.unconfirmed.map((entry) => entry.key.profile_id)).toEqual(
      items.slice(25, 50).map((item) => item.profile_id),
    );
    expect(incomplete.unprocessed.map((entry) => entry.key.profile_id)).toEqual(
      items.slice(50).map((item) => item.profile_id),
    );
    for (const item of items.slice(0, 25))
      expect(await rawRow(table, item.profile_id)).toBe(item.name);
    for (const item of items.slice(50))
      expect(await rawRow(table, item.profile_id)).toBeUndefined();
  });
});
