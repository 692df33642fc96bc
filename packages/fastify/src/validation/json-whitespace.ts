/**
 * Whether a text is only JSON's whitespace: space, tab, LF and CR (RFC 8259 §2). Not
 * `text.trim() === ''`, which takes any Unicode space (NBSP, U+2028, U+3000) and a BOM too.
 */
export function isJsonWhitespace(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return false;
  }
  return true;
}
