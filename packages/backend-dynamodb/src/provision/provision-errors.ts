import type { MacaronError } from '@macaron/core';
import { toMacaronError } from '../errors/dynamodb-errors.js';

/** The `name` of an AWS SDK service error (e.g. `ResourceNotFoundException`), if any. */
export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The backend's one translation of SDK errors: a Macaron error passes unchanged. */
export function toBackendError(error: unknown, operation: string, table: string): MacaronError {
  return toMacaronError(error, operation, `table ${table}`, `${operation} on table ${table}`);
}
