import { createHash } from 'node:crypto';
import type { PoolClient, QueryResult } from 'pg';
import { endsSessionAt } from '../errors/session-ending-severity.js';
import { isConnectionFailure } from './connection-failure.js';
import { backendResultTypes } from './result-types.js';
import { checkSession } from './session-fitness.js';
import {
  CommitOutcomeUnknown,
  NotSent,
  reportingCommitOutcome,
  type SqlClient,
  type SqlExecutor,
  type SqlRow,
  UnfitSession,
} from './sql-client.js';

// Named statements are parsed once per connection; a name per distinct text. Provisioning
// (DDL) runs unnamed, and past a bound new texts do too, so that a process that creates many
// tables (a test run) does not grow this map without end (each connection has its own bound,
// `maxPreparedPerConnection`). The name
// is the text's digest, the same in every process: behind a pooler that hands one server
// connection to several processes (PgBouncer's transaction mode without prepared-statement
// support), a name another process prepared is its own text too, never another statement.
const statementNames = new Map<string, string>();
const maxNamedStatements = 2000;
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined) {
    if (statementNames.size >= maxNamedStatements || /^\s*(CREATE|ALTER|COMMENT|DROP)\b/.test(text))
      return undefined;
    name = `macaron_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Forgets the texts given names so far, as a fresh process would (for tests, whose files share
 * a process: earlier files' texts would leave later ones unnamed). A text named again gets the
 * same name, its digest, so connections that prepared it use it as before.
 */
export function forgetStatementNames(): void {
  statementNames.clear();
}

/*
 * Whether the session is over after `error`: the connection failed, or the server answered at
 * FATAL or PANIC, which ends the session (every error, under exit_on_error; a hot standby's
 * conflict with recovery, 40001 at FATAL). node-postgres hands such an answer to the statement
 * before the socket closes, so the pool would take the connection back as sound and give it to
 * the next request, which would fail (a write on it reported as of unknown outcome).
 */
function endsSession(error: unknown): boolean {
  if (isConnectionFailure(error)) return true;
  return endsSessionAt((error as { severity?: unknown } | undefined)?.severity);
}

const listening = new WeakSet<PoolClient>();

// A connection lost while checked out rejects the query in flight and also emits `error` on
// the client; the pool listens only while the client is idle.
function listen(client: PoolClient): void {
  if (!listening.has(client)) {
    listening.add(client);
    client.on('error', () => undefined);
  }
}

// node-postgres sends a Buffer as bytes, but would JSON-encode a plain Uint8Array.
function parameter(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
}

// The statements each connection has prepared under a name: each holds server memory (its
// parse tree and plans, tens of KiB for a page's) until the connection closes, and which ones a
// process sends depends on what its callers ask (page shapes, cursors, indexes). Past the
// bound (pgjdbc's default), a connection runs the texts it has not prepared unnamed.
const preparedOn = new WeakMap<PoolClient, Set<string>>();
const maxPreparedPerConnection = 256;

/**
 * A node-postgres pool (`new pg.Pool()`), as the backend uses it. Written out rather than
 * pg's `Pool` class, which TypeScript compares member by member down to its clients: a pool
 * typed by another copy of pg's types (an app's own `@types/pg` of another version, or a
 * library's) would be refused, though it is the same pool at run time.
 */
export interface NodePostgresPool {
  /** Lends a connection: to the callback, with the error when none came. */
  connect(
    callback: (
      error: Error | undefined,
      client: unknown,
      done: (release?: unknown) => void,
    ) => void,
  ): void;
  /** Ends the pool: its connections close once released. */
  end(): Promise<void>;
  /** The `remove` event: the pool closed one of its connections. */
  on(event: 'remove', listener: () => void): unknown;
  /** True once `end()` was called (node-postgres's own; a pool without it is taken as open). */
  readonly ending?: boolean;
  /** True once the pool has ended. */
  readonly ended?: boolean;
}

/*
 * Pools behind a pooler that hands one server session to several clients without
 * prepared-statement support (PgBouncer's transaction pooling before 1.21, or without
 * `max_prepared_statements`): a statement node-postgres prepared on one session is missing on
 * the next (26000), or one it prepares is there already (42P05). Either answer comes before the
 * statement ran (the server skips the rest of the request), so the pool's statements run
 * unnamed from then on, and the one that met it runs again. PgBouncer 1.21+ with
 * `max_prepared_statements` prepares them itself, as PGBOUNCER_<n>, on each server session:
 * one that session lost (another client's DEALLOCATE of it) it still takes as prepared there,
 * and would bind on every later request; unnamed statements it passes through.
 */
const unnamedPools = new WeakSet<NodePostgresPool>();

/** Whether `error` is a named statement's mix-up on a session another client prepared on. */
function preparedElsewhere(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    (code === '26000' || code === '42P05') &&
    // The statement's name, however the server's language quotes it (»macaron_…« in German),
    // or the name PgBouncer gave it on the server session.
    /macaron_[\w-]+|PGBOUNCER_\d+/.test(String((error as { message?: unknown }).message))
  );
}

/*
 * node-postgres never answers the requests queued for a connection of a pool ended under them
 * (`pool.end()` while requests are in flight): each would wait forever. Every connection the
 * ending pool then closes (its `remove` event), and every connection it fails to make (no
 * event: a password refused, a server down), gives up the requests still queued, as not sent.
 */
const queuedOn = new WeakMap<NodePostgresPool, Set<(error: Error) => void>>();

function queueOn(pool: NodePostgresPool): Set<(error: Error) => void> {
  let queued = queuedOn.get(pool);
  if (queued === undefined) {
    queued = new Set<(error: Error) => void>();
    queuedOn.set(pool, queued);
    // A pool of another kind than node-postgres's may have no events.
    if (typeof pool.on === 'function') pool.on('remove', () => giveUpIfEnding(pool));
  }
  return queued;
}

/** Once the pool is ending, the requests waiting for one of its connections get none. */
function giveUpIfEnding(pool: NodePostgresPool): void {
  if (!pool.ending) return;
  for (const giveUp of [...(queuedOn.get(pool) ?? [])])
    giveUp(
      new Error(
        'the pool was ended (pool.end()) while this request waited for one of its connections',
      ),
    );
}

/** `pool.connect`, whose callback is called once: with a client, or an error if none came. */
function connectTo(
  pool: NodePostgresPool,
  callback: (error: Error | undefined, client?: PoolClient) => void,
): void {
  const queued = queueOn(pool);
  let answered = false;
  const giveUp = (error: Error) => {
    if (answered) return;
    answered = true;
    queued.delete(giveUp);
    callback(error);
  };
  queued.add(giveUp);
  // A client node-postgres cannot even make (a connection string it cannot read, an sslcert it
  // cannot open) throws here, before any connection: nothing was sent.
  try {
    pool.connect((error, lent) => {
      // node-postgres's client: the pool is node-postgres's, whichever types declared it.
      const client = lent as PoolClient | undefined;
      queued.delete(giveUp);
      // A connection the ending pool failed to make closes none: the pool may have ended with
      // requests still queued, which nothing else would answer.
      if (error) giveUpIfEnding(pool);
      if (answered) {
        // Came after all: not wanted any more.
        client?.release();
        return;
      }
      answered = true;
      callback(error ?? undefined, client);
    });
  } catch (error) {
    giveUp(error instanceof Error ? error : new Error(String(error)));
  }
}

// node-postgres's query, as its client class makes it (`Client.Query`).
type QueryClass = new (
  text: string,
  values: unknown[],
  callback: (error: Error | null, result: QueryResult) => void,
) => { name?: string; types?: unknown; _result?: { _types?: unknown } };

/**
 * Sends a statement on `client`, named (prepared) or not, its answer to `callback`. A query is
 * made from its text and named after: node-postgres copies a config object on every query, by
 * its property descriptors (2.2 µs a statement, against 0.1), which a get or put pays once.
 */
function submit(
  client: PoolClient,
  text: string,
  parameters: readonly unknown[],
  named: boolean,
  callback: (error: Error | null, result: QueryResult) => void,
): void {
  let name = named ? statementName(text) : undefined;
  if (name !== undefined) {
    let prepared = preparedOn.get(client);
    if (prepared === undefined) {
      prepared = new Set();
      preparedOn.set(client, prepared);
    }
    if (!prepared.has(name)) {
      if (prepared.size >= maxPreparedPerConnection) name = undefined;
      else prepared.add(name);
    }
  }
  // Most statements hold no bytes: their parameters go as they are.
  const values = parameters.some((value) => value instanceof Uint8Array)
    ? parameters.map(parameter)
    : (parameters as unknown[]);
  const Query = (client.constructor as { Query?: QueryClass }).Query;
  const query = Query && new Query(text, values, callback);
  // The backend reads its answers with its own parsers, not the pool's (see result-types.ts).
  // node-postgres's query made its result reader from the types it was given (none), so the
  // reader takes them too; a query without one (another client class, another pg) is given a
  // config object, as every node-postgres client takes, at the cost of its copy.
  if (query?._result === undefined) {
    const types = backendResultTypes(client);
    client.query(
      name === undefined ? { text, values, types } : { name, text, values, types },
      callback,
    );
    return;
  }
  if (name !== undefined) query.name = name;
  const types = backendResultTypes(client);
  query.types = types;
  query._result._types = types;
  client.query(query as never);
}

// `submit`'s answer as a promise.
function answer(
  client: PoolClient,
  text: string,
  parameters: readonly unknown[],
  named = true,
): Promise<QueryResult> {
  return new Promise((resolve, reject) =>
    submit(client, text, parameters, named, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );
}

// A COMMIT the server never read: node-postgres refused to send it on a connection already
// failed, or the server had ended the session while it sat idle in its transaction (25P03).
function commitNeverRead(error: unknown): boolean {
  return (
    (error as { code?: unknown }).code === '25P03' ||
    /not queryable/i.test((error as Error).message)
  );
}

// A write's command tag always counts its rows; a count missing (a command that counts none,
// or several statements' answers) is no count to guess.
function writtenCount(result: QueryResult): number {
  const count: unknown = (result as { rowCount?: unknown }).rowCount;
  if (typeof count !== 'number')
    throw new Error(`The answer to ${result.command ?? 'several statements'} counts no rows`);
  return count;
}

async function run(
  client: PoolClient,
  text: string,
  parameters: readonly unknown[] = [],
  named = true,
) {
  return (await answer(client, text, parameters, named)).rows as SqlRow[];
}

/**
 * Checks the session of a connection just lent (see session-fitness.ts), then calls `ready`
 * with the connection, or gives it back (closed if its session is over or unfit) and calls
 * `ready` with the error to fail the request with, nothing sent.
 */
function lendChecked(
  client: PoolClient,
  ready: (error: Error | undefined, client?: PoolClient) => void,
): void {
  // Unnamed: a statement or two per connection, and none a pooler could mix up.
  const read = (
    text: string,
    parameters: readonly unknown[],
    callback: (error: Error | null, rows?: readonly Record<string, unknown>[]) => void,
  ) => submit(client, text, parameters, false, (error, result) => callback(error, result?.rows));
  const checked = (problem?: Error) => {
    if (problem === undefined) {
      ready(undefined, client);
      return;
    }
    const closes =
      problem instanceof UnfitSession ? problem.closesConnection : endsSession(problem);
    client.release(closes ? problem : undefined);
    // The server's answer to the check (a statement_timeout, a shutdown) is met as a statement's
    // would be; a connection that failed under it sent nothing of the request.
    ready(isConnectionFailure(problem) ? new NotSent(problem) : problem);
  };
  try {
    checkSession(client, read, checked);
  } catch (error) {
    checked(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * A `SqlClient` over a node-postgres `Pool`. `ownsPool`: `close()` ends the pool (when the
 * backend created it from connection options; false by default: a pool you give stays yours).
 */
export function createNodePostgresClient(pool: NodePostgresPool, ownsPool = false): SqlClient {
  // Calls in flight, statements and transactions, waiting for a connection included: `close()`
  // waits for them, because a pool ended under them never answers the ones still queued.
  let inFlight = 0;
  // One wait for every close() called while calls are in flight.
  let draining: { promise: Promise<void>; resolve: () => void } | undefined;
  const settled = () => {
    inFlight -= 1;
    if (inFlight === 0 && draining) {
      const { resolve } = draining;
      draining = undefined;
      resolve();
    }
  };
  // The callback form: the client is listened to before anything else it reads is handled (a
  // FATAL right behind the new connection's first ReadyForQuery would otherwise be an `error`
  // event no one listens to, which ends the process).
  const connect = (): Promise<PoolClient> =>
    new Promise((resolve, reject) => {
      connectTo(pool, (error, client) => {
        if (error || !client) reject(new NotSent(error));
        else {
          listen(client);
          lendChecked(client, (problem, checked) =>
            problem || !checked ? reject(problem) : resolve(checked),
          );
        }
      });
    });
  return reportingCommitOutcome({
    kind: 'node-postgres',
    query: (text, parameters = []) => send(text, parameters, (result) => result.rows as SqlRow[]),
    // Without RETURNING, node-postgres reads no row description and no row: 13 µs less a
    // plain put on the bench's host (bench/findings.md).
    rowsWritten: (text, parameters = []) => send(text, parameters, writtenCount),
    async transaction<T>(work: (transaction: SqlExecutor) => Promise<T>): Promise<T> {
      inFlight += 1;
      try {
        return await runTransaction(work);
      } finally {
        settled();
      }
    },
    async close() {
      if (inFlight > 0) {
        if (!draining) {
          let resolve!: () => void;
          const promise = new Promise<void>((done) => (resolve = done));
          draining = { promise, resolve };
        }
        await draining.promise;
      }
      // pg refuses a second end(): a client closed twice ends its pool once.
      if (ownsPool && !pool.ended) await pool.end();
    },
  });

  // Callbacks rather than awaits: one promise a statement instead of five, which is most of
  // what this layer costs a single get or put (see bench/findings.md).
  function send<T>(
    text: string,
    parameters: readonly unknown[],
    answer: (result: QueryResult) => T,
  ): Promise<T> {
    inFlight += 1;
    return new Promise<T>((resolve, reject) => {
      connectTo(pool, (connectError, lent) => {
        if (connectError || !lent) {
          settled();
          reject(new NotSent(connectError));
          return;
        }
        listen(lent);
        lendChecked(lent, (problem, client) => {
          if (problem || !client) {
            settled();
            reject(problem);
            return;
          }
          sendOn(client, resolve, reject);
        });
      });
    });

    function sendOn(
      client: PoolClient,
      resolve: (value: T) => void,
      reject: (error: unknown) => void,
    ): void {
      let answered = false;
      const named = !unnamedPools.has(pool);
      const settle = (error: Error | undefined, result?: QueryResult) => {
        if (answered) return;
        if (named && preparedElsewhere(error)) {
          // Nothing ran: the statement runs again, unnamed, on the same session.
          unnamedPools.add(pool);
          try {
            submit(client, text, parameters, false, (again, result) =>
              finish(again ?? undefined, result),
            );
          } catch (again) {
            finish(again as Error);
          }
          return;
        }
        finish(error, result);
      };
      const finish = (error: Error | undefined, result?: QueryResult) => {
        if (answered) return;
        answered = true;
        // A client whose session is over is destroyed rather than returned to the pool.
        client.release(error && endsSession(error) ? error : undefined);
        settled();
        if (error) reject(error);
        else {
          try {
            resolve(answer(result!));
          } catch (failure) {
            reject(failure);
          }
        }
      };
      try {
        submit(client, text, parameters, named, (error, result) =>
          settle(error ?? undefined, result),
        );
      } catch (error) {
        settle(error as Error);
      }
    }
  }

  async function runTransaction<T>(
    work: (transaction: SqlExecutor) => Promise<T>,
    again = true,
  ): Promise<T> {
    try {
      return await transactionOnce(work);
    } catch (error) {
      // A statement met the mix-up above: the transaction was rolled back, nothing applied.
      if (!again || !preparedElsewhere(error)) throw error;
      unnamedPools.add(pool);
      return runTransaction(work, false);
    }
  }

  async function transactionOnce<T>(work: (transaction: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await connect();
    const named = !unnamedPools.has(pool);
    let failure: unknown;
    // A ROLLBACK that failed leaves the session in its transaction: it is not reused.
    let unusable: Error | undefined;
    try {
      // The contract's semantics rest on READ COMMITTED with row locks: a database whose
      // default is SERIALIZABLE or REPEATABLE READ would fail contended writes instead.
      await run(client, 'BEGIN ISOLATION LEVEL READ COMMITTED', [], named);
      let result: T;
      try {
        result = await work({
          query: (text, parameters) => run(client, text, parameters, named),
          rowsWritten: async (text, parameters = []) =>
            writtenCount(await answer(client, text, parameters, named)),
        });
      } catch (error) {
        failure = error;
        if (!isConnectionFailure(error))
          await run(client, 'ROLLBACK', [], false).catch((rollbackFailure: unknown) => {
            unusable =
              rollbackFailure instanceof Error ? rollbackFailure : new Error('ROLLBACK failed');
          });
        throw error;
      }
      try {
        await run(client, 'COMMIT', [], named);
      } catch (error) {
        failure = error;
        if (isConnectionFailure(error) && !commitNeverRead(error))
          throw new CommitOutcomeUnknown(error);
        // Refused before it ran (see `preparedElsewhere`): the transaction is still open, failed.
        if (preparedElsewhere(error))
          await run(client, 'ROLLBACK', [], false).catch((rollbackFailure: unknown) => {
            unusable =
              rollbackFailure instanceof Error ? rollbackFailure : new Error('ROLLBACK failed');
          });
        throw error;
      }
      return result;
    } catch (error) {
      failure ??= error;
      throw error;
    } finally {
      client.release(endsSession(failure) ? (failure as Error) : unusable);
    }
  }
}
