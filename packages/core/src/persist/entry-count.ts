import { InvalidRequestError } from '../errors/persistence-errors.js';

/**
 * Refuses, with `InvalidRequestError`, a batch or transaction of more entries than `limit`: the
 * whole request, whatever tables it names (DynamoDB counts them so; dynalite counts a batch
 * write's per table).
 */
export function checkEntryCount(size: number, limit: number, operation: string): void {
  if (size > limit)
    throw new InvalidRequestError(`${operation} takes at most ${limit} entries, not ${size}`);
}
