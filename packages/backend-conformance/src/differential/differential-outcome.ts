import { MacaronError, TransactionCanceledError, ValidationError } from '@macaron/core';

/**
 * The observable outcome of one operation: its normalised result, or its error's class and
 * code with the details callers branch on (cancellation reasons, validation pointers).
 */
export type DifferentialOutcome = { value: unknown } | { error: string; detail?: unknown };

/** The outcome of an error: anything that is not a `MacaronError` is named as such. */
export function errorOutcome(error: unknown): DifferentialOutcome {
  if (!MacaronError.isInstance(error)) {
    return { error: `not a MacaronError: ${String(error)}` };
  }
  const typed = error as MacaronError;
  const name = `${typed.constructor.name}:${typed.code}`;
  if (error instanceof TransactionCanceledError)
    return { error: name, detail: error.reasons.map((reason) => [reason.index, reason.code]) };
  if (error instanceof ValidationError)
    return { error: name, detail: error.problems.map((problem) => problem.pointer).sort() };
  return { error: name };
}
