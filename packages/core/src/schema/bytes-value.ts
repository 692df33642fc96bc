/**
 * Whether a value is bytes: a `Uint8Array` (a `Buffer` too). A `Proxy` around one passes
 * `instanceof` but has none of its internal slots, so every typed-array method throws on it:
 * it is no bytes here, and validation refuses it as it refuses other class instances.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && ArrayBuffer.isView(value);
}
