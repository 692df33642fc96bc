import {
  AccessDeniedError,
  BackendError,
  MacaronError,
  ThrottledError,
  UnsupportedOperationError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import {
  CommitOutcomeUnknown,
  NotSent,
  reportsCommitOutcome,
  type SqlClient,
  UnfitSession,
} from '../client/sql-client.js';
import { thrownBeforeCommit } from '../client/transaction-work.js';
import {
  commitMayHaveBeenSent,
  notConnected,
  sqlState,
  withoutPasswords,
} from '../errors/postgres-errors.js';

/**
 * The failure of a provisioning transaction on `client`. One that `changes` tables and lost
 * its connection on a client of another's, which may not report a COMMIT it sent (see
 * `reportsCommitOutcome`), may have committed: `CommitOutcomeUnknown`, as this package's
 * adapters report it. One that changes nothing (a plan) leaves nothing unknown.
 */
export function transactionFailure(client: SqlClient, changes: boolean, error: unknown): unknown {
  if (!changes) return error instanceof CommitOutcomeUnknown ? error.cause : error;
  if (
    !(error instanceof CommitOutcomeUnknown) &&
    !reportsCommitOutcome(client) &&
    commitMayHaveBeenSent(error) &&
    !thrownBeforeCommit(error)
  )
    return new CommitOutcomeUnknown(error);
  return error;
}

/**
 * A provisioning failure as a typed error. One that could not connect says why (wrong
 * password, server down, unknown host): the driver's reason, which is what the operator needs.
 */
export function provisioningError(error: unknown, operation: string): MacaronError {
  if (MacaronError.isInstance(error)) return error;
  if (error instanceof NotSent) return notConnected(`PostgreSQL ${operation}`, error.cause);
  // The COMMIT of the table's transaction was sent and no answer came: its changes may be made.
  if (error instanceof CommitOutcomeUnknown)
    return new WriteOutcomeUnknownError(
      `PostgreSQL ${operation}: the connection failed while committing, so whether its changes were made is unknown; planTables tells (and ensureTables completes them)`,
      { cause: error.cause },
    );
  // A session the app left unfit (see session-fitness.ts): one provisioning cannot work in, as
  // database-fitness.ts reports what it finds of the session itself.
  if (error instanceof UnfitSession)
    return new UnsupportedOperationError(
      `PostgreSQL ${operation}: ${error.message}; nothing was changed`,
    );
  const message = `PostgreSQL ${operation}: ${withoutPasswords((error as Error | undefined)?.message ?? String(error))}`;
  // A privilege the role lacks (to create in the schema, to alter another role's table): what
  // the operator grants, as reads and writes report it.
  const state = sqlState(error);
  if (state === '42501') return new AccessDeniedError(message, { cause: error });
  // A read-only session or a standby (default_transaction_read_only, a replica's address):
  // what planTables reports for an existing table, for a missing one too.
  if (state === '25006')
    return new UnsupportedOperationError(
      `${message} (a read-only session or a standby: run provisioning on the primary, in a session that may write; this table was left as it was)`,
      { cause: error },
    );
  // The server's statement_timeout or lock_timeout, as requests report them: each table is
  // provisioned in a transaction of its own, so this one was rolled back whole.
  if (state === '57014' || state === '55P03')
    return new ThrottledError(`${message}; this table was left as it was`, { cause: error });
  return new BackendError(message, { cause: error });
}
