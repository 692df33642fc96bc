/**
 * A path the user typed, as a one-line failure names it: quoted and escaped when it holds a
 * control character (a line break would cut the message, which keeps its first line).
 */
export function shownPath(path: string): string {
  return [...path].some((character) => character < ' ' || character === '\u007f')
    ? JSON.stringify(path)
    : path;
}

// What a name must not print as is: controls (C0, DEL, C1: a line break starts a line of its
// own, ESC a terminal escape sequence), line and paragraph separators, and the bidi controls
// that reorder what follows them on screen.
const unsafe =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function escaped(character: string): string {
  return `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`;
}

/**
 * A name from a spec (an attribute's) as a line of output shows it: as it is, or quoted and
 * escaped (as JSON, and U+2028, U+2029, C1 and bidi controls too) when it holds a character
 * that would cut the line, start a terminal escape sequence or reorder the text.
 */
export function shownName(name: string): string {
  return name.search(unsafe) === -1 ? name : JSON.stringify(name).replace(unsafe, escaped);
}

/** Text made of names (a difference the backend reports) with those characters escaped. */
export function shownText(text: string): string {
  return text.replace(unsafe, escaped);
}
