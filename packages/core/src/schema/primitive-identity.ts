const minSafe = BigInt(Number.MIN_SAFE_INTEGER);
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * One identity for equal strings, numbers and bigints (1 and 1n, 0 and -0, 2^60 and 2^60n),
 * which a Set or a Map key tells apart from any other; undefined for other values, NaN (equal
 * to nothing) among them.
 */
export function primitiveIdentity(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (Number.isNaN(value)) return undefined;
      return Number.isInteger(value) && !Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'bigint':
      return value >= minSafe && value <= maxSafe ? Number(value) : value;
    default:
      return undefined;
  }
}
