import type { FinalizeRequestMiddleware } from '@smithy/types';
import { isAmbiguousFailure, outcomeUnknownName } from '../errors/dynamodb-errors.js';
import { requestState } from './request-state.js';

/**
 * For writes that must not be applied twice (conditional writes, increments, appends):
 * when the connection fails after the request was sent, the SDK would retry on its own and
 * might apply the write a second time (an `add` of 1 becoming 2). This middleware runs
 * inside the SDK's retry loop and turns such a failure into an error the retry strategy
 * does not retry, which the backend reports as `WriteOutcomeUnknownError`.
 */
export const refuseAmbiguousRetry: FinalizeRequestMiddleware<object, object> =
  (next) => async (args) => {
    if (requestState(args.input)?.ambiguity !== 'refuse') return next(args);
    try {
      return await next(args);
    } catch (error) {
      if (!isAmbiguousFailure(error)) throw error;
      // Not `cause`: the SDK looks through causes to decide what is retryable.
      throw Object.assign(new Error('The write may have been applied'), {
        name: outcomeUnknownName,
        connectionError: error,
      });
    }
  };
