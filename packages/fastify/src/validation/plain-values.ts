import { types } from 'node:util';
import { MacaronError, ValidationError } from '@macaron/core';

/**
 * True for an object literal (prototype `Object.prototype` or null): JSON's objects. An object
 * literal of another realm is one too: a vm context's (Jest's environments, Vitest's vm pools),
 * or Node's where `structuredClone` gives one to a test file in such a context.
 */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || isObjectPrototype(prototype);
}

// `Object.prototype`, of this realm or another.
function isObjectPrototype(prototype: unknown): boolean {
  if (prototype === Object.prototype) return true;
  if (typeof prototype !== 'object' || prototype === null) return false;
  if (Object.getPrototypeOf(prototype) !== null) return false;
  const objectClass = Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value as unknown;
  return (
    typeof objectClass === 'function' &&
    objectClass.name === 'Object' &&
    Object.getOwnPropertyDescriptor(objectClass, 'prototype')?.value === prototype &&
    typeof (objectClass as { getPrototypeOf?: unknown }).getPrototypeOf === 'function'
  );
}

/** A boxed number, string or boolean (`new Number(1)`), of any realm: JSON writes its value. */
export function isBoxedValue(value: unknown): value is { valueOf(): number | string | boolean } {
  return types.isNumberObject(value) || types.isStringObject(value) || types.isBooleanObject(value);
}

/** True for a `ValidationError`, even one thrown by another installed copy of core. */
export function isValidationError(error: unknown): error is ValidationError {
  return (
    error instanceof ValidationError ||
    (MacaronError.isInstance(error) && Array.isArray((error as Partial<ValidationError>).problems))
  );
}
