import { BackendError, type ItemKey, WriteOutcomeUnknownError } from '@macaron/core';
import { isConnectionFailure } from '../client/connection-failure.js';
import type { SqlExecutor, SqlRow } from '../client/sql-client.js';
import type { CountedWrite, TableStatements } from '../sql/table-statements.js';

/**
 * A write did not store the item under its key, or a delete left the row: a trigger that
 * returns NULL skips it (or stores the row elsewhere), and a row-level security policy that
 * lets this role read the row but not change it makes an UPDATE or DELETE pass it over.
 * `again`: the row was not locked, so another writer may have put it back meanwhile; run the
 * request again, as for a key race.
 */
export class WriteSkipped extends Error {
  constructor(
    readonly again = false,
    readonly kind: 'write' | 'delete' = 'write',
  ) {
    super('write skipped');
  }
}

/**
 * A write in a transaction stored a row other than the one it sent: a BEFORE trigger of the
 * table changed its item, its item_types or its key column as it was written. The transaction
 * rolls back, so nothing is written: the backend never answers for a row it did not write (an
 * update's item, a version checked, a key created).
 */
export class WriteAltered extends Error {
  constructor(
    readonly table: string,
    readonly key: ItemKey,
  ) {
    super('write altered');
  }
}

/**
 * How many rows a write of a transaction wrote (`TableStatements.replace`, `insertIfAbsent`),
 * each found holding what was sent, or `WriteAltered`.
 */
export async function rowsWrittenAsGiven(
  transaction: SqlExecutor,
  write: string,
  parameters: readonly unknown[],
  table: string,
  key: ItemKey,
): Promise<number> {
  const rows = await transaction.query(write, parameters);
  if (rows.some((row) => row.exact !== true)) throw new WriteAltered(table, key);
  return rows.length;
}

// A write that wrote its row stored it; none written, it was skipped (see WriteSkipped): in a
// transaction, which then rolls back whatever a trigger did instead.
export function storedRows(written: number): void {
  if (written === 0) throw new WriteSkipped();
}

// What a plain upsert returned, or, when nothing, the `unstoredOf` check: a `stored` row says
// it wrote (a trigger that stores the row through another path returns none), a `position` row
// that the item under the key is not the one written.
export function storedOrUnstored(rows: readonly SqlRow[]): void {
  if (rows.length > 0 && rows[0]!.position !== undefined) throw new WriteSkipped();
}

// How many rows a write wrote: as its command tag counts them where the client reads that and
// the tag counts this table's rows (see `CountedWrite`), or else as many as the rows its
// RETURNING gives back.
export function rowsWritten(
  executor: SqlExecutor,
  write: CountedWrite,
  parameters: readonly unknown[],
): Promise<number> {
  return executor.rowsWritten && write.counted !== undefined
    ? executor.rowsWritten(write.counted, parameters)
    : executor.query(write.returning, parameters).then((rows) => rows.length);
}

// A read that follows a write statement which answered, and so committed: whatever befalls
// the read, which rows the write stored is unknown (a statement's error here is no refusal of
// the write, which nothing undoes).
export async function readAfterWrite<T>(operation: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new WriteOutcomeUnknownError(
      `PostgreSQL ${operation}: the write was applied, but which rows it stored could not be read`,
      { cause: error },
    );
  }
}

// How many rows a delete of a row it did not lock deleted, once no row under the key is left
// to see: one still there was skipped, or put back by another writer.
export async function deletedOrGone(
  executor: SqlExecutor,
  statements: TableStatements,
  parameters: readonly unknown[],
  deleted: number,
): Promise<number> {
  if (deleted > 0) return deleted;
  let left: SqlRow[];
  try {
    // Presence alone: an item jsonb refuses would fail a read of it (see `unreadableItem`).
    left = await executor.query(statements.presentOf(1), parameters);
  } catch (error) {
    // The DELETE answered, having deleted nothing: not an unknown outcome, whatever befell
    // the read after it.
    if (!isConnectionFailure(error)) throw error;
    throw new BackendError(
      'PostgreSQL DeleteItem: nothing was deleted, but the connection failed before whether an item is left under the key could be read',
      { cause: error },
    );
  }
  if (left.length > 0) throw new WriteSkipped(true, 'delete');
  return deleted;
}

// Deletes a row this transaction locked: none deleted, the delete was skipped.
export async function deleteLocked(
  transaction: SqlExecutor,
  statements: TableStatements,
  key: ItemKey,
): Promise<void> {
  const parameters = statements.keyParameters(key);
  if ((await rowsWritten(transaction, statements.countedDelete, parameters)) === 0)
    throw new WriteSkipped(false, 'delete');
}
