/**
 * A path the user typed, as a one-line failure names it: quoted and escaped when it holds a
 * control character (a line break would cut the message, which keeps its first line).
 */
export function shownPath(path: string): string {
  return [...path].some((character) => character < ' ' || character === '\u007f')
    ? JSON.stringify(path)
    : path;
}
