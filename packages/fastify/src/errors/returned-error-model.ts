import { defineError, type MacaronError } from '@macaron/core';

/**
 * PyMacaron's crash handler answered a 200 body holding its `Error` model (`error`,
 * `error_description` and an error `status`: what `e.http_reply()` returns, and what handlers
 * returned) with that status. With `compat: 'pymacaron'` such a returned value is that error,
 * thrown; undefined for any other value.
 */
export function returnedErrorModel(value: unknown): MacaronError | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const {
    error,
    error_description: description,
    status,
    user_message: userMessage,
  } = value as Record<string, unknown>;
  if (
    typeof error !== 'string' ||
    !/^[A-Z][A-Z0-9_]*$/.test(error) ||
    typeof description !== 'string' ||
    !Number.isInteger(status) ||
    (status as number) < 400 ||
    (status as number) > 599
  )
    return undefined;
  const ErrorModel = defineError({ code: error, status: status as number });
  return new ErrorModel(description, typeof userMessage === 'string' ? { userMessage } : {});
}
