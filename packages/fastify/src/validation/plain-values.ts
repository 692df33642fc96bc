import { MacaronError, ValidationError } from '@macaron/core';

/** True for an object literal (prototype `Object.prototype` or null): JSON's objects. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

/** True for a `ValidationError`, even one thrown by another installed copy of core. */
export function isValidationError(error: unknown): error is ValidationError {
  return (
    error instanceof ValidationError ||
    (MacaronError.isInstance(error) && Array.isArray((error as Partial<ValidationError>).problems))
  );
}
