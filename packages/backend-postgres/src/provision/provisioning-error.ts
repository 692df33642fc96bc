import { AccessDeniedError, BackendError, MacaronError } from '@macaron/core';
import { NotSent } from '../client/sql-client.js';
import { notConnected, sqlState, withoutPasswords } from '../errors/postgres-errors.js';

/**
 * A provisioning failure as a typed error. One that could not connect says why (wrong
 * password, server down, unknown host): the driver's reason, which is what the operator needs.
 */
export function provisioningError(error: unknown, operation: string): MacaronError {
  if (MacaronError.isInstance(error)) return error;
  if (error instanceof NotSent) return notConnected(`PostgreSQL ${operation}`, error.cause);
  const message = `PostgreSQL ${operation}: ${withoutPasswords((error as Error | undefined)?.message ?? String(error))}`;
  // A privilege the role lacks (to create in the schema, to alter another role's table): what
  // the operator grants, as reads and writes report it.
  if (sqlState(error) === '42501') return new AccessDeniedError(message, { cause: error });
  return new BackendError(message, { cause: error });
}
