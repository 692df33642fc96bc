import { shownText } from '@macaron/core/backend';
import { pointerStep } from './json-pointer.js';

// An object or list the scan is inside of: an object's member names so far and the name of
// the member being read, a list's position.
type Frame =
  | { readonly names: Set<string>; name: string; expectsName: boolean }
  | { readonly names: undefined; position: number };

/**
 * Throws a TypeError when JSON text (as a `json` column holds it: any JSON PostgreSQL's `json`
 * input takes) names one member of an object twice, at any depth, `"a"` and `"\u0061"` alike.
 * `json` keeps both; `jsonb`, which every read casts the item to, and `JSON.parse` keep the
 * last one only, and the next write would store that one alone: the item cannot be read
 * exactly. Reads any nesting (a stack of its own, no recursion).
 */
export function checkMembersNamedOnce(text: string, what: string): void {
  const open: Frame[] = [];
  let top: Frame | undefined;
  const length = text.length;
  for (let position = 0; position < length; position++) {
    const code = text.charCodeAt(position);
    if (code === 0x22) {
      const start = position;
      position = closingQuote(text, start);
      if (top?.names === undefined || !top.expectsName) continue;
      const name = stringAt(text, start, position);
      top.expectsName = false;
      top.name = name;
      if (top.names.has(name))
        throw new TypeError(
          `${what} names one member twice (at ${shownText(pointerTo(open))}): its column, of type json, keeps both, a read would give the last alone and a write back lose the other`,
        );
      top.names.add(name);
    } else if (code === 0x7b) {
      top = { names: new Set(), name: '', expectsName: true };
      open.push(top);
    } else if (code === 0x5b) {
      top = { names: undefined, position: 0 };
      open.push(top);
    } else if (code === 0x7d || code === 0x5d) {
      open.pop();
      top = open[open.length - 1];
    } else if (code === 0x2c && top !== undefined) {
      if (top.names === undefined) top.position++;
      else top.expectsName = true;
    }
  }
}

// The pointer of the member the scan is at (RFC 6901).
function pointerTo(open: readonly Frame[]): string {
  let pointer = '';
  for (let depth = 0; depth < open.length; depth++) {
    const frame = open[depth]!;
    pointer += `/${frame.names === undefined ? frame.position : pointerStep(frame.name)}`;
  }
  return pointer;
}

/**
 * Whether JSON text whose top level is an object names the member `name` there more than once
 * (`"kind"` and `"\u006bind"` alike), as a `json` column keeps it. PostgreSQL's operators
 * (`->>`), `jsonb` and `JSON.parse` take the last; other readers may take the first: a
 * discriminator named twice does not say for sure which model the item is of.
 */
export function namesTopMemberTwice(text: string, name: string): boolean {
  // Per open object or list, whether it is an object; a name is expected at the top level only.
  const open: boolean[] = [];
  let expectsName = false;
  let seen = 0;
  const length = text.length;
  for (let position = 0; position < length; position++) {
    const code = text.charCodeAt(position);
    if (code === 0x22) {
      const start = position;
      position = closingQuote(text, start);
      if (open.length !== 1 || !expectsName) continue;
      expectsName = false;
      if (stringAt(text, start, position) === name && ++seen > 1) return true;
    } else if (code === 0x7b || code === 0x5b) {
      open.push(code === 0x7b);
      if (open.length === 1) expectsName = code === 0x7b;
    } else if (code === 0x7d || code === 0x5d) {
      open.pop();
    } else if (code === 0x2c && open.length === 1 && open[0]) {
      expectsName = true;
    }
  }
  return false;
}

// The position of the quote that closes the JSON string opening at `start`, past escaped
// characters (the text's length when it is not closed).
function closingQuote(text: string, start: number): number {
  let position = start + 1;
  for (; position < text.length; position++) {
    const code = text.charCodeAt(position);
    if (code === 0x22) break;
    if (code === 0x5c) position++;
  }
  return position;
}

// The value of the JSON string from `start` to `end` (its quotes).
function stringAt(text: string, start: number, end: number): string {
  const raw = text.slice(start, end + 1);
  return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
}
