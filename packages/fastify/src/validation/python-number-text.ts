/**
 * The text of an integer or a number as Python's `int()` and `float()` read it, which
 * PyMacaron (bravado-core) cast parameters with: spaces around it are not part of it (`+` in a
 * query is a space: `limit=+1`), and an underscore between two digits groups them (`1_000`).
 * A text with an underscore anywhere else (`1__0`, `_1`, `1_`, `1_.5`), which Python refuses,
 * is left as it is, for validation to refuse. Other whitespace (tabs, newlines) stays: only
 * spaces are taken off.
 */
export function pythonNumberText(text: string): string {
  // A walk from each end: the pattern ` +$` is quadratic in a run of spaces inside the text.
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  const trimmed = text.slice(start, end);
  if (!trimmed.includes('_')) return trimmed;
  const grouped = trimmed.replace(/(?<=\d)_(?=\d)/g, '');
  return grouped.includes('_') ? text : grouped;
}
