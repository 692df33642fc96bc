/** A stream the CLI writes to. */
export interface OutputStream {
  /** Writes text as it is. */
  write(text: string): unknown;
  /** True when the stream is a terminal. */
  isTTY?: boolean;
}

/** Where the CLI reads its environment and writes its output; the process's own by default. */
export interface CliIo {
  /** Normal output: results, problems, generated files on request. */
  stdout: OutputStream;
  /** Errors, progress and notes. */
  stderr: OutputStream;
  /** Environment variables (NO_COLOR, AWS_REGION, …). */
  env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths are resolved against. */
  cwd: string;
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
