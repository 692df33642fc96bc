import { PGlite } from '@electric-sql/pglite';
import {
  loadApi,
  MacaronError,
  TransactionCanceledError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPGliteClient } from '../../src/client/pglite-client.js';
import type { SqlClient, SqlExecutor } from '../../src/client/sql-client.js';
import { createPostgresBackend, type PostgresBackend } from '../../src/index.js';

// Failures a trigger raises on every attempt, or a race a client injects on every attempt:
// how many attempts the backend makes, and which typed error it ends with
// (docs/backends/postgres.md, "Errors").

let database: PGlite;
let raw: SqlClient;
beforeAll(async () => {
  database = await PGlite.create();
  raw = createPGliteClient(database, false);
});
afterAll(() => database.close());

let counter = 0;
async function thingsOn(backend: PostgresBackend) {
  const table = `retries${++counter}`;
  const api = await loadApi(
    {
      openapi: '3.0.3',
      info: { title: 'retries', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': { table, key: 'id' },
            properties: { id: { type: 'string' } },
          },
        },
      },
    },
    { backend },
  );
  await backend.ensureTables(api.tables());
  return { table, model: api.persistent('Thing').descriptor };
}

// Every write of the table raises `state`, and counts the attempt in a sequence (not rolled
// back with the statement).
async function failingWrites(table: string, state: string) {
  await raw.query(`CREATE SEQUENCE "${table}_attempts"`);
  await raw.query(`CREATE FUNCTION "${table}_fail"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM nextval('"${table}_attempts"'); RAISE EXCEPTION 'injected' USING ERRCODE = '${state}'; END $$`);
  await raw.query(
    `CREATE TRIGGER fail BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${table}_fail"()`,
  );
  return async () =>
    Number((await raw.query(`SELECT last_value FROM "${table}_attempts"`))[0]!.last_value);
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );

