import type { ValidationProblem } from '@macaron/core';
import { valueAt } from '../spec/json-pointer.js';

// The fewest digits an integer beyond 2^53 has (9007199254740992).
const unsafeDigits = 16;
// Longer integers are read as `JSON.parse` reads them (Infinity beyond 309 digits): no
// property holds them, and turning a million digits into a bigint would take a while.
const maxExactDigits = 1000;

/**
 * Parses JSON text as `JSON.parse` does (it throws the same `SyntaxError`s, and every name,
 * `__proto__` included, is an own data property), except that an integer written with digits
 * only that a number cannot hold exactly (beyond 2^53) becomes a bigint instead of a rounded
 * number. Texts without an integer of 16 digits (most: the digits of a fraction or of a
 * string do not count) cost `JSON.parse` and a look at one character in 16; the others are
 * read twice.
 */
export function parseJsonExactly(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return hasLongInteger(text) ? readExactly(text) : value;
}

/**
 * True when the text holds an integer of 16 digits or more: 16 digits in a row, standing as a
 * whole JSON number (after `[`, `,`, `:`, a space or a `-`; before `]`, `}`, `,` or a space),
 * not a fraction's nor a mantissa's, nor a string of digits (`"1234567890123456789"`). Looks
 * at one character in 16 (any 16 in a row include one of them), and measures the run only
 * where that one is a digit.
 */
export function hasLongInteger(text: string): boolean {
  for (let position = unsafeDigits - 1; position < text.length; position += unsafeDigits) {
    if (!isDigit(text.charCodeAt(position))) continue;
    let start = position;
    let end = position;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    while (end + 1 < text.length && isDigit(text.charCodeAt(end + 1))) end++;
    if (end - start + 1 < unsafeDigits) continue;
    const sign = text.charCodeAt(start - 1) === 0x2d ? 1 : 0;
    if (standsBefore(text.charCodeAt(start - 1 - sign)) && standsAfter(text.charCodeAt(end + 1)))
      return true;
  }
  return false;
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
  let root: unknown;
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
      case 0x7b: {
        // {
        const object: Record<string, unknown> = {};
        add(object);
        containers.push(object);
        names.push(undefined);
        index++;
        break;
      }
      case 0x5b: {
        // [
        const array: unknown[] = [];
        add(array);
        containers.push(array);
        names.push(undefined);
        index++;
        break;
      }
      case 0x7d: // }
      case 0x5d: // ]
        containers.pop();
        names.pop();
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
        add(readNumber(text.slice(index, end)));
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

function readNumber(token: string): number | bigint {
  const value = Number(token);
  if (Number.isSafeInteger(value)) return value;
  const digits = token.charCodeAt(0) === 0x2d ? token.length - 1 : token.length;
  const integer = digits >= unsafeDigits && digits <= maxExactDigits && /^-?\d+$/.test(token);
  return integer ? BigInt(token) : value;
}

/**
 * Says what to do where a problem is an integer beyond 2^53 that a number holds: one written
 * with a fraction or an exponent (`1e20`, `9007199254740993.0`), since digits alone are read
 * exactly. Validation asks for a bigint, which a client cannot send; `root` is the value at
 * `rootPointer`, and problems from `from` on are looked at.
 */
export function explainInexactIntegers(
  problems: ValidationProblem[],
  from: number,
  root: unknown,
  rootPointer: string,
): void {
  for (let index = from; index < problems.length; index++) {
    const problem = problems[index]!;
    if (problem.keyword !== 'type' || !problem.message.includes('bigint')) continue;
    if (problem.pointer !== rootPointer && !problem.pointer.startsWith(`${rootPointer}/`)) continue;
    const value = valueAt(root, problem.pointer.slice(rootPointer.length));
    if (typeof value !== 'number' || !Number.isInteger(value) || Number.isSafeInteger(value))
      continue;
    problems[index] = {
      ...problem,
      message:
        'is an integer beyond 2^53 written with a fraction or an exponent, which is not read exactly: write it with digits only',
    };
  }
}
