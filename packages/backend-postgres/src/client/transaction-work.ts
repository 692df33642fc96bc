import type { SqlClient, SqlExecutor } from './sql-client.js';

/*
 * The failures a transaction's own work threw (the backend's statements inside the callback),
 * which a client meets before it sends COMMIT: `SqlClient.transaction` commits only once its
 * work resolved. A client of another's does not say whether a lost connection came while COMMIT
 * was in flight (see `reportsCommitOutcome`), but one that rejects with the very error its work
 * threw rejects before any COMMIT: that transaction was not committed. One it wraps, or a
 * failure of its own (its ROLLBACK's), says nothing of the kind. Only this transaction's work
 * counts: a client may reject with one error object every time (a sentinel), which an earlier
 * transaction's work threw, for a COMMIT it sent since.
 */
const thrownByWork = new WeakSet<object>();

/** `client.transaction(work)`, knowing the failures `work` threw (see `thrownBeforeCommit`). */
export function inTransaction<T>(
  client: SqlClient,
  work: (transaction: SqlExecutor) => Promise<T>,
): Promise<T> {
  let thrown: unknown;
  let threw = false;
  return client
    .transaction(async (transaction) => {
      // A client that runs the work again (its own retry) sends COMMIT after the last run alone.
      threw = false;
      try {
        return await work(transaction);
      } catch (error) {
        thrown = error;
        threw = true;
        throw error;
      }
    })
    .catch((error: unknown) => {
      if (typeof error === 'object' && error !== null) {
        // Marked or not by this call alone, whatever an earlier one said of the same object.
        if (threw && error === thrown) thrownByWork.add(error);
        else thrownByWork.delete(error);
      }
      throw error;
    });
}

/** Whether `error` is one a transaction's work threw, before its client could send COMMIT. */
export function thrownBeforeCommit(error: unknown): boolean {
  return typeof error === 'object' && error !== null && thrownByWork.has(error);
}
