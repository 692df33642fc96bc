import { MacaronError, type MacaronErrorOptions } from './macaron-error.js';

/** One reason a value does not match its schema. */
export interface ValidationProblem {
  /** JSON pointer (RFC 6901) of the offending value within the object, `''` for the root. */
  pointer: string;
  /** The schema keyword that failed, e.g. `type`, `required`, `enum`. */
  keyword: string;
  /** What is wrong, in plain words. */
  message: string;
}

/** An object does not match its schema; nothing was written. Lists every problem. */
export class ValidationError extends MacaronError {
  static override code = 'VALIDATION_ERROR';
  static override status = 400;
  /** Every problem found, each with its JSON pointer. */
  readonly problems: readonly ValidationProblem[];

  constructor(
    message: string,
    problems: readonly ValidationProblem[],
    options: MacaronErrorOptions = {},
  ) {
    super(
      `${message}: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`,
      options,
    );
    this.problems = problems;
  }
}
