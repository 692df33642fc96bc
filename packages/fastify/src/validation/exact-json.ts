import { appendPointer } from '../spec/json-pointer.js';

// The fewest digits an integer beyond 2^53 has (9007199254740992).
const unsafeDigits = 16;
// A decimal of up to 15 significant digits is the number nearest to it, written shortest (a
// double holds 15.95 digits): only longer ones may be rounded.
const heldDigits = 15;
// An integer written with a fraction or an exponent (`1e+20`, as Python's json writes large
// floats) is read exactly below 10^126, the largest integer core stores: `1e125` is five bytes
// of body, so a longer bigint would be built for nothing but a refusal. Such a number from
// 10^126 is refused at once: the nearest number would be inexact (and 1e126 is the same double
// as 9.999999999999999e125, which core stores).
const maxScaledDigits = 126;
// Integers written with digits only are read exactly up to this many: their digits are in the
// body, but turning a million of them into a bigint would take a while.
const maxExactDigits = 1000;
// Below 10^-323 (in orders of magnitude: digits before the point), JSON.parse reads 0.
const underflowOrder = -323;

/**
 * A JSON number that core could not store and that is not read: one from 1e126 (beyond
 * 1.8e308, `JSON.parse` reads Infinity), unless written with digits only (up to 1000, a
 * bigint); one that is not zero but below 5e-324, which `JSON.parse` reads as 0; or a
 * fraction that no number holds as written (`0.30000000000000001`, which `JSON.parse` reads
 * as 0.3). `pointer` is where it is, from the root of the text.
 */
export class JsonNumberRangeError extends RangeError {
  constructor(
    message: string,
    readonly pointer = '',
  ) {
    super(message);
    this.name = 'JsonNumberRangeError';
  }
}

/**
 * Parses JSON text as `JSON.parse` does (it throws the same `SyntaxError`s, and every name,
 * `__proto__` included, is an own data property), except for numbers that a number would not
 * hold exactly: an integer beyond 2^53 becomes a bigint instead of a rounded number, written
 * with digits only (up to 1000 of them) or with a fraction or an exponent (`1e+20`,
 * `1.5E21`, `12345678901234567890.0`, below 1e126). A number from 1e126 written otherwise,
 * below 5e-324 but not zero (read as 0), or a fraction whose nearest number is another
 * (`3.333333333333333333333333333`, read as 3.3333333333333335) throws a
 * `JsonNumberRangeError`. Texts without such a number (most) cost `JSON.parse`, a look at one
 * character in 16 and a search for exponents; the others are read twice.
 */
export function parseJsonExactly(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return mayReadOtherwise(text) ? readExactly(text) : value;
}

/**
 * True when the text may hold a number that `parseJsonExactly` does not read as `JSON.parse`
 * does: an integer from 10^15, however written, a number from 10^126, one below what a
 * double holds, or a fraction of 16 significant digits or more that its nearest number is
 * not (`0.30000000000000001`; `0.30000000000000004` is a number's own spelling).
 * Only numbers standing as a whole JSON value count (after `[`, `,`, `:` or a space; before
 * `]`, `}`, `,` or a space), not digits in a string (`"1234567890123456789"`, `"3e19"`). Runs
 * of 16 digits and points or more (any number of 16 significant digits has one) are found by
 * a look at one character in 16 (any 16 in a row include one of them); exponents by a regular
 * expression, which passes over the small ones Python writes (`1.5e-05`). Each number is
 * measured once.
 */
export function mayReadOtherwise(text: string): boolean {
  for (let position = unsafeDigits - 1; position < text.length; position += unsafeDigits) {
    if (!isMantissaCode(text.charCodeAt(position))) continue;
    let start = position;
    let end = position + 1;
    while (start > 0 && isMantissaCode(text.charCodeAt(start - 1))) start--;
    while (end < text.length && isMantissaCode(text.charCodeAt(end))) end++;
    if (end - start >= unsafeDigits) {
      const token = numberAround(text, start, end);
      if (token.read) return true;
      end = token.end;
    }
    // On past the run: digits in a long string are measured once.
    position = end - 1;
  }
  largeExponent.lastIndex = 0;
  while (largeExponent.test(text)) {
    // Back from the end of the match (after what follows the number) to its `e`.
    let exponent = largeExponent.lastIndex - 1;
    while ((text.charCodeAt(exponent) | 0x20) !== 0x65) exponent--;
    const token = numberAround(text, exponent - 1, exponent);
    if (token.read) return true;
    largeExponent.lastIndex = token.end;
  }
  return false;
}

