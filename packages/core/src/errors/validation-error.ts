import { maxProblems } from '../schema/max-problems.js';
import { keepClassNames } from './class-names.js';
import { MacaronError, type MacaronErrorOptions } from './macaron-error.js';
import { shownText } from './shown-name.js';

/** One reason a value does not match its schema. */
export interface ValidationProblem {
  /** JSON pointer (RFC 6901) of the offending value within the object, `''` for the root. */
  pointer: string;
  /** The schema keyword that failed, e.g. `type`, `required`, `enum`. */
  keyword: string;
  /** What is wrong, in plain words. */
  message: string;
}

// The problems the message spells out: a body of a million wrong values has a million
// problems, and a message listing them all would be twenty times the body's size in the
// answer an HTTP client gets. `problems` keeps them all.
const problemsInMessage = 20;

function describeProblems(problems: readonly ValidationProblem[]): string {
  const listed = problems
    .slice(0, problemsInMessage)
    .map((problem) => `${shownText(problem.pointer) || '/'} ${problem.message}`)
    .join('; ');
  const more = problems.length - problemsInMessage;
  // Validation stops at `maxProblems`: so many found is not told as all there are.
  const count = problems.length >= maxProblems ? 'or more' : 'in all';
  return more > 0 ? `${listed}; and ${more} more (${problems.length} problems ${count})` : listed;
}

/**
 * An object does not match its schema; nothing was written. Lists every problem in
 * `problems`, and the first 20 in its message.
 */
export class ValidationError extends MacaronError {
  static override code = 'VALIDATION_ERROR';
  static override status = 400;
  /** Every problem found, each with its JSON pointer. */
  readonly problems: readonly ValidationProblem[];

  constructor(
    message: string,
    problems: readonly ValidationProblem[] = [],
    options: MacaronErrorOptions = {},
  ) {
    // A handler's own check (PyMacaron's `raise ValidationError('…')`) may give no problems,
    // or, from JavaScript, its options in their place.
    const listed = Array.isArray(problems) ? problems : [];
    const given = Array.isArray(problems) ? options : (problems as MacaronErrorOptions);
    super(listed.length > 0 ? `${message}: ${describeProblems(listed)}` : message, given ?? {});
    this.problems = listed;
  }
}

// Names that no minifier changes (see `keepClassNames`).
keepClassNames({ ValidationError });
