import { types } from 'node:util';

/*
 * A `Proxy` around a built-in object passes `instanceof` but has none of its internal slots, so
 * every method of the built-in throws on it. These say whether a value really is one, by its
 * internal slots: a proxy is not, and validation refuses it as it refuses other class instances.
 * A built-in of another realm is one: test runners hand code such values (Vitest's `jsdom`
 * environment makes `Uint8Array` jsdom's while `Buffer` and `TextEncoder` stay Node's; its
 * `vmThreads` pool and Jest run test files in a vm context), and `instanceof` refuses them.
 */

/** Whether a value is bytes: a `Uint8Array` (a `Buffer` too), of any realm. */
export function isBytes<T>(value: T): value is T & Uint8Array {
  return types.isUint8Array(value);
}

/** Whether a value is a `Set` (DynamoDB's sets, as core holds them), of any realm. */
export function isSet<T>(value: T): value is T & Set<unknown> {
  return types.isSet(value);
}

/**
 * Whether a prototype is an `Object.prototype`: this realm's, or another's (a vm context's, as
 * Jest's environments and Vitest's `vmThreads` pool make them, whose `structuredClone` gives
 * objects of Node's realm). Such an object is a plain object like one of this realm.
 */
export function isObjectPrototype(prototype: unknown): boolean {
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
