import {
  AccessDeniedError,
  BackendError,
  type IndexDescriptor,
  InvalidRequestError,
  MacaronError,
  TableNotFoundError,
  ThrottledError,
  TransactionCanceledError,
  UnreachableError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { shownName, shownText } from '@macaron/core/backend';
import { isConnectionFailure } from '../client/connection-failure.js';
import { CommitOutcomeUnknown, NotSent, UnfitSession } from '../client/sql-client.js';
import { thrownBeforeCommit } from '../client/transaction-work.js';
import { poolerRefusal } from './pooler-refusals.js';
import { endsSessionAt } from './session-ending-severity.js';
import { tlsFailureAdvice } from './tls-failure-advice.js';

/**
 * How much of a request the server may have applied when its connection fails: a read
 * changes nothing, a transaction is rolled back unless COMMIT was sent (the client reports
 * that as `CommitOutcomeUnknown`), a statement outside a transaction commits by itself.
 */
export type Exposure = 'read' | 'transaction' | 'statement';

/** SQLSTATEs after which the whole request can simply run again: nothing was applied. */
const retryable = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout)
]);

/** True when the request failed in a way that applied nothing and may succeed if run again. */
export function isRetryable(error: unknown): boolean {
  return retryable.has(sqlState(error) ?? '');
}

/** The SQLSTATE of a PostgreSQL error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * A connection that could not be made, so nothing was sent: `UnreachableError` (503, try again
 * later) when the server could not be reached, is starting up or shutting down (57P0x), or the
 * pool (or PGlite database) was closed, as a service draining does; an `AccessDeniedError` when
 * the server refused the credentials (a password, pg_hba), a `TableNotFoundError` when the
 * database does not exist, and a `BackendError` when it refused the session otherwise (its
 * SQLSTATE), which no retry mends.
 */
export function notConnected(where: string, cause: unknown): MacaronError {
  const reason = connectionFailureReason(cause);
  const advice = tlsFailureAdvice(cause);
  const message = `${where}: could not connect (nothing was sent): ${reason}${advice ? `; ${advice}` : ''}`;
  const state = sqlState(cause);
  // A password or role the server does not accept (pg_hba too): credentials refused, as on
  // DynamoDB; a batch is refused whole. Like every refusal of the connection, never sent.
  if (state === '28P01' || state === '28000' || poolerRefusal(cause) === 'credentials')
    return new AccessDeniedError(message, { cause, notSent: true });
  // No such database: none of its tables exists either; a batch is refused whole.
  if (state === '3D000') return new TableNotFoundError(message, { cause, notSent: true });
  return state !== undefined && !state.startsWith('57P')
    ? new BackendError(message, { cause, notSent: true })
    : new UnreachableError(message, { cause });
}

/*
 * The B-tree's refusal of an entry too long (`index row size … exceeds btree version 4 maximum
 * 2704`, `index row requires … bytes`), known by the function that raised it (the error's
 * `routine`, never translated: PostgreSQL 15 renamed index_form_tuple) or, where a server or
 * a driver leaves that out, by its English words: a server whose lc_messages is another
 * language (a German initdb's default) words it otherwise, and the write, refused for its
 * keys, was a BackendError (500) rather than the request's fault.
 */
const indexRowRoutines = new Set([
  '_bt_check_third_page',
  'index_form_tuple',
  'index_form_tuple_context',
]);

function indexRowTooLong(error: unknown): boolean {
  const { routine, message } = error as { routine?: unknown; message?: unknown };
  return (
    (typeof routine === 'string' && indexRowRoutines.has(routine)) ||
    (typeof message === 'string' && /index row (size|requires)/.test(message))
  );
}

/**
 * Whether a transaction that failed with `error` on a client that does not report a COMMIT
 * sent (see `reportsCommitOutcome`) may have committed: its connection failed, perhaps after
 * COMMIT was sent. Not when the server ended the session before anything or any COMMIT
 * reached it: 57P05 (idle_session_timeout, outside any transaction), 25P03 (the session
 * idled inside its transaction, which the server rolled back).
 */
export function commitMayHaveBeenSent(error: unknown): boolean {
  const state = sqlState(error);
  return isConnectionFailure(error) && state !== '57P05' && state !== '25P03';
}

/** What a `TableNotFoundError` says makes the table (see `whyNoTable` where it does not). */
export const provisioningMakesIt = '(ensureTables or createTables creates it)';

/**
 * The backend's one translation of client and server errors into Macaron's typed errors.
 * `commitsReported`: whether the client reports a COMMIT sent without an answer as
 * `CommitOutcomeUnknown` (see `reportsCommitOutcome`); on one that may not, a transaction that
 * lost its connection may have committed.
 */
