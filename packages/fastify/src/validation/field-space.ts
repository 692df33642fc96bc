/**
 * An item of an HTTP list without the optional whitespace around it (spaces and tabs), found
 * by a walk from each end: the pattern `^[ \t]+|[ \t]+$` tries every run of spaces inside the
 * item to the end, quadratic in the run (15,000 spaces in a header: 81 ms).
 */
export function withoutFieldSpace(item: string): string {
  let start = 0;
  let end = item.length;
  while (start < end && isFieldSpace(item.charCodeAt(start))) start++;
  while (end > start && isFieldSpace(item.charCodeAt(end - 1))) end--;
  return start === 0 && end === item.length ? item : item.slice(start, end);
}

function isFieldSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
