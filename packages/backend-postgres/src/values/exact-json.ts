import type { StoredValue } from '@macaron/core';
import { parseExactNumber } from '@macaron/core/backend';

/**
 * Parses JSON without losing a number: integers beyond 2^53 become bigints, and a number no
 * JavaScript number holds exactly is an error, never a rounding (or, given `inexactMark`, that
 * mark in its place, for a reader that wants other values of the text). Names such as `__proto__`
 * are own data properties. Falls back to this only when `JSON.parse` could round. Reads any
 * nesting `JSON.parse` reads (without recursion), so that a long number never makes a deep
 * item unreadable.
 */
export function parseExactJson(text: string, inexactMark?: StoredValue): StoredValue {
  const parser = new ExactJsonParser(text, inexactMark);
  const value = parser.value();
  parser.end();
  return value;
}

/**
 * True when the text holds 16 or more digits (and dots) in a row: a number of jsonb's text that
 * `JSON.parse` could round. Looks at one character in 16, and measures the run only where one
 * of those is a digit or a dot.
 */
export function hasLongNumberRun(text: string): boolean {
  for (let position = 15; position < text.length; position += 16) {
    if (!isNumberCode(text.charCodeAt(position))) continue;
    let start = position;
    let end = position;
    while (start > 0 && isNumberCode(text.charCodeAt(start - 1))) start--;
    while (end + 1 < text.length && isNumberCode(text.charCodeAt(end + 1))) end++;
    if (end - start + 1 >= 16) return true;
  }
  return false;
}

function isNumberCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2e;
}

/**
 * Parses the text output of PostgreSQL's jsonb without losing a number: `JSON.parse` where
 * no number can round, the exact parser otherwise. jsonb writes every number in plain
 * decimal (1e400 as a 1 and 400 zeros), so only 16 or more digits in a row can round.
 */
export function parseJsonbTextExactly(text: string): StoredValue {
  return hasLongNumberRun(text) ? parseExactJson(text) : (JSON.parse(text) as StoredValue);
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

// A list or map the parser is inside of, and for a map the name its next value takes.
type OpenContainer =
  | { readonly list: StoredValue[] }
  | { readonly map: Record<string, StoredValue>; name: string };

/**
 * Reads JSON text with a stack of its own instead of the call stack, so that it reads any
 * nesting `JSON.parse` reads (PostgreSQL stores items far deeper than DynamoDB's 32 levels).
 */
class ExactJsonParser {
  private position = 0;
  // The containers the parser is inside of: where a failure is, as a JSON pointer.
  private readonly open: OpenContainer[] = [];

  constructor(
    private readonly text: string,
    private readonly inexactMark?: StoredValue,
  ) {}

  value(): StoredValue {
    const open = this.open;
    for (;;) {
      // A value starts here: a container opens, or a whole value is read.
      let value: StoredValue;
      this.skipSpace();
      switch (this.text[this.position]) {
        case '{':
          this.position++;
          this.skipSpace();
          if (this.text[this.position] === '}') {
            this.position++;
            value = {};
            break;
          }
          open.push({ map: {}, name: this.name() });
          continue;
        case '[':
          this.position++;
          this.skipSpace();
          if (this.text[this.position] === ']') {
            this.position++;
            value = [];
            break;
          }
          open.push({ list: [] });
          continue;
        case '"':
          value = this.string();
          break;
        case 't':
          value = this.literal('true', true);
          break;
        case 'f':
          value = this.literal('false', false);
          break;
        case 'n':
          value = this.literal('null', null);
          break;
        default:
          value = this.number();
      }
      // The value goes into its container, and every container it completes into theirs.
      for (;;) {
        const container = open[open.length - 1];
        if (container === undefined) return value;
        this.skipSpace();
        const next = this.text[this.position++];
        if ('list' in container) {
          container.list.push(value);
          if (next === ',') break;
          if (next !== ']') this.fail('expected , or ]');
          value = container.list;
        } else {
          Object.defineProperty(container.map, container.name, {
            value,
            writable: true,
            enumerable: true,
            configurable: true,
          });
          if (next === ',') {
            container.name = this.name();
            break;
          }
          if (next !== '}') this.fail('expected , or }');
          value = container.map;
        }
        open.pop();
      }
    }
  }

  end(): void {
    this.skipSpace();
    if (this.position !== this.text.length) this.fail('unexpected text after the value');
  }

  // A member's name and its colon.
  private name(): string {
    this.skipSpace();
    if (this.text[this.position] !== '"') this.fail('expected a name');
    const name = this.string();
    this.skipSpace();
    if (this.text[this.position++] !== ':') this.fail('expected :');
    return name;
  }

  private string(): string {
    const start = this.position;
    let index = start + 1;
    let escaped = false;
    for (;;) {
      const code = this.text.charCodeAt(index);
      if (Number.isNaN(code)) this.fail('unterminated string');
      if (code === 0x5c) {
        escaped = true;
        index += 2;
        continue;
      }
      if (code === 0x22) break;
      index++;
    }
    this.position = index + 1;
    const raw = this.text.slice(start, index + 1);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  private number(): StoredValue {
    numberPattern.lastIndex = this.position;
    const match = numberPattern.exec(this.text);
    if (!match) this.fail('unexpected character');
    this.position += match[0].length;
    const number = parseExactNumber(match[0]);
    if (number === undefined && this.inexactMark !== undefined) return this.inexactMark;
    if (number === undefined)
      this.fail(
        `the number ${match[0]} (at ${this.pointer()}) has no exact JavaScript value (more digits than a double)`,
      );
    return number;
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.position)) this.fail('unexpected literal');
    this.position += word.length;
    return value;
  }

  private skipSpace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.position);
      // Space, tab, line feed, carriage return: JSON's whitespace.
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return;
      this.position++;
    }
  }

  // Where the value being read goes, as a JSON pointer (RFC 6901).
  private pointer(): string {
    return this.open
      .map((container) =>
        'list' in container
          ? `/${container.list.length}`
          : `/${container.name.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      )
      .join('');
  }

  private fail(message: string): never {
    throw new SyntaxError(`Stored JSON at ${this.position}: ${message}`);
  }
}
