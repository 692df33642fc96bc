/** Deep equality of model values: JSON values, bigint (equal to an equal number), bytes and sets. */
export function sameValue(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (
    (typeof left === 'bigint' || typeof left === 'number') &&
    (typeof right === 'bigint' || typeof right === 'number')
  ) {
    // biome-ignore lint/suspicious/noDoubleEquals: loose equality compares bigint and number exactly
    return left == right;
  }
  if (left instanceof Uint8Array && right instanceof Uint8Array) {
    return left.length === right.length && left.every((byte, index) => byte === right[index]);
  }
  if (left instanceof Set && right instanceof Set) {
    if (left.size !== right.size) return false;
    const rest = [...right];
    return [...left].every((member) => rest.some((other) => sameValue(member, other)));
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    return (
      left.length === right.length && left.every((item, index) => sameValue(item, right[index]))
    );
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const leftKeys = Object.keys(left).filter((key) => left[key] !== undefined);
    const rightKeys = Object.keys(right).filter((key) => right[key] !== undefined);
    return (
      leftKeys.length === rightKeys.length &&
      // Own properties only: a key `__proto__` of one side is never the other's prototype.
      leftKeys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]))
    );
  }
  return false;
}

/** A plain object: not null, not an array, not bytes, not a set. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Set)
  );
}