// An exponent that may make an integer from 10^15, a number from 10^126 or one below what a
// double holds: positive, or negative of 3 digits at least; after a digit (`1.e5` is not JSON) and before
// what may follow a number, so that the digits of a UUID (`"123e4567-…"`) do not count.
const largeExponent = /\d[eE](?:\+?\d+|-\d{3,})(?:[\s,\]}]|$)/g;

/**
 * The number-like characters around `start`-`end` (digits, signs, points, exponents), and
 * whether they stand as a whole JSON number that may read otherwise.
 */
function numberAround(text: string, start: number, end: number): { end: number; read: boolean } {
  let from = start;
  let to = end;
  while (from > 0 && isNumberCode(text.charCodeAt(from - 1))) from--;
  while (to < text.length && isNumberCode(text.charCodeAt(to))) to++;
  const stands = standsBefore(text.charCodeAt(from - 1)) && standsAfter(text.charCodeAt(to));
  return { end: to, read: stands && readsOtherwise(text.slice(from, to)) };
}

/**
 * A JSON number in decimal: its value is ±(significant digits) × 10^power, the digits without
 * leading or trailing zeros (none for zero). `first` and `last` are the indices of the first
 * and last significant digit in the text.
 */
interface Decimal {
  count: number;
  power: number;
  first: number;
  last: number;
}

function decimalOf(text: string, start: number, end: number): Decimal {
  let mantissaEnd = end;
  let exponent = 0;
  for (let index = start; index < end; index++) {
    if ((text.charCodeAt(index) | 0x20) === 0x65) {
      mantissaEnd = index;
      exponent = exponentOf(text, index + 1, end);
      break;
    }
  }
  let point = mantissaEnd;
  let first = -1;
  let last = -1;
  for (let index = start; index < mantissaEnd; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x2e) point = index;
    else if (code > 0x30 && code <= 0x39) {
      if (first < 0) first = index;
      last = index;
    }
  }
  if (first < 0) return { count: 0, power: 0, first, last };
  const count = last - first + 1 - (first < point && point < last ? 1 : 0);
  const power = exponent + (last < point ? point - last - 1 : point - last);
  return { count, power, first, last };
}

// The exponent written from `start` to `end`, held to ±10^10 (a power no number reaches);
// NaN when it is not digits.
function exponentOf(text: string, start: number, end: number): number {
  let index = start;
  const sign = text.charCodeAt(index) === 0x2d ? -1 : 1;
  if (sign < 0 || text.charCodeAt(index) === 0x2b) index++;
  if (index === end) return Number.NaN;
  let magnitude = 0;
  for (; index < end; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return Number.NaN;
    if (magnitude < 1e9) magnitude = magnitude * 10 + digit;
  }
  return sign * magnitude;
}

// Whether a number may read otherwise than JSON.parse reads it: an integer from 10^15 (2^53
// is 9.007e15), a number from 10^126, one below what a double holds, or a fraction that its
// nearest number is not. Number-like words of a string that are no number (`1.2.3`) are not.
function readsOtherwise(token: string): boolean {
  // Most numbers long enough to be looked at: a fraction of 16 or 17 digits, written as
  // JavaScript and Python write the number they hold.
  const value = Number(token);
  if (!Number.isInteger(value) && String(value) === token) return false;
  const decimal = decimalOf(token, 0, token.length);
  const { count, power } = decimal;
  if (count === 0) return false;
  const order = count + power;
  if ((power >= 0 && order >= unsafeDigits) || order > maxScaledDigits || order <= underflowOrder)
    return true;
  if (power >= 0 || count <= heldDigits) return false;
  return !Number.isNaN(value) && !isNumberWritten(token, value, decimal);
}

