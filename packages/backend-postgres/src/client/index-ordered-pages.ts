import type { SqlClient, SqlExecutor } from './sql-client.js';

// Clients of an engine that gathers no table statistics: PGlite runs no autovacuum, so
// nothing ever ANALYZEs its tables unless their owner does.
const withoutStatistics = new WeakSet<SqlClient>();

/** Marks `client` as one of an engine that gathers no statistics (see `pageReader`). */
export function gathersNoStatistics(client: SqlClient): SqlClient {
  withoutStatistics.add(client);
  return client;
}

/**
 * How the backend reads a page (`… ORDER BY <key columns> LIMIT n`). Without statistics,
 * PostgreSQL takes a partition for a few dozen rows and plans a page as a bitmap scan of every
 * row after the cursor, then a sort: each page reads the rest of the partition, a walk N²/2 ÷
 * limit rows. On such an engine a page is read with sorting disabled for its statement alone,
 * so the index, which holds the page's order, is read from the cursor on and stops at `limit`.
 * A server's autovacuum keeps statistics: its pages are read as they are.
 */
export function pageReader(client: SqlClient): SqlExecutor {
  if (!withoutStatistics.has(client)) return client;
  return {
    query: (text, parameters) =>
      client.transaction(async (transaction) => {
        await transaction.query('SET LOCAL enable_sort = off');
        return transaction.query(text, parameters);
      }),
  };
}
