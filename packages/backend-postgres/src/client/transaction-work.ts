import type { SqlClient, SqlExecutor } from './sql-client.js';

/*
 * The failures a transaction's own work threw (the backend's statements inside the callback),
 * which a client meets before it sends COMMIT: `SqlClient.transaction` commits only once its
 * work resolved. A client of another's does not say whether a lost connection came while COMMIT
 * was in flight (see `reportsCommitOutcome`), but one that rejects with the very error its work
 * threw rejects before any COMMIT: that transaction was not committed. One it wraps, or a
 * failure of its own (its ROLLBACK's), says nothing of the kind.
 */
const thrownByWork = new WeakSet<object>();

/** `client.transaction(work)`, knowing the failures `work` threw (see `thrownBeforeCommit`). */
export function inTransaction<T>(
  client: SqlClient,
  work: (transaction: SqlExecutor) => Promise<T>,
): Promise<T> {
  return client.transaction(async (transaction) => {
    try {
      return await work(transaction);
    } catch (error) {
      if (typeof error === 'object' && error !== null) thrownByWork.add(error);
      throw error;
    }
  });
}

/** Whether `error` is one a transaction's work threw, before its client could send COMMIT. */
export function thrownBeforeCommit(error: unknown): boolean {
  return typeof error === 'object' && error !== null && thrownByWork.has(error);
}
