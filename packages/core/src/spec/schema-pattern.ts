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
 * Compiles a schema's `pattern` as OpenAPI's JSON Schema dialects mean it (an ECMA-262 regular
 * expression): in Unicode mode, else in non-Unicode mode when only Unicode mode rejects it
 * (`[\w\-\_]`, which real specs publish). A pattern whose meaning non-Unicode mode would
 * change (`\p{Print}` would match the text `p{Print}`, `\A` the letter A) or that compiles in
 * neither mode is an `UnusablePattern`.
 */
export function compilePattern(source: string, pointer: string): RegExp {
  let reason: string;
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    reason = syntaxReason(error);
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

// The first escape whose meaning non-Unicode mode would change: one only Unicode mode reads
// (`\p{…}`, `\P{…}`, `\u{…}`), or a letter JavaScript has no escape for, which it would read as
// the plain letter (`\A[a-z]+\Z` would match `AabcZ`).
function unicodeOnlyEscape(source: string): string | undefined {
  for (let index = 0; index < source.length; index += 1) {
    if (source[index] !== '\\') continue;
    const letter = source[index + 1] ?? '';
    if ((letter === 'p' || letter === 'P' || letter === 'u') && source[index + 2] === '{')
      return source.slice(index, index + 3);
    if (/^[A-Za-z]$/.test(letter) && !meaningfulEscapes.has(letter))
      return source.slice(index, index + 2);
    index += 1; // skip the escaped character, so `\\p{` is a backslash then `p{`
  }
  return undefined;
}
