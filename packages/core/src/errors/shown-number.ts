// 10^126: no store holds a number this large, and a caller's bigint may have a million digits,
// which take a second to write out and make a message of a megabyte.
const unstorable = 10n ** 126n;

/**
 * A caller's number as a message shows it (`the number 1e+200`), written out unless it is a
 * bigint of 127 digits or more, which is shown by its size alone.
 */
export function shownNumber(value: number | bigint): string {
  if (typeof value === 'bigint' && (value >= unstorable || value <= -unstorable))
    return `a ${value < 0n ? 'negative ' : ''}bigint of 127 digits or more`;
  return `the number ${String(value)}`;
}
