/**
 * The version a save stores over `current`, the version the object was read at (undefined:
 * never stored, so 1). Versions stay exact past 2^53: there the next one is a bigint, as an
 * int64 version property holds it.
 */
export function nextVersion(current: number | bigint | undefined): number | bigint {
  if (current === undefined) return 1;
  if (typeof current === 'bigint') return current + 1n;
  return Number.isSafeInteger(current + 1) ? current + 1 : BigInt(current) + 1n;
}

/**
 * Whether a value is a version Macaron writes: a whole number from 0 (a number, or a bigint
 * past 2^53). Another client's 2.5, -1 or "3" is none: an object holding one is neither saved
 * over its item nor deleted at it (P-24), as no next version follows from it.
 */
export function isWholeVersion(value: unknown): value is number | bigint {
  return typeof value === 'bigint'
    ? value >= 0n
    : typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
