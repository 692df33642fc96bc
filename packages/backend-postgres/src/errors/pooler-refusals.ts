/*
 * PgBouncer refuses a client, or gives up on one, with SQLSTATE 08P01 (protocol_violation)
 * whatever the reason, and says which in its own words, which it never translates: read as a
 * protocol violation, a wrong password behind it was a BackendError (not the AccessDeniedError
 * the server's own 28P01 is), and a pooler full or out of server connections was a 500 no retry
 * mends rather than the 503 of the server's own 53300 (too many clients).
 */

/** Why PgBouncer refused the connection or the request, when its words say. */
export type PoolerRefusal = 'credentials' | 'overloaded';

// Its refusals of a client's credentials (auth_type md5, scram-sha-256, cert, hba).
const credentials =
  /^(?:(?:password|SASL|certificate) authentication failed|no such user|login rejected)$/;

/*
 * Too many clients (max_client_conn, max_user_client_connections, max_db_client_connections),
 * or none of its server connections came in time: query_wait_timeout (the client waited for
 * one with its request unsent: a transaction keeps its server connection to its end, so only
 * its first statement can wait) and client_login_timeout.
 */
const overloaded =
  /^(?:no more connections allowed \(max_client_conn\)|client connections exceeded \(max_(?:user|db)_client_connections\)|query_wait_timeout|client_login_timeout\b.*)$/;

/** PgBouncer's refusal `error` is, or undefined for any other error. */
export function poolerRefusal(error: unknown): PoolerRefusal | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== '08P01' || typeof message !== 'string') return undefined;
  if (credentials.test(message)) return 'credentials';
  if (overloaded.test(message)) return 'overloaded';
  return undefined;
}
