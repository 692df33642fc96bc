import type { FinalizeRequestMiddleware } from '@smithy/types';
import { isAmbiguousFailure, outcomeUnknownName } from '../errors/dynamodb-errors.js';
import { isForeignRefusal } from '../errors/foreign-answer.js';
import { fillParsedAnswer } from './raw-answer.js';
import { type RequestState, requestState } from './request-state.js';

/**
 * Writes whose attempt failed after it may have been applied (a lost connection, a 500, a 4xx
 * that is not DynamoDB's refusal):
 * - `refuse`: writes that must not be sent again (every put, delete, update and batch write).
 *   The SDK would retry on its own and might apply the write a second time (an `add` of 1
 *   becoming 2), or late, over what other clients wrote meanwhile (a plain put undoing their
 *   `add`); the failure becomes an error its retry strategy does not retry.
 * - `report`: writes the SDK may repeat (transactions, whose ClientRequestToken makes DynamoDB
 *   answer a retry of an applied one without applying it again). The SDK retries as before;
 *   when the retries fail too, the write may have been applied, whatever the last error says
 *   (a throttle, a 500).
 * Either way the backend reports `WriteOutcomeUnknownError`, so every other error means that
 * nothing was written. Other requests pass through untouched.
 */

/**
 * Inside the SDK's retry loop, for each attempt: fills in the answer `keepAnswer` parsed, and
 * for writes refuses the retry, or remembers the ambiguous attempt.
 */
export const handleAttempt: FinalizeRequestMiddleware<object, object> = (next) => (args) => {
  const state = requestState(args.input);
  if (state === undefined) return next(args);
  // A write that must not be sent again, whose earlier attempt may have been applied: a retry
  // strategy of the application's own (which decides for itself what to retry) retried it.
  // Not sent: its answer (a failed condition, a key taken) would be read as the first's.
  if (state.ambiguity === 'refuse' && state.ambiguousAttempt)
    return Promise.reject(
      outcomeUnknown(new Error('an earlier attempt failed after the write may have been applied')),
    );
  state.attempted = true;
  // An earlier attempt's answer, parsed before a failure later in the stack, is not this one's.
  state.parsedAnswer = undefined;
  return next(args).then(
    (result) => {
      fillParsedAnswer(result.output, state);
      return result;
    },
    state.ambiguity === undefined
      ? undefined
      : (error: unknown) => {
          // A 4xx that is not DynamoDB's refusal is as ambiguous for a write as a 5xx.
          if (!isAmbiguousFailure(error) && !isForeignRefusal(error)) throw error;
          // Not `cause`: the SDK looks through causes to decide what is retryable.
          state.ambiguousAttempt = true;
          if (state.ambiguity === 'refuse') throw outcomeUnknown(error);
          throw error;
        },
  );
};

/**
 * The error to report once the SDK gave up (outside its retry loop): for `report`, the last
 * attempt's error does not tell what an earlier, ambiguous one did.
 */
export function settledError(state: RequestState, error: unknown): unknown {
  if (state.ambiguity !== 'report' || !state.ambiguousAttempt || cancelledByConditions(error))
    return error;
  return outcomeUnknown(error);
}

// toMacaronError reads `connectionError`.
function outcomeUnknown(error: unknown): Error {
  return Object.assign(new Error('The write may have been applied'), {
    name: outcomeUnknownName,
    connectionError: error,
  });
}

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
