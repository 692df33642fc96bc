/** True for errors that mean the connection is gone (not a statement the server refused). */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08 (connection exception), 57P01-57P05 (the server ended the session: shutdown,
    // crash, a dropped database, idle_session_timeout), 25P03 (idle_in_transaction_session_timeout),
    // 25P04 (PostgreSQL 17's transaction_timeout).
    if (/^08/.test(code) || /^57P0[1-5]$/.test(code) || code === '25P03' || code === '25P04')
      return true;
    if (
      ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(
        code,
      )
    )
      return true;
  }
  // `Query read timeout`: node-postgres's `query_timeout` gave up on a statement the server may
  // still run, and may apply: the session is in an unknown state, as after a lost connection.
  return /Connection terminated|connection (is )?closed|Client has encountered a connection error|not queryable|Query read timeout/i.test(
    error.message,
  );
}
