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
