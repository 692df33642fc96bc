/** True for errors that mean the connection is gone (not a statement the server refused). */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08 (connection exception), 57P01-57P03 (the server shut the session down).
    if (/^08/.test(code) || /^57P0[123]$/.test(code)) return true;
    if (
      ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(
        code,
      )
    )
      return true;
  }
  return /Connection terminated|connection (is )?closed|Client has encountered a connection error|not queryable/i.test(
    error.message,
  );
}
