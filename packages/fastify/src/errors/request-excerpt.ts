/** Length of the longest excerpt of a request (URL, property name) that an error reply echoes. */
export const excerptLength = 80;

// Characters that could rewrite a terminal or a log line when echoed: C0 and C1 controls,
// DEL, line and paragraph separators, bidirectional overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A short, escaped excerpt of text taken from a request, for error replies: at most
 * `maxLength` characters of it (then `…`), control characters written as `\u001b`.
 */
export function requestExcerpt(text: string, maxLength = excerptLength): string {
  let kept = text.length > maxLength ? text.slice(0, maxLength) : text;
  // Never cut a surrogate pair in half.
  if (kept.length < text.length && /[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  const escaped = kept.replace(
    unsafeCharacter,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return kept.length < text.length ? `${escaped}…` : escaped;
}
