import { MacaronError, type MacaronErrorOptions } from './macaron-error.js';

/** One problem found in a spec. */
export interface SpecProblem {
  /** The file the problem is in, when the spec was loaded from files. */
  file?: string;
  /** JSON pointer of the problem within that file (or the document). */
  pointer: string;
  /** What is wrong. */
  message: string;
  /** The schema concerned, for `x-persist` problems. */
  schema?: string;
}

/** A spec that cannot be loaded: broken YAML, a missing `$ref`, a malformed `x-persist`. */
export class SpecError extends MacaronError {
  static override code = 'SPEC_INVALID';
  static override status = 500;
  /** Every problem found. */
  readonly problems: readonly SpecProblem[];
  constructor(message: string, problems: readonly SpecProblem[], options?: MacaronErrorOptions) {
    super(
      `${message}:\n${problems
        .map(
          (p) =>
            `  ${p.file ? `${p.file}` : ''}#${p.pointer} ${p.schema ? `(${p.schema}) ` : ''}${p.message}`,
        )
        .join('\n')}`,
      options,
    );
    this.problems = problems;
  }
}
