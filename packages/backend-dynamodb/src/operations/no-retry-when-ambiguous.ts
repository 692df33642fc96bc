import type { FinalizeRequestMiddleware, Pluggable } from '@smithy/types';
import { isAmbiguousFailure, outcomeUnknownName } from '../errors/dynamodb-errors.js';

/**
 * For writes that must not be applied twice (conditional writes, increments, appends):
 * when the connection fails after the request was sent, the SDK would retry on its own and
 * might apply the write a second time (an `add` of 1 becoming 2). This middleware runs
 * inside the SDK's retry loop and turns such a failure into an error the retry strategy
 * does not retry, which the backend reports as `WriteOutcomeUnknownError`.
 */
const middleware: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
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

/** Plug into a command's middleware stack (any command's: it reads neither input nor output). */
// biome-ignore lint/suspicious/noExplicitAny: the middleware is the same for every command type
export const noRetryWhenAmbiguous: Pluggable<any, any> = {
  applyToStack(stack) {
    stack.add(middleware as FinalizeRequestMiddleware<object, object>, {
      step: 'finalizeRequest',
      priority: 'low',
      name: 'macaronNoRetryWhenAmbiguous',
      override: true,
    });
  },
};