export function toMacaronError(
  error: unknown,
  operation: string,
  exposure: Exposure,
  commitsReported = true,
): MacaronError {
  if (MacaronError.isInstance(error)) return error;
  const state = sqlState(error);
  const where = `PostgreSQL ${operation}`;
  if (error instanceof CommitOutcomeUnknown)
    return new WriteOutcomeUnknownError(
      `${where}: ${queryGaveUp(error.cause) ? "no answer to COMMIT within node-postgres's query_timeout" : 'the connection failed while committing'}; the write may or may not be applied`,
      { cause: error.cause },
    );
  if (error instanceof UnfitSession)
    return new BackendError(`${where}: ${error.message} (nothing was sent)`, { notSent: true });
  if (error instanceof NotSent) {
    const reason = connectionFailureReason(error.cause);
    // Too many clients (53300, or PgBouncer's own limits), out of resources, or the pool's wait
    // for a connection timed out: the server is overloaded, and nothing was sent, so a retry
    // later is safe.
    if (
      sqlState(error.cause)?.startsWith('53') ||
      poolerRefusal(error.cause) === 'overloaded' ||
      /timeout exceeded when trying to connect/i.test(reason)
    )
      return new ThrottledError(`${where}: no connection to be had (nothing was sent): ${reason}`, {
        cause: error.cause,
      });
    return notConnected(where, error.cause);
  }
  // The server had ended the session for being idle (idle_session_timeout) before it read
  // the statement: nothing ran.
  if (state === '57P05')
    return new BackendError(
      `${where}: the server had ended the idle session before the statement reached it; nothing was run`,
      { cause: error, notApplied: true },
    );
  // PgBouncer gave up finding the request a server connection: it never reached the server.
  if (poolerRefusal(error) === 'overloaded')
    return new ThrottledError(
      `${where}: no server connection to be had through PgBouncer (${said(error)}); nothing was sent to the server`,
      { cause: error },
    );
  if (isConnectionFailure(error)) {
    // What befell the statement, as the message tells it: the client stopped waiting (its
    // connection sound, the statement still running), the server ended the session, or the
    // connection was lost.
    const gaveUp = queryGaveUp(error);
    const what = gaveUp
      ? "no answer within node-postgres's query_timeout"
      : state !== undefined && sessionEndedStates.test(state)
        ? `the server ended the session (${state}: ${said(error)})`
        : 'the connection failed';
    // A client of another's may have thrown this for a COMMIT it sent (see `reportsCommitOutcome`).
    if (
      exposure === 'transaction' &&
      !commitsReported &&
      commitMayHaveBeenSent(error) &&
      !thrownBeforeCommit(error)
    )
      return new WriteOutcomeUnknownError(
        `${where}: ${what} during the transaction, and its client (not this package's adapter) does not tell whether COMMIT was sent; the write may or may not be applied`,
        { cause: error },
      );
    // The server did not answer in time, and nothing was committed (a read, or a transaction
    // whose connection is closed before COMMIT): the same THROTTLED (503) as the server's own
    // statement_timeout (57014), a lock timeout, and the AWS SDK's requestTimeout on a read.
    if (gaveUp && exposure !== 'statement')
      return new ThrottledError(
        `${where}: ${what}${exposure === 'transaction' ? '; the transaction was not committed' : ''}`,
        { cause: error },
      );
    if (exposure === 'statement')
      return new WriteOutcomeUnknownError(
        `${where}: ${what} after the statement was sent; ${gaveUp ? 'the server may still apply it, so ' : ''}the write may or may not be applied`,
        { cause: error },
      );
    // A transaction whose connection failed before its COMMIT was sent (one sent is
    // `CommitOutcomeUnknown`, above) is rolled back by the server: nothing of it applied.
    return new BackendError(
      `${where}: ${what}${exposure === 'transaction' ? '; the transaction was not committed' : ''}`,
      { cause: error, notApplied: exposure === 'transaction' },
    );
  }
  // A character the database's encoding (LATIN1) cannot hold, in a name or a value of the
  // request: refused before anything was written or read.
  if (state === '22P05')
    return new InvalidRequestError(
      `${where}: the database's encoding cannot hold a character of the request (${said(error)}); nothing was written`,
      { cause: error },
    );
  if (state === '40001' || state === '40P01' || state === '55P03')
    return new ThrottledError(`${where}: ${describeState(state)}, still after retries`, {
      cause: error,
    });
  // Statement timeout, too many connections, out of resources: the server is overloaded.
  if (state === '57014' || state?.startsWith('53'))
    return new ThrottledError(`${where}: ${said(error)}`, { cause: error });
  // A key too long for a B-tree entry (2,704 bytes after compression): keys within DynamoDB's
  // limits (2,048 + 1,024 bytes) can be, when they do not compress. Refused, nothing written.
  // Named as the spec names it, not by PostgreSQL's message: that names the index by its
  // physical name, which starts with the physical table's (a 400 reaches HTTP clients).
  if (state === '54000' && indexRowTooLong(error))
    return new InvalidRequestError(
      `${where}: the item's keys are too long for a PostgreSQL index${tooLongIndex(error)}; on PostgreSQL an item's table and index keys must fit in about 2,700 bytes (docs/backends/postgres.md)`,
      { cause: error },
    );
  // A rule of the table's own refused the statement: a constraint the spec does not know (NOT
  // NULL, CHECK, UNIQUE, a foreign key, an exclusion) or a trigger's RAISE. The server answered,
  // so the statement applied nothing, nor did the transaction it ran in: refused whole, as a
  // request DynamoDB refuses is.
  const done = exposure === 'read' ? 'nothing was read' : 'nothing was written';
  if (state?.startsWith('23') || state === 'P0001')
    return new InvalidRequestError(
      `${where}: the table refused it by a rule of its own, not the spec's (${tableRule(state, error)}); ${done}`,
      { cause: error },
    );
  // The role may not (a privilege, a row-level security policy's WITH CHECK): nothing applied.
  // Refused at the statement (ERROR): the server applied nothing of it (P-108).
  if (state === '42501')
    return new AccessDeniedError(`${where}: ${said(error)}; ${done}`, {
      cause: error,
      notApplied: answeredAtError(state, error),
    });
  // A read of a table whose item column was found jsonb, altered since (see `selectItem`).
  if (itemColumnRetyped(error))
    return new BackendError(
      `${where}: the table's item column is no longer of type jsonb (altered since the backend checked the table); it is checked again at the next request; ${done}`,
      { cause: error, notApplied: answeredAtError(state, error) },
    );
  if (state === '42P01')
    return new TableNotFoundError(`${where}: the table does not exist ${provisioningMakesIt}`, {
      cause: error,
      notApplied: answeredAtError(state, error),
    });
  // The schema the backend found the table in (see `SchemaTables`), dropped or renamed since.
  if (state === '3F000')
    return new TableNotFoundError(
      `${where}: the schema the table was found in no longer exists (${said(error)}: dropped or renamed since); the next request looks for the table again through the search_path; ${done}`,
      { cause: error, notApplied: answeredAtError(state, error) },
    );
  // An error the server answered a statement with aborts the statement and the transaction it
  // ran in: nothing of it was applied (a read after a committed write says otherwise itself:
  // see `readAfterWrite`). An internal or system error (XX, 58) at that severity too: the
  // statement and its transaction were rolled back, as for any other ERROR (a single write and
  // a batch's chunk said different things of it). Not one that ended the session (FATAL,
  // PANIC, in the server's language: connection failures, above).
  return new BackendError(`${where}: ${said(error)}`, {
    cause: error,
    notApplied: answeredAtError(state, error),
  });
}