/**
 * Whether `value`, the number nearest to the decimal `token`, is the number it writes: the
 * shortest spelling of `value` (`String`'s), or its spelling to the precision written, up to
 * the 17 significant digits that tell every double apart (C's `%.17g`, jq, PostgreSQL's
 * `float8` output), has the same significant digits at the same power of ten. Values are
 * compared, not spellings: `2.50`, `25e-1` and `0.25e1` are 2.5, `0.10000000000000001` is
 * 0.1 written to 17 digits, and `0.30000000000000001` is no spelling of 0.3.
 */
function isNumberWritten(token: string, value: number, decimal?: Decimal): boolean {
  const spelling = String(value);
  // Most often written so: JavaScript and Python write the shortest spelling.
  if (spelling === token) return true;
  const written = decimal ?? decimalOf(token, 0, token.length);
  if (sameDecimal(token, written, spelling)) return true;
  return (
    written.count <= doubleDigits && sameDecimal(token, written, value.toPrecision(written.count))
  );
}

// Significant digits that tell every double apart.
const doubleDigits = 17;

function sameDecimal(token: string, written: Decimal, spelling: string): boolean {
  const other = decimalOf(spelling, 0, spelling.length);
  return (
    written.count === other.count &&
    written.power === other.power &&
    significantDigits(token, written) === significantDigits(spelling, other)
  );
}

function significantDigits(text: string, { first, last }: Decimal): string {
  return text.slice(first, last + 1).replace('.', '');
}

// What a JSON number may follow: nothing (NaN, the start of the text), `[`, `,`, `:`, a space.
function standsBefore(code: number): boolean {
  return Number.isNaN(code) || code === 0x5b || code === 0x2c || code === 0x3a || isSpace(code);
}

