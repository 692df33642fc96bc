import { shownJson } from '../errors/shown-name.js';
import { SpecError, type SpecProblem } from '../errors/spec-error.js';

/**
 * The pattern of a schema that no JavaScript engine compiles (Java's `\p{Print}`, an unclosed
 * `[`): it never matches silently, it throws a `SpecError` naming its JSON pointer whenever a
 * value is checked against it. Only the schemas that use it are unusable; the spec loads.
 */
export class UnusablePattern extends RegExp {
  /** Where the pattern is and why it does not compile. */
  readonly problem: SpecProblem;

  constructor(problem: SpecProblem) {
    super('(?!)');
    this.problem = problem;
  }

  override exec(): RegExpExecArray | null {
    throw new SpecError('A schema of the spec cannot be used', [this.problem]);
  }

  override test(): boolean {
    throw new SpecError('A schema of the spec cannot be used', [this.problem]);
  }
}

/**
 * A pattern compiled in Unicode mode from another spelling of it (`\_` as `\u{5f}`). Its
 * `source` is that spelling, as any RegExp's, so `new RegExp(p.source, p.flags)` and
 * `String(p)` rebuild it (the spec's text does not compile in Unicode mode); messages show the
 * spec's text, which `patternText` gives.
 */
class RespeltPattern extends RegExp {
  readonly #written: string;

  // What split and matchAll make from it is a plain RegExp of the spelling it runs.
  static override get [Symbol.species](): RegExpConstructor {
    return RegExp;
  }

  constructor(written: string, spelling: string) {
    super(spelling, 'u');
    this.#written = written;
  }

  /** The pattern as the spec wrote it. */
  get written(): string {
    return this.#written;
  }
}

/** A schema's pattern as the spec wrote it (`[\w\-\_]`), for messages: its source else. */
export function patternText(pattern: RegExp): string {
  return pattern instanceof RespeltPattern ? pattern.written : pattern.source;
}

/**
 * Compiles a schema's `pattern` as OpenAPI's JSON Schema dialects mean it (an ECMA-262 regular
 * expression): in Unicode mode, which reads it by code points as string lengths are; a pattern
 * Unicode mode rejects only for escaping a character that needs no escape (`[\w\-\_]`,
 * `\,`, which real specs publish) in Unicode mode with those escapes spelt as code points;
 * else in non-Unicode mode, when only Unicode mode rejects it (`[\w-.]`). A pattern whose
 * meaning non-Unicode mode would change (`\p{Print}` would match the text `p{Print}`, `\A` the
 * letter A, `{,3}` the text `{,3}`, `[[:alpha:]]` one of `[:alph` then `]`) or that compiles
 * in neither mode is an `UnusablePattern`.
 */
export function compilePattern(source: string, pointer: string): RegExp {
  let reason: string;
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    reason = syntaxReason(error);
  }
  const unescaped = withoutIdentityEscapes(source);
  if (unescaped !== source)
    try {
      return new RespeltPattern(source, unescaped);
    } catch {
      // Not the escapes alone: the reason stays the pattern's own.
    }
  const unicodeOnly = unicodeOnlyEscape(source);
  if (unicodeOnly === undefined) {
    try {
      return new RegExp(source);
    } catch (error) {
      reason = syntaxReason(error);
    }
  }
  return new UnusablePattern({
    pointer,
    message: `pattern ${shownJson(source)} is not a regular expression JavaScript can run (${reason}); the schemas that use it cannot validate values`,
  });
}

// "Invalid regular expression: /…/u: Invalid property name" → "Invalid property name".
function syntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(message.lastIndexOf(': ') + 2) || message;
}

// Letters whose escape means something in a non-Unicode JavaScript pattern; any other escaped
// letter (PCRE's `\A`, `\Z`, `\z`, `\a`, `\p` without braces) is read there as the letter itself.
const meaningfulEscapes = new Set('dDwWsSbBnrtfvcxuk');

// The characters Unicode mode takes escaped anywhere (`-` only inside a class).
const syntaxCharacters = new Set('^$\\.*+?()[]{}|/');

/**
 * The pattern with each escape of a character that is neither a letter, a digit nor a syntax
 * character (`\_`, `\,`, `\@`, `\-` outside a class) spelt as its code point (`\u{5f}`): every
 * dialect reads such an escape as the character itself, and Unicode mode refuses it.
 */
function withoutIdentityEscapes(source: string): string {
  let result = '';
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index]!;
    if (character !== '\\') {
      if (character === '[') inClass = true;
      else if (character === ']') inClass = false;
      result += character;
      continue;
    }
    const code = source.codePointAt(index + 1);
    if (code === undefined) return source;
    const escaped = String.fromCodePoint(code);
    index += escaped.length;
    result +=
      /^[A-Za-z0-9]$/.test(escaped) || syntaxCharacters.has(escaped) || (inClass && escaped === '-')
        ? `\\${escaped}`
        : `\\u{${code.toString(16)}}`;
  }
  return result;
}

// The first escape or construct whose meaning non-Unicode mode would change: an escape only
// Unicode mode reads (`\p{…}`, `\P{…}`, `\u{…}`), a letter JavaScript has no escape for, which
// it would read as the plain letter (`\A[a-z]+\Z` would match `AabcZ`), a quantifier without
// its lower bound (`{,3}`, from 0 to 3 in PCRE2, Python and Perl: the text `{,3}` there), or a
// POSIX class inside a class (`[[:alpha:]]`: one of `[:alph`, then `]`).
function unicodeOnlyEscape(source: string): string | undefined {
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index];
    if (character === '[') {
      const posix = inClass ? /^\[:[A-Za-z]+:\]/.exec(source.slice(index)) : null;
      if (posix) return posix[0];
      inClass = true;
    } else if (character === ']') inClass = false;
    else if (character === '{' && !inClass) {
      const quantifier = /^\{,\d+\}/.exec(source.slice(index));
      if (quantifier) return quantifier[0];
    }
    if (character !== '\\') continue;
    const letter = source[index + 1] ?? '';
    if ((letter === 'p' || letter === 'P' || letter === 'u') && source[index + 2] === '{')
      return source.slice(index, index + 3);
    if (/^[A-Za-z]$/.test(letter) && !meaningfulEscapes.has(letter))
      return source.slice(index, index + 2);
    index += 1; // skip the escaped character, so `\\p{` is a backslash then `p{`
  }
  return undefined;
}
