import type { FinalizeRequestMiddleware, InitializeMiddleware } from '@smithy/types';
import { isAmbiguousFailure, outcomeUnknownName } from '../errors/dynamodb-errors.js';
import { requestState } from './request-state.js';

/**
 * For writes the SDK retries on its own because a retry is idempotent (plain puts;
 * transactions, with their ClientRequestToken): when an attempt failed after it was sent and
 * the retries failed too, the write may have been applied, whatever the last error says (a
 * throttle, a 500). Such a failure is reported as `WriteOutcomeUnknownError`, so that every
 * other error means nothing was written; the SDK still retries as before.
 */

/** Inside the SDK's retry loop: remembers that an attempt failed after it may have been applied. */
export const markAmbiguousAttempt: FinalizeRequestMiddleware<object, object> =
  (next) => async (args) => {
    const state = requestState(args.input);
    if (state?.ambiguity !== 'report') return next(args);
    try {
      return await next(args);
    } catch (error) {
      if (isAmbiguousFailure(error)) state.ambiguousAttempt = true;
      throw error;
    }
  };

/** Outside the retry loop: the last attempt's error does not tell what an earlier one did. */
export const reportAmbiguousOutcome: InitializeMiddleware<object, object> =
  (next) => async (args) => {
    const state = requestState(args.input);
    if (state?.ambiguity !== 'report') return next(args);
    try {
      return await next(args);
    } catch (error) {
      if (!state.ambiguousAttempt || cancelledByConditions(error)) throw error;
      // Not `cause`, as in no-retry-when-ambiguous; toMacaronError reads `connectionError`.
      throw Object.assign(new Error('The write may have been applied'), {
        name: outcomeUnknownName,
        connectionError: error,
      });
    }
  };

// DynamoDB answers the retry of an applied transaction with success (same ClientRequestToken),
// so a retry cancelled by its conditions alone proves that no attempt was applied.
function cancelledByConditions(error: unknown): boolean {
  const candidate = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (candidate?.name !== 'TransactionCanceledException') return false;
  return (candidate.CancellationReasons ?? []).every(
    (reason) =>
      reason.Code === undefined ||
      reason.Code === 'None' ||
      reason.Code === 'ConditionalCheckFailed',
  );
}
