import { shownText } from '@macaron/core/backend';

/** Length of the longest excerpt of a request (URL, property name) that an error reply echoes. */
export const excerptLength = 80;

/**
 * A short, escaped excerpt of text taken from a request, for error replies: at most
 * `maxLength` characters of it (then `…`), control characters written as `\u001b`.
 */
export function requestExcerpt(text: string, maxLength = excerptLength): string {
  let kept = text.length > maxLength ? text.slice(0, maxLength) : text;
  // Never cut a surrogate pair in half.
  if (kept.length < text.length && /[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  // What could rewrite a terminal or a log line when echoed (controls, separators, bidi
  // controls) escaped, as core's messages escape it.
  const escaped = shownText(kept);
  return kept.length < text.length ? `${escaped}…` : escaped;
}
