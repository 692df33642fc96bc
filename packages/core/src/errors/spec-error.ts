import { keepClassNames } from './class-names.js';
import { MacaronError, type MacaronErrorOptions } from './macaron-error.js';
import { shownText } from './shown-name.js';

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
    // One line a problem: the file, pointer and schema hold the spec's names, which may hold
    // line breaks and bidi controls (a property's name may be anything); they show escaped.
    super(
      `${message}:\n${problems
        .map(
          (p) =>
            `  ${p.file ? shownText(p.file) : ''}#${shownText(p.pointer)} ${p.schema ? `(${shownText(p.schema)}) ` : ''}${shownText(p.message)}`,
        )
        .join('\n')}`,
      options,
    );
    this.problems = problems;
  }
}

// Names that no minifier changes (see `keepClassNames`).
keepClassNames({ SpecError });
