/*
 * PostgreSQL's `text` and `jsonb` cannot hold U+0000. Strings that contain it are escaped,
 * in two ways, both documented in docs/backends/postgres.md:
 *
 * - inside the item's JSON, readably: `\` becomes `\\` and U+0000 becomes `\0`, only in the
 *   strings (and map keys) that hold a U+0000, which `item_types` marks with `Z`;
 * - in text key columns, preserving UTF-8 byte order (so ORDER BY and ranges stay exact):
 *   U+0001 becomes U+0001 U+0002 and U+0000 becomes U+0001 U+0001.
 */

const nul = '\u0000';
const one = '\u0001';

/** True when the string cannot be stored in PostgreSQL as it is. */
export function hasNul(text: string): boolean {
  return text.includes(nul);
}

/** The readable escape of a string holding U+0000, as stored inside the item's JSON. */
export function escapeJsonString(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll(nul, '\\0');
}

/**
 * Reverses `escapeJsonString`, as strictly as it writes: a backslash not followed by `\` or
 * `0` is no text it wrote (read leniently, a write-back would change the stored text).
 */
export function unescapeJsonString(text: string): string {
  return text.replace(/\\(.|$)/gs, (_match, escaped: string) => {
    if (escaped === '0') return nul;
    if (escaped === '\\') return '\\';
    throw new TypeError(
      'a text item_types marks as escaped holds a backslash that escapes nothing',
    );
  });
}

/** The order-preserving escape of a key string, as stored in a `text COLLATE "C"` column. */
export function escapeKeyText(text: string): string {
  if (!text.includes(nul) && !text.includes(one)) return text;
  return text.replaceAll(one, `${one}\u0002`).replaceAll(nul, `${one}${one}`);
}

/** Reverses `escapeKeyText`. */
export function unescapeKeyText(text: string): string {
  if (!text.includes(one)) return text;
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character !== one) {
      result += character;
      continue;
    }
    result += text[index + 1] === one ? nul : one;
    index++;
  }
  return result;
}
