import { isConnectionFailure } from '../client/connection-failure.js';
import { CommitOutcomeUnknown, NotSent } from '../client/sql-client.js';
import { thrownBeforeCommit } from '../client/transaction-work.js';
import { poolerRefusal } from './pooler-refusals.js';
import {
  connectionFailureReason,
  type Exposure,
  queryGaveUp,
  sqlState,
} from './postgres-errors.js';

/*
 * A request whose connection failed in a way that proves nothing of it applied runs again, once,
 * on a new connection: a pooler's restart or a database's failover ends every session at once,
 * and the next connection usually works. A write whose outcome is unknown never runs again.
 */

/** How many times a request runs again after such a failure. */
export const runsAfterLostConnection = 1;

/**
 * Whether `error`, met by a request of `exposure`, proves that nothing of it applied and that
 * running it on a new connection may go otherwise:
 *
 * - nothing was sent: no connection came, or it failed while its session was checked (`NotSent`
 *   of a lost connection, not a refusal such as a password, the server's or PgBouncer's: that
 *   would be refused again);
 * - the server ended the idle session before the statement reached it (57P05);
 * - a read lost its connection: a read changes nothing;
 * - a transaction lost its connection before COMMIT was sent: the server rolls it back. Not
 *   once COMMIT was sent (`CommitOutcomeUnknown`), nor when node-postgres's `query_timeout`
 *   gave up on a statement the server may still be running, holding the locks a second
 *   attempt would wait for; and only on a client known to report a COMMIT sent
 *   (`commitsReported`, see `reportsCommitOutcome`), or one that rejected with the failure
 *   its work threw, before any COMMIT (see `thrownBeforeCommit`).
 *
 * A single write statement sent outside a transaction commits by itself: its lost connection
 * leaves the outcome unknown, and it never runs again.
 */
export function appliedNothingOnLostConnection(
  error: unknown,
  exposure: Exposure,
  commitsReported: boolean,
): boolean {
  if (error instanceof CommitOutcomeUnknown) return false;
  // PgBouncer's refusals are class 08 too (08P01), but no lost connection: a password it
  // refused, or its client and server connections all taken, would be met again at once.
  if (poolerRefusal(error instanceof NotSent ? error.cause : error) !== undefined) return false;
  if (error instanceof NotSent) return isConnectionFailure(error.cause);
  if (sqlState(error) === '57P05') return true;
  if (!isConnectionFailure(error)) return false;
  if (exposure === 'read') return true;
  return (
    exposure === 'transaction' &&
    (commitsReported || thrownBeforeCommit(error)) &&
    !queryGaveUp(error)
  );
}

/** The operation as a message names it once it ran again after `first`. */
export function ranAgainAfter(operation: string, first: unknown): string {
  const reason =
    first instanceof NotSent
      ? `its connection failed before anything was sent (${connectionFailureReason(first.cause)})`
      : `its connection failed before it applied anything (${connectionFailureReason(first)})`;
  return `${operation}, run again on a new connection after ${reason}`;
}
