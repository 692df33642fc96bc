import type { SqlClient, SqlExecutor } from './sql-client.js';

/*
 * The failures a transaction's own work threw (the backend's statements inside the callback),
 * which a client meets before it sends COMMIT: `SqlClient.transaction` commits only once its
 * work resolved. A client of another's does not say whether a lost connection came while COMMIT
 * was in flight (see `reportsCommitOutcome`), but one that rejects with the very error its work
 * threw rejects before any COMMIT: that transaction was not committed. One it wraps, or a
 * failure of its own (its ROLLBACK's), says nothing of the kind. Only this call's work counts,
 * and only when no run of it resolved (a client that ran it again after sending a COMMIT). A
 * client may reject with one error object every time (a sentinel): once it rejected with an
 * object its work had not thrown (a COMMIT's failure), that object proves nothing ever again,
 * for any call: another call's work may have thrown it at the same time, and marked it.
 */
const thrownByWork = new WeakSet<object>();
const reusedByClient = new WeakSet<object>();

/** `client.transaction(work)`, knowing the failures `work` threw (see `thrownBeforeCommit`). */
export function inTransaction<T>(
  client: SqlClient,
  work: (transaction: SqlExecutor) => Promise<T>,
): Promise<T> {
  let runs = 0;
  let resolved = false;
  // What the run started last threw (a client that runs the work again commits after it alone).
  let lastThrew: { error: unknown } | undefined;
  return client
    .transaction(async (transaction) => {
      const run = ++runs;
      lastThrew = undefined;
      try {
        const result = await work(transaction);
        resolved = true;
        return result;
      } catch (error) {
        if (run === runs) lastThrew = { error };
        throw error;
      }
    })
    .catch((error: unknown) => {
      if (typeof error === 'object' && error !== null) {
        if (!resolved && lastThrew !== undefined && lastThrew.error === error) {
          if (!reusedByClient.has(error)) thrownByWork.add(error);
        } else {
          reusedByClient.add(error);
          thrownByWork.delete(error);
        }
      }
      throw error;
    });
}

/** Whether `error` is one a transaction's work threw, before its client could send COMMIT. */
export function thrownBeforeCommit(error: unknown): boolean {
  return typeof error === 'object' && error !== null && thrownByWork.has(error);
}
