import { BackendError, MacaronError } from '@macaron/core';
import { NotSent } from '../client/sql-client.js';

// A connection string in a driver's message keeps its user and host, never its password.
function withoutPasswords(message: string): string {
  return message.replace(/(\/\/[^:/?#@\s]*):[^@/\s]*@/g, '$1:***@');
}

// Node reports a refused connection to several addresses as an AggregateError without message.
function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  if (cause.message) return cause.message;
  if (cause instanceof AggregateError) return cause.errors.map(reasonOf).join('; ');
  return String((cause as { code?: unknown }).code ?? cause.name);
}

/**
 * A provisioning failure as a typed error. One that could not connect says why (wrong
 * password, server down, unknown host): the driver's reason, which is what the operator needs.
 */
export function provisioningError(error: unknown, operation: string): MacaronError {
  if (MacaronError.isInstance(error)) return error;
  if (error instanceof NotSent) {
    const reason = reasonOf(error.cause);
    return new BackendError(
      `PostgreSQL ${operation}: could not connect (nothing was sent): ${withoutPasswords(reason)}`,
      { cause: error.cause },
    );
  }
  return new BackendError(
    `PostgreSQL ${operation}: ${withoutPasswords((error as Error | undefined)?.message ?? String(error))}`,
    { cause: error },
  );
}