describe('PostgreSQL retries', () => {
  it('a serialization failure (40001) on every attempt: exactly maxAttempts attempts, then ThrottledError', async () => {
    for (const maxAttempts of [undefined, 3]) {
      const backend = createPostgresBackend({
        pglite: database,
        ...(maxAttempts ? { maxAttempts } : {}),
      });
      const { table, model } = await thingsOn(backend);
      const attempts = await failingWrites(table, '40001');
      expect(await failure(backend.putItem({ model, item: { id: 'x' } }))).toMatchObject({
        code: 'THROTTLED',
        status: 503,
      });
      expect(await attempts()).toBe(maxAttempts ?? 8);
    }
  });

  it('a lock timeout (55P03) on every attempt is ThrottledError (retry later), not a BackendError', async () => {
    const backend = createPostgresBackend({ pglite: database, maxAttempts: 2 });
    const { table, model } = await thingsOn(backend);
    const attempts = await failingWrites(table, '55P03');
    const error = await failure(backend.putItem({ model, item: { id: 'y' } }));
    expect(error).toMatchObject({ code: 'THROTTLED' });
    expect(((error as Error).cause as { code?: string }).code).toBe('55P03');
    expect(await attempts()).toBe(2);
  });

  it('an idle session the server had ended before the statement reached it (57P05): one more attempt, then a BackendError saying nothing ran', async () => {
    const backend = createPostgresBackend({ pglite: database });
    const { table, model } = await thingsOn(backend);
    const attempts = await failingWrites(table, '57P05');
    const error = await failure(backend.putItem({ model, item: { id: 'w' } }));
    expect(error).toMatchObject({ code: 'BACKEND_ERROR', notApplied: true });
    expect((error as Error).message).toContain('nothing was run');
    expect(await attempts()).toBe(2);
  });

  it("a transaction whose connection failed, on a client of another's: not run again, and its outcome unknown, since it may not report a COMMIT sent (it may have committed)", async () => {
    // An adapter that commits, then reports the connection's own error, as one that does not
    // throw CommitOutcomeUnknown for a COMMIT in flight would.
    let transactions = 0;
    let failing = false;
    const client: SqlClient = {
      kind: 'adapter of its own',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: async (work) => {
        if (!failing) return raw.transaction(work);
        transactions++;
        await raw.transaction(work);
        throw new Error('Connection terminated unexpectedly');
      },
      close: async () => {},
    };
    const backend = createPostgresBackend({ client });
    const { model } = await thingsOn(backend);
    const key = { id: 'counted' };
    await backend.putItem({ model, item: { ...key, n: 0 } });
    failing = true;
    const error = await failure(
      backend.updateItem({ model, key, operations: [{ action: 'add', path: 'n', value: 1 }] }),
    );
    expect(MacaronError.isInstance(error)).toBe(true);
    expect(transactions).toBe(1);
    expect(await backend.getItem({ model, key })).toEqual({ ...key, n: 1 });
    // Committed: neither reported as applying nothing (a batch would list its chunk as not
    // written), nor as not committed.
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as Error).message).not.toContain('not committed');
    const batch = await failure(
      backend.batchWrite([
        { model, put: { id: 'batched-1' } },
        { model, delete: { id: 'counted' } },
      ]),
    );
    expect(batch).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(batch).not.toMatchObject({ notApplied: true });
    expect(await backend.getItem({ model, key: { id: 'batched-1' } })).toEqual({ id: 'batched-1' });
  });

  it("provisioning whose transaction lost its connection, on a client of another's: WriteOutcomeUnknownError where it changes tables (it may have committed), not for a plan", async () => {
    // An adapter that commits, then reports the connection's own error, as one that does not
    // throw CommitOutcomeUnknown for a COMMIT in flight would.
    let failing = false;
    const client: SqlClient = {
      kind: 'adapter of its own',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: async (work) => {
        if (!failing) return raw.transaction(work);
        failing = false;
        await raw.transaction(work);
        throw new Error('Connection terminated unexpectedly');
      },
      close: async () => {},
    };
    const backend = createPostgresBackend({ client });
    const spec = (table: string) => ({
      openapi: '3.0.3',
      info: { title: 'lost commit', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': { table, key: 'id' },
            properties: { id: { type: 'string' } },
          },
        },
      },
    });
    const made = async (table: string) =>
      (await raw.query('SELECT to_regclass($1) IS NOT NULL AS made', [`"${table}"`]))[0]!.made;
    const tables = (await loadApi(spec(`lost${++counter}`), { backend })).tables();
    const table = tables[0]!.name;
    failing = true;
    const planned = await failure(backend.planTables(tables));
    expect(MacaronError.isInstance(planned)).toBe(true);
    expect(planned).not.toBeInstanceOf(WriteOutcomeUnknownError);
    failing = true;
    expect(await failure(backend.createTables(tables))).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await made(table)).toBe(true);
    failing = true;
    expect(await failure(backend.deleteTables(tables))).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await made(table)).toBe(false);
    // ensureTables: its plan of the table passes, the transaction that creates it fails so.
    let transactions = 0;
    const counting: SqlClient = {
      ...client,
      transaction: async (work) => {
        transactions++;
        if (transactions === 1) return raw.transaction(work);
        failing = true;
        return client.transaction(work);
      },
    };
    const ensuring = createPostgresBackend({ client: counting });
    const ensured = await failure(
      ensuring.ensureTables((await loadApi(spec(table), { backend: ensuring })).tables()),
    );
    expect(ensured).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((ensured as Error).message).toContain(`ensureTables on table ${table}`);
    expect(await made(table)).toBe(true);
  });

  it("a transaction the server ended as idle in it (25P03), on a client of another's: not committed, so known: notApplied, not WriteOutcomeUnknownError", async () => {
    // An adapter whose transaction the server ended for idling in it: rolled back, then the
    // server's FATAL, as idle_in_transaction_session_timeout gives it.
    let failing = false;
    const client: SqlClient = {
      kind: 'adapter of its own',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: async (work) => {
        if (!failing) return raw.transaction(work);
        await raw
          .transaction(async (transaction) => {
            await work(transaction);
            throw new Error('rolled back');
          })
          .catch(() => undefined);
        throw Object.assign(
          new Error('terminating connection due to idle-in-transaction timeout'),
          { code: '25P03', severity: 'FATAL' },
        );
      },
      close: async () => {},
    };
    const backend = createPostgresBackend({ client });
    const { model } = await thingsOn(backend);
    const key = { id: 'idle' };
    await backend.putItem({ model, item: { ...key, n: 0 } });
    failing = true;
    const error = await failure(
      backend.updateItem({ model, key, operations: [{ action: 'add', path: 'n', value: 1 }] }),
    );
    expect(MacaronError.isInstance(error)).toBe(true);
    expect(error).not.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(error).toMatchObject({ notApplied: true });
    expect(await backend.getItem({ model, key })).toEqual({ ...key, n: 0 });
  });

  it("a statement inside a transaction's callback that lost its connection, on a client of another's: rejected with that very error, before any COMMIT, so known not committed: run again on a new connection, as with this package's clients; provisioning not unknown either", async () => {
    // An adapter whose transaction's statements lose their connection (`failures` of them), and
    // that rejects with its work's own failure, as a client that commits once work resolved does.
    let failures = 0;
    let sent = 0;
    const client: SqlClient = {
      kind: 'adapter of its own',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: (work) =>
        raw.transaction((transaction) =>
          work({
            query: async (text, parameters) => {
              sent++;
              if (failures > 0) {
                failures--;
                throw new Error('Connection terminated unexpectedly');
              }
              return transaction.query(text, parameters);
            },
          }),
        ),
      close: async () => {},
    };
    const backend = createPostgresBackend({ client });
    const { model } = await thingsOn(backend);
    const key = { id: 'in-callback' };
    await backend.putItem({ model, item: { ...key, n: 0 } });
    failures = 1;
    await backend.updateItem({ model, key, operations: [{ action: 'add', path: 'n', value: 1 }] });
    expect(await backend.getItem({ model, key })).toEqual({ ...key, n: 1 });
    // Every attempt failing: the last one's failure, applied nothing, not unknown.
    failures = 100;
    const error = await failure(
      backend.updateItem({ model, key, operations: [{ action: 'add', path: 'n', value: 1 }] }),
    );
    expect(error).not.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(error).toMatchObject({ notApplied: true });
    expect(await backend.getItem({ model, key })).toEqual({ ...key, n: 1 });
    failures = 100;
    const batch = await failure(backend.batchWrite([{ model, put: { id: 'never' } }]));
    expect(batch).not.toBeInstanceOf(WriteOutcomeUnknownError);
    // Provisioning: its transaction's statement failed, so no COMMIT was sent.
    failures = 100;
    sent = 0;
    const tables = (
      await loadApi(
        {
          openapi: '3.0.3',
          info: { title: 'in callback', version: '1' },
          paths: {},
          components: {
            schemas: {
              Thing: {
                type: 'object',
                required: ['id'],
                'x-persist': { table: `callback${++counter}`, key: 'id' },
                properties: { id: { type: 'string' } },
              },
            },
          },
        },
        { backend },
      )
    ).tables();
    for (const attempt of [
      () => backend.ensureTables(tables),
      () => backend.createTables(tables),
      () => backend.deleteTables(tables),
    ]) {
      const provisioning = await failure(attempt());
      expect(MacaronError.isInstance(provisioning)).toBe(true);
      expect(provisioning).not.toBeInstanceOf(WriteOutcomeUnknownError);
    }
    expect(sent).toBeGreaterThan(0);
    failures = 0;
  });

  it("a client of another's that rejects with one error object every time (a sentinel): the one its work threw in an earlier transaction, met again after a COMMIT, is unknown, never run again", async () => {
    // The adapter's one "connection lost" error: a statement's in the first update (thrown by
    // the work, before any COMMIT), then the second update's, after its COMMIT landed.
    const lost = new Error('Connection terminated unexpectedly');
    let statementFails = false;
    let commitFails = false;
    const client: SqlClient = {
      kind: 'adapter with a sentinel error',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: async (work) => {
        const result = await raw.transaction((transaction) =>
          work({
            query: async (text, parameters) => {
              if (statementFails) {
                statementFails = false;
                throw lost;
              }
              return transaction.query(text, parameters);
            },
          }),
        );
        if (commitFails) {
          commitFails = false;
          throw lost;
        }
        return result;
      },
      close: async () => {},
    };
    const backend = createPostgresBackend({ client });
    const { model } = await thingsOn(backend);
    const key = { id: 'sentinel' };
    const add = { model, key, operations: [{ action: 'add' as const, path: 'n', value: 1 }] };
    await backend.putItem({ model, item: { ...key, n: 0 } });
    statementFails = true;
    await backend.updateItem(add);
    expect(await backend.getItem({ model, key })).toEqual({ ...key, n: 1 });
    commitFails = true;
    expect(await failure(backend.updateItem(add))).toBeInstanceOf(WriteOutcomeUnknownError);
    // Applied once: not run again over the COMMIT that landed.
    expect(await backend.getItem({ model, key })).toEqual({ ...key, n: 2 });
  });

  it("a client of another's that runs a transaction's work again itself: the first run's failure, met after the last run's COMMIT, is unknown", async () => {
    const lost = new Error('Connection terminated unexpectedly');
    const client: SqlClient = {
      kind: 'adapter running its work again',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: async (work) => {
        // Its first run loses a statement's connection: run again, committed, then that error.
        await raw
          .transaction(() =>
            work({
              query: async () => {
                throw lost;
              },
            }),
          )
          .catch(() => undefined);
        await raw.transaction((transaction) => work(transaction));
        throw lost;
      },
      close: async () => {},
    };
    const own = createPostgresBackend({ client: raw });
    const { model } = await thingsOn(own);
    const key = { id: 'runs-again' };
    await own.putItem({ model, item: { ...key, n: 0 } });
    const backend = createPostgresBackend({ client });
    const add = { model, key, operations: [{ action: 'add' as const, path: 'n', value: 1 }] };
    expect(await failure(backend.updateItem(add))).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await backend.getItem({ model, key })).toEqual({ ...key, n: 1 });
  });

  it("a client of another's sentinel error, thrown by one transaction's work while another's COMMIT meets it at the same time: the other's is unknown, never run again", async () => {
    // One "connection lost" object for every failure: the first update's statement meets it
    // (its work throws it, before any COMMIT); the second's COMMIT landed, then met it. Both
    // rejections settle together, the second's first. Later calls (a run again) pass through.
    const lost = new Error('Connection terminated unexpectedly');
    const held: (() => void)[] = [];
    let bothHeld!: () => void;
    const together = new Promise<void>((resolve) => {
      bothHeld = resolve;
    });
    let calls = 0;
    const client: SqlClient = {
      kind: 'adapter with a sentinel error',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: async (work) => {
        const call = ++calls;
        if (call > 2) return raw.transaction(work);
        let statementFails = call === 1;
        await raw
          .transaction((transaction) =>
            work({
              query: async (text, parameters) => {
                if (statementFails) {
                  statementFails = false;
                  throw lost;
                }
                return transaction.query(text, parameters);
              },
            }),
          )
          .catch(() => undefined);
        await new Promise<void>((resolve) => {
          held[call - 1] = resolve;
          if (held.filter(Boolean).length === 2) bothHeld();
        });
        throw lost;
      },
      close: async () => {},
    };
    const own = createPostgresBackend({ client: raw });
    const { model } = await thingsOn(own);
    const first = { id: 'sentinel-first' };
    const second = { id: 'sentinel-second' };
    await own.putItem({ model, item: { ...first, n: 0 } });
    await own.putItem({ model, item: { ...second, n: 0 } });
    const backend = createPostgresBackend({ client });
    const add = (key: { id: string }) => ({
      model,
      key,
      operations: [{ action: 'add' as const, path: 'n', value: 1 }],
    });
    const firstDone = failure(backend.updateItem(add(first)));
    const secondDone = failure(backend.updateItem(add(second)));
    await together;
    held[1]!();
    held[0]!();
    // The second's COMMIT landed: unknown, and not run again. The first's failure is that same
    // object, which the client has shown it rejects with after a COMMIT: unknown too.
    expect(await secondDone).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await own.getItem({ model, key: second })).toEqual({ ...second, n: 1 });
    expect(await firstDone).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await own.getItem({ model, key: first })).toEqual({ ...first, n: 0 });
  });

  it("a client of another's that ran its work to the end (its COMMIT sent), then ran it again, which threw: unknown, never run again", async () => {
    const lost = new Error('Connection terminated unexpectedly');
    const client: SqlClient = {
      kind: 'adapter running its work again after a COMMIT',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: async (work) => {
        // Its first run commits, the answer to COMMIT is lost: it runs the work again, whose
        // statement loses its connection, and rejects with that.
        await raw.transaction((transaction) => work(transaction));
        return raw.transaction(() =>
          work({
            query: async () => {
              throw lost;
            },
          }),
        );
      },
      close: async () => {},
    };
    const own = createPostgresBackend({ client: raw });
    const { model } = await thingsOn(own);
    const key = { id: 'ran-after-commit' };
    await own.putItem({ model, item: { ...key, n: 0 } });
    const backend = createPostgresBackend({ client });
    const add = { model, key, operations: [{ action: 'add' as const, path: 'n', value: 1 }] };
    expect(await failure(backend.updateItem(add))).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await own.getItem({ model, key })).toEqual({ ...key, n: 1 });
  });

  it("a read whose connection failed, on a client of another's: not a WriteOutcomeUnknownError (a read commits nothing)", async () => {
    // An adapter whose statements all lose their connection once failing: only a transaction's
    // COMMIT may have been sent unreported; a read's outcome is known.
    let failing = false;
    const client: SqlClient = {
      kind: 'adapter of its own',
      query: async (text, parameters) => {
        if (failing) throw new Error('Connection terminated unexpectedly');
        return raw.query(text, parameters);
      },
      transaction: (work) => raw.transaction(work),
      close: async () => {},
    };
    const backend = createPostgresBackend({ client });
    const { model } = await thingsOn(backend);
    failing = true;
    const error = await failure(backend.getItem({ model, key: { id: 'read' } }));
    expect(MacaronError.isInstance(error)).toBe(true);
    expect(error).not.toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as Error).message).toContain('the connection failed');
  });

  it('a concurrent insert of the same key on every attempt of a transaction: TransactionCanceledError (TRANSACTION_CONFLICT), not THROTTLED', async () => {
    // The racing writer: before each of the backend's inserts-if-absent in a transaction, the
    // same row goes in on that connection, so the backend's insert finds the key taken.
    const racing = (executor: SqlExecutor): SqlExecutor => {
      const race = async (text: string, parameters?: readonly unknown[]) => {
        if (/ON CONFLICT \([^)]*\) DO NOTHING/.test(text)) await executor.query(text, parameters);
      };
      return {
        query: async (text, parameters) => {
          await race(text, parameters);
          return executor.query(text, parameters);
        },
        ...(executor.rowsWritten && {
          rowsWritten: async (text: string, parameters?: readonly unknown[]) => {
            await race(text, parameters);
            return executor.rowsWritten!(text, parameters);
          },
        }),
      };
    };
    const client: SqlClient = {
      kind: 'racing pglite',
      query: (text, parameters) => raw.query(text, parameters),
      transaction: (work) => raw.transaction((transaction) => work(racing(transaction))),
      close: async () => {},
    };
    const backend = createPostgresBackend({ client, maxAttempts: 2 });
    const { model, table } = await thingsOn(backend);
    const error = await failure(
      backend.transactWrite([{ kind: 'put', model, item: { id: 'raced' } }]),
    );
    expect(error).toBeInstanceOf(TransactionCanceledError);
    expect(error).toMatchObject({ code: 'TRANSACTION_CANCELED' });
    expect((error as TransactionCanceledError).reasons.map((reason) => reason.code)).toContain(
      'TRANSACTION_CONFLICT',
    );
    // Each attempt rolled back, the racing row with it.
    expect(await raw.query(`SELECT id FROM "${table}"`)).toEqual([]);
  });
});