/**
 * Whether a statement failed because the table's item column is no longer `jsonb`: `jsonb_out`,
 * which the reads of such a table take the item through, takes no other type (42883).
 */
export function itemColumnRetyped(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return (
    sqlState(error) === '42883' && typeof message === 'string' && /\bjsonb_out\(/.test(message)
  );
}

// The server ended the session: shut down, a dropped database, an administrator's
// pg_terminate_backend (57P01-57P04), idle_in_transaction_session_timeout (25P03),
// transaction_timeout (25P04).
const sessionEndedStates = /^(57P0[1-4]|25P0[34])$/;

/** Whether node-postgres's `query_timeout` gave up waiting for the answer to a statement. */
export function queryGaveUp(error: unknown): boolean {
  return error instanceof Error && /^Query read timeout$/i.test(error.message);
}

/**
 * Whether the server answered the statement with an error that rolled it back (and the
 * transaction it ran in), rather than one that ended the session: then nothing of it applied.
 */
function answeredAtError(state: string | undefined, error: unknown): boolean {
  const severity = (error as { severity?: unknown }).severity;
  return state !== undefined && typeof severity === 'string' && !endsSessionAt(severity);
}

/**
 * The rule of a table's own that refused a write, as a 400's message may say it: the
 * constraint's kind and name (the physical table's name in it masked), or a trigger's own
 * words (the DBA's, meant to be read). Not PostgreSQL's message, which names the physical
 * table, nor its detail, which quotes stored values (another user's, for a unique constraint).
 */
function tableRule(state: string, error: unknown): string {
  const { constraint, column, message, table } = error as {
    constraint?: unknown;
    column?: unknown;
    message?: unknown;
    table?: unknown;
  };
  if (state === 'P0001') return `a trigger raised: ${shownText(String(message))}`;
  const named =
    typeof constraint !== 'string'
      ? ''
      : ` "${shownText(typeof table === 'string' && table !== '' ? maskTable(constraint, table) : constraint)}"`;
  switch (state) {
    case '23502':
      return `column ${typeof column === 'string' ? `"${column}" ` : ''}is NOT NULL`;
    case '23503':
      return `foreign key${named}`;
    case '23505':
      return `unique constraint${named}`;
    case '23514':
      return `check constraint${named}`;
    case '23P01':
      return `exclusion constraint${named}`;
    default:
      return `integrity constraint${named} (SQLSTATE ${state})`;
  }
}

/**
 * The index whose entry an item's keys did not fit, as the spec names it: the table's primary
 * key (`<table>#pkey`) or a secondary index (`<table>:<index>`); another index (a DBA's, or a
 * name cut to 63 bytes) by its name with the physical table's masked. Nothing when the error
 * names no index (`index row requires … bytes`).
 */
function tooLongIndex(error: unknown): string {
  const { constraint, table } = error as { constraint?: unknown; table?: unknown };
  if (typeof constraint !== 'string' || constraint === '') return '';
  if (typeof table !== 'string' || table === '') return '';
  if (constraint === `${table}#pkey`) return ' (the primary key)';
  if (constraint.startsWith(`${table}:`))
    return ` (index ${shownName(constraint.slice(table.length + 1))})`;
  return ` (index "${shownText(maskTable(constraint, table))}")`;
}

/**
 * A constraint's or index's name with the physical table's masked: PostgreSQL's own names start
 * with the table's (`<table>_email_key`), cut short to fit 63 bytes on a long table name
 * (`prod_billing_customer_invoice_line_i_item_check`), as Macaron's derived names are (cut,
 * then `~` and a hash: `<table>:<index>` of a long table name).
 */
function maskTable(constraint: string, table: string): string {
  if (constraint.includes(table)) return constraint.split(table).join('<table>');
  for (let length = table.length - 1; length >= 8; length--)
    if (constraint.startsWith(table.slice(0, length)) && /^[_~]/.test(constraint.slice(length)))
      return `<table>${constraint.slice(length)}`;
  return constraint;
}

/** A transaction that kept meeting concurrent writers, as the contract reports it. */
export function transactionConflict(error: unknown, actions: number): TransactionCanceledError {
  return new TransactionCanceledError(
    [
      {
        index: 0,
        code: 'TRANSACTION_CONFLICT',
        message: `Concurrent transactions kept conflicting with this one of ${actions} actions (${describeState(sqlState(error))}); nothing was applied`,
      },
    ],
    { cause: error },
  );
}

function describeState(state: string | undefined): string {
  switch (state) {
    case '40001':
      return 'serialization failure';
    case '40P01':
      return 'deadlock';
    case '55P03':
      return 'lock timeout';
    default:
      return 'write race';
  }
}

/**
 * Why a connection could not be made, as the driver says it (`password authentication failed
 * for user "app"`, `connect ECONNREFUSED 127.0.0.1:5432`), with any password in a URL hidden.
 */
export function connectionFailureReason(error: unknown): string {
  return withoutPasswords(reasonOf(error)) || 'no reason given';
}

// The engine's or the driver's own message, as a message of ours quotes it: names and values
// in it (a DBA's constraint, a trigger's words, a stored value) may hold a line break.
function said(error: unknown): string {
  return shownText((error as Error | undefined)?.message ?? String(error));
}

/** A driver's message with the password of any connection string in it hidden. */
export function withoutPasswords(message: string): string {
  return message.replace(/(\/\/[^:/?#@\s]*):[^@/\s]*@/g, '$1:***@');
}

// Node reports a refused connection to several addresses as an AggregateError without message.
function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  if (cause.message) return cause.message;
  if (cause instanceof AggregateError) return cause.errors.map(reasonOf).join('; ');
  return String((cause as { code?: unknown }).code ?? cause.name);
}

/**
 * A page read through an index whose key columns the table lacks (42703): the spec names an
 * index that `ensureTables` has not made yet. Any other failure stays as it was.
 */
export function indexMissing(error: unknown, operation: string, index: IndexDescriptor): unknown {
  if (!BackendError.isInstance(error) || sqlState(error.cause) !== '42703') return error;
  return new TableNotFoundError(
    `PostgreSQL ${operation}: the index ${shownName(index.name)} does not exist ${provisioningMakesIt}`,
    { cause: error.cause },
  );
}
