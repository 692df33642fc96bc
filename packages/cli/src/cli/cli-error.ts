/** A failure the CLI reports as one line on stderr, with an exit code; never a stack trace. */
export class CliError extends Error {
  /** Process exit code: 1 for failures, 2 for wrong usage. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Wrong usage (unknown command or option, missing argument): exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