// What may follow a JSON number: nothing (the end of the text), `]`, `}`, `,`, a space.
function standsAfter(code: number): boolean {
  return Number.isNaN(code) || code === 0x5d || code === 0x7d || code === 0x2c || isSpace(code);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

// Digits and the decimal point: the characters of a number's significant digits.
function isMantissaCode(code: number): boolean {
  return isDigit(code) || code === 0x2e;
}

// Digits, signs, the decimal point and the exponent: the characters of a JSON number.
function isNumberCode(code: number): boolean {
  return isDigit(code) || code === 0x2d || code === 0x2b || code === 0x2e || (code | 0x20) === 0x65;
}

/**
 * Reads JSON text that `JSON.parse` has accepted, so its syntax is not checked again. Without
 * recursion: a body nested 100 000 deep reads as `JSON.parse` reads it.
 */
function readExactly(text: string): unknown {
  const containers: (Record<string, unknown> | unknown[])[] = [];
  // The name read in each open object, waiting for its value.
  const names: (string | undefined)[] = [];
  // Where each open container is in its parent, for the pointer of a number out of range.
  const keys: (string | number)[] = [];
  let root: unknown;
  // Where the next value goes in the innermost container: its name, or its index.
  const nextKey = (): string | number => {
    const depth = containers.length;
    if (depth === 0) return '';
    const container = containers[depth - 1]!;
    return Array.isArray(container) ? container.length : names[depth - 1]!;
  };
  const add = (value: unknown): void => {
    const depth = containers.length;
    if (depth === 0) {
      root = value;
      return;
    }
    const container = containers[depth - 1]!;
    if (Array.isArray(container)) {
      container.push(value);
      return;
    }
    // An own data property whatever the name, as JSON.parse makes it: a name the object has
    // already, or inherits (`__proto__`, `toString`, frozen or not), is defined, never set.
    const name = names[depth - 1]!;
    if (name in container) {
      Object.defineProperty(container, name, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      container[name] = value;
    }
    names[depth - 1] = undefined;
  };
  const open = (container: Record<string, unknown> | unknown[]): void => {
    keys.push(nextKey());
    add(container);
    containers.push(container);
    names.push(undefined);
  };
  let index = 0;
  while (index < text.length) {
    switch (text.charCodeAt(index)) {
      case 0x20: // space
      case 0x09: // tab
      case 0x0a: // line feed
      case 0x0d: // carriage return
      case 0x2c: // ,
      case 0x3a: // :
        index++;
        break;
      case 0x7b: // {
        open({});
        index++;
        break;
      case 0x5b: // [
        open([]);
        index++;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        containers.pop();
        names.pop();
        keys.pop();
        index++;
        break;
      case 0x22: {
        // "
        const end = stringEnd(text, index);
        const value = readString(text, index, end);
        index = end + 1;
        const depth = containers.length;
        const inObject = depth > 0 && !Array.isArray(containers[depth - 1]);
        if (inObject && names[depth - 1] === undefined) names[depth - 1] = value;
        else add(value);
        break;
      }
      case 0x74: // true
        add(true);
        index += 4;
        break;
      case 0x66: // false
        add(false);
        index += 5;
        break;
      case 0x6e: // null
        add(null);
        index += 4;
        break;
      default: {
        let end = index + 1;
        while (end < text.length && isNumberCode(text.charCodeAt(end))) end++;
        let value: number | bigint;
        try {
          value = readNumberExactly(text.slice(index, end));
        } catch (error) {
          // Out of range (nothing else throws), said where: the root's key is '' (no token),
          // the pointer starts at the first container's.
          throw new JsonNumberRangeError(
            (error as JsonNumberRangeError).message,
            appendPointer('', ...keys.slice(1), ...(containers.length > 0 ? [nextKey()] : [])),
          );
        }
        add(value);
        index = end;
      }
    }
  }
  return root;
}

// The index of the quote that closes the string opening at `start`: the first one not escaped.
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

function readString(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
}

/**
 * Reads one JSON number exactly (the text of a parameter too: a leading `+`, `.5` and `5.`
 * are read as `Number` reads them). An integer beyond 2^53 is a bigint: written with digits
 * only up to 1000 of them, with a fraction or an exponent below 1e126. Anything else is the
 * number `Number` reads when it is the number written (`0.1`, `2.50`, `1.5e3`: see
 * isNumberWritten), else a `JsonNumberRangeError`: from 1e126, a 0 that was not zero, and a
 * fraction whose nearest number is another (`0.30000000000000001`, `9007199254740993.5`).
 */
export function readNumberExactly(token: string): number | bigint {
  const value = Number(token);
  // Most numbers: a safe integer, or a fraction, that is the number written. Up to 16
  // characters, a number has at most 15 significant digits, or is an integer of digits only.
  if (
    value !== 0 &&
    Number.isFinite(value) &&
    (Number.isSafeInteger(value) || !Number.isInteger(value))
  ) {
    if (token.length <= unsafeDigits || isNumberWritten(token, value)) return value;
    throw new JsonNumberRangeError(`${notHeld} (the nearest is ${String(value)})`);
  }
  const decimal = decimalOf(token, 0, token.length);
  if (decimal.count === 0) return value; // 0, -0, 0.0e5: as JSON.parse reads them
  const order = decimal.count + decimal.power;
  if (decimal.power >= 0) {
    if (order <= maxExactDigits && /^-?\d+$/.test(token)) return BigInt(token);
    if (order <= maxScaledDigits) {
      const digits = token.slice(decimal.first, decimal.last + 1).replace('.', '');
      const magnitude = BigInt(digits) * powerOfTen(decimal.power);
      return token.charCodeAt(0) === 0x2d ? -magnitude : magnitude;
    }
  }
  if (order > maxScaledDigits) throw new JsonNumberRangeError(tooLarge);
  if (value === 0) throw new JsonNumberRangeError('is too small to be stored (below 1e-130)');
  // A fraction from 2^53: its nearest number is an integer, never the number written.
  throw new JsonNumberRangeError(
    'is beyond 2^53 and not an integer: a number cannot hold it exactly',
  );
}

// As core says it of a bigint.
const tooLarge = 'is too large to be stored (1e126 or above)';
// A fraction read as its nearest number would be another number: refused, never rounded.
const notHeld = 'is no number JavaScript holds exactly';

// 10^0 to 10^125, made once: a body of `1e+125` builds one bigint per six bytes.
const powersOfTen: bigint[] = [];

function powerOfTen(power: number): bigint {
  for (let next = powersOfTen.length; next <= power; next++)
    powersOfTen.push(next === 0 ? 1n : powersOfTen[next - 1]! * 10n);
  return powersOfTen[power]!;
}
