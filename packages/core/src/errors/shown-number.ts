// 10^126: no store holds a number this large, and a caller's bigint may have a million digits,
// which take a second to write out and make a message of a megabyte.
const unstorable = 10n ** 126n;

/** A bigint of 127 digits or more as a message shows it, by its size alone; else undefined. */
export function bigintBySize(value: bigint): string | undefined {
  if (value < unstorable && value > -unstorable) return undefined;
  return `a ${value < 0n ? 'negative ' : ''}bigint of 127 digits or more`;
}

/**
 * A caller's number as a message shows it (`the number 1e+200`), written out unless it is a
 * bigint of 127 digits or more, which is shown by its size alone.
 */
export function shownNumber(value: number | bigint): string {
  if (typeof value === 'bigint') return bigintBySize(value) ?? `the number ${value}`;
  return `the number ${String(value)}`;
}

/** A caller's bigint as a message shows it: `10n`, or by its size from 127 digits on. */
export function shownBigint(value: bigint): string {
  return bigintBySize(value) ?? `${value}n`;
}
