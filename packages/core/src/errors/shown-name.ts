import { shownBigint } from './shown-number.js';

// What a message must not hold as is: controls (C0, DEL, C1: a line break starts a line of its
// own in a log, ESC a terminal escape sequence), line and paragraph separators, the bidi
// controls that reorder what follows them on screen, and lone surrogates (no UTF-8 text, a log
// line or a response, holds one: each becomes U+FFFD, so two names would show alike; with the
// `u` flag, the range matches only a surrogate that is not half of a pair). A name or value a
// caller sent may hold any of them.
const unsafe =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

// Past these many characters a message shows a name, or a text or value, by its two ends and a
// digest of the whole: a name may be 65,535 bytes long and a caller's value far longer, and a
// message (a log line, a 400's body) that repeats it whole grows with it. Texts made of names (a list of a table's
// differences) are given more room.
const nameLength = 1_000;
const textLength = 8_000;

// A digest of a whole text a message shows by its two ends (8 hex digits of its 32-bit FNV-1a
// hash, over its UTF-16 code units): two names that differ only in the middle show apart.
function digest(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function bounded(text: string, length: number): string {
  if (text.length <= length) return text;
  let head = Math.floor(length / 2) - 20;
  let tail = text.length - head;
  // The ends are cut between the halves of no surrogate pair.
  if (isHighSurrogate(text.charCodeAt(head - 1))) head -= 1;
  if (isHighSurrogate(text.charCodeAt(tail - 1))) tail += 1;
  return `${text.slice(0, head)}…[${(tail - head).toLocaleString('en-US')} characters left out, digest ${digest(text)}]…${text.slice(tail)}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function escaped(character: string): string {
  return `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`;
}

/**
 * A name (an attribute's, a property's, an index's) as an error message shows it: as it is,
 * or quoted and escaped as JSON (U+2028, U+2029, C1 and bidi controls too) when it holds a
 * character that would cut the message's line, start a terminal escape sequence or reorder
 * the text.
 */
export function shownName(name: string): string {
  return name.search(unsafe) === -1 ? bounded(name, nameLength) : quotedName(name);
}

// Past these many items a message shows a list (a spec's schemas, an enum's values) by its first
// ones and their count: a spec may have thousands, and a message (a log line, a 400's body) that
// repeats every one grows with the spec.
const listLength = 50;

/** A list as a message shows it, each item by `show`: the first 50, and how many in all past that. */
export function shownList<T>(items: readonly T[], show: (item: T) => string): string {
  const shown = items.slice(0, listLength).map(show).join(', ');
  return items.length <= listLength
    ? shown
    : `${shown}, … (${items.length.toLocaleString('en-US')} in all)`;
}

/** A name quoted as JSON quotes it, with the characters `shownName` escapes escaped too. */
export function quotedName(name: string): string {
  return JSON.stringify(bounded(name, nameLength)).replace(unsafe, escaped);
}

/** Text made of names (a JSON pointer, a list of differences) with those characters escaped. */
export function shownText(text: string): string {
  const kept = bounded(text, textLength);
  return kept.search(unsafe) === -1 ? kept : kept.replace(unsafe, escaped);
}

/**
 * A value of any kind (a spec's, an option's) as a message shows it: its JSON (`undefined` for
 * none), with the characters `shownName` escapes escaped too, which JSON leaves as they are.
 * A bigint, a symbol and a function show as `10n`, `Symbol(s)` and `a function`; a value JSON
 * cannot write (a cyclic or too deeply nested object, one whose getter or proxy trap throws) as
 * such: a caller from JavaScript may pass any of them, and the message must still be the error
 * that names the option.
 */
export function shownJson(value: unknown): string {
  if (typeof value === 'bigint') return shownBigint(value);
  if (typeof value === 'symbol') return shownText(value.toString());
  if (typeof value === 'function') return 'a function';
  try {
    return shownText(String(JSON.stringify(value)));
  } catch {
    return 'a value JSON cannot write';
  }
}
