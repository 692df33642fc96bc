/**
 * `JSON.stringify(value)`, with each value `digitsOf` gives digits for written as those digits:
 * a number JSON cannot write as it is (a bigint, a decimal with more digits than a double) and
 * stays a number. `digitsOf` is called as a replacer is, with the object holding the value.
 */
export function jsonWithDigits(
  value: unknown,
  digitsOf: (holder: object, key: string, value: unknown) => string | undefined,
): string {
  // Each such value is written as a marked string, then as its digits. A string or a name of
  // the value may spell the mark too (`\0digits0:42`), which would become a number: the next
  // mark is tried until the marked strings are just those written.
  for (let attempt = 0; ; attempt++) {
    const mark = `\u0000digits${attempt}:`;
    let marks = 0;
    const text = JSON.stringify(value, function (this: object, key: string, member: unknown) {
      const digits = digitsOf(this, key, member);
      if (digits === undefined) return member;
      marks++;
      return `${mark}${digits}`;
    });
    if (marks === 0) return text;
    // JSON writes U+0000 as `\u0000`.
    const marked = new RegExp(String.raw`"\\u0000digits${attempt}:(-?[\d.eE+-]+)"`, 'g');
    if (text.match(marked)?.length === marks) return text.replace(marked, '$1');
  }
}
