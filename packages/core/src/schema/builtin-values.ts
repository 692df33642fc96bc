import { types } from 'node:util';

/*
 * A `Proxy` around a built-in object passes `instanceof` but has none of its internal slots, so
 * every method of the built-in throws on it. These say whether a value really is one: a proxy
 * is not, and validation refuses it as it refuses other class instances.
 */

/** Whether a value is bytes: a `Uint8Array` (a `Buffer` too). */
export function isBytes<T>(value: T): value is T & Uint8Array {
  return value instanceof Uint8Array && ArrayBuffer.isView(value);
}

/** Whether a value is a `Set` (DynamoDB's sets, as core holds them). */
export function isSet<T>(value: T): value is T & Set<unknown> {
  return value instanceof Set && types.isSet(value);
}
