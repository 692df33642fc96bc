import { BackendError, MacaronError } from '@macaron/core';
import { NotSent } from '../client/sql-client.js';
import { connectionFailureReason, withoutPasswords } from '../errors/postgres-errors.js';

/**
 * A provisioning failure as a typed error. One that could not connect says why (wrong
 * password, server down, unknown host): the driver's reason, which is what the operator needs.
 */
export function provisioningError(error: unknown, operation: string): MacaronError {
  if (MacaronError.isInstance(error)) return error;
  if (error instanceof NotSent) {
    return new BackendError(
      `PostgreSQL ${operation}: could not connect (nothing was sent): ${connectionFailureReason(error.cause)}`,
      { cause: error.cause },
    );
  }
  return new BackendError(
    `PostgreSQL ${operation}: ${withoutPasswords((error as Error | undefined)?.message ?? String(error))}`,
    { cause: error },
  );
}
