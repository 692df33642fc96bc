import { createHash } from 'node:crypto';
import { paddedKeys } from './table-statements.js';

/**
 * The statement that takes a transaction-scoped advisory lock on each of a transaction's keys,
 * and its parameters. Row locks (`SELECT … FOR UPDATE`) lock nothing where a row is absent: two
 * transactions that each check that the other's key is free, then write their own, would both
 * commit (write skew), where DynamoDB's transactions are serializable. Locking every key first,
 * present or not, makes transactions on a common key run one after the other. Keys are
 * `table U+0000 key` identities; a lock is their 64-bit hash, taken in ascending order, so
 * two transactions never wait for each other in a cycle, even when two keys share a hash.
 */
export function keyLocks(ids: readonly string[]): { text: string; parameters: string[] } {
  const locks = [...new Set(ids.map(lockOf))].sort((left, right) =>
    left < right ? -1 : left > right ? 1 : 0,
  );
  // Padded to one of a few counts (see paddedKeys): taking the last lock again is harmless.
  const { count, parameters } = paddedKeys(locks.map(String), 1, locks.length);
  const text = `SELECT ${Array.from({ length: count }, (_, index) => `pg_advisory_xact_lock($${index + 1}::bigint)`).join(', ')}`;
  return { text, parameters: parameters as string[] };
}

function lockOf(id: string): bigint {
  return createHash('sha256').update(id, 'utf8').digest().readBigInt64BE(0);
}
