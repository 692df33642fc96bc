const minSafe = BigInt(Number.MIN_SAFE_INTEGER);
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * One identity for equal strings, numbers and bigints (1 and 1n, 0 and -0, 2^60 and 2^60n),
 * which a Set or a Map key tells apart from any other; undefined for other values, NaN (equal
 * to nothing) among them.
 *
 * An integer beyond 2^53 is known by its decimal text, not as a bigint: V8 hashes a bigint by
 * its lowest 64 bits alone, so a Set of k·2^64 (a list a client sends, a number set another
 * client stored) compared each member with all the others. That text starts with U+0000 and
 * `n`; a string starting with U+0000 gets one more U+0000, so no string spells it.
 */
export function primitiveIdentity(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value.charCodeAt(0) === 0 ? `\u0000${value}` : value;
    case 'number':
      if (Number.isNaN(value)) return undefined;
      return Number.isInteger(value) && !Number.isSafeInteger(value)
        ? `\u0000n${BigInt(value)}`
        : value;
    case 'bigint':
      return value >= minSafe && value <= maxSafe ? Number(value) : `\u0000n${value}`;
    default:
      return undefined;
  }
}
