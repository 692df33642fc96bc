import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { type Api, type LoadApiOptions, loadApi, SpecError } from '@macaron/core';
import { shownName, shownText } from '@macaron/core/backend';
import { CliError } from '../cli/cli-error.js';
import type { CliIo } from '../cli/cli-io.js';

/** A path as the user should read it: relative to the working directory when inside it. */
export function displayPath(io: CliIo, path: string): string {
  const shown = relative(io.cwd, path);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}

/** The absolute path of a spec file the user named; a missing file or a folder is a `CliError`. */
export function resolveSpecFile(io: CliIo, path: string): string {
  const absolute = resolve(io.cwd, path);
  const stats = statSync(absolute, { throwIfNoEntry: false });
  const shown = shownName(path);
  if (!stats) throw new CliError(`cannot read ${shown}: no such file`);
  // redocly reads a spec by its path, and files next to it by theirs: a pipe has neither.
  if (!stats.isFile())
    throw new CliError(
      `cannot read ${shown}: it is ${stats.isDirectory() ? 'a directory' : 'a pipe or a device'}, not a spec file`,
    );
  return absolute;
}

/** One line for a spec that does not load: its first problem and how many more there are. */
export function specErrorLine(io: CliIo, specPath: string, error: SpecError): string {
  const spec = displayPath(io, specPath);
  const [first] = error.problems;
  if (!first) return `${spec}: ${error.message.split('\n')[0]}`;
  // The pointer and schema hold the spec's names, which may hold line breaks and bidi controls.
  const where = shownText(`${first.file ? displayPath(io, first.file) : spec}#${first.pointer}`);
  const more =
    error.problems.length > 1
      ? ` (and ${error.problems.length - 1} more: run macaron lint ${spec})`
      : ` (run macaron lint ${spec})`;
  return `${spec} has errors: ${where} ${first.schema ? `(${shownText(first.schema)}) ` : ''}${shownText(first.message)}${more}`;
}

/** Runs a spec operation of core, turning a `SpecError` into one clear line. */
export async function withSpec<T>(
  io: CliIo,
  specPath: string,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof SpecError) throw new CliError(specErrorLine(io, specPath, error));
    throw error;
  }
}

/**
 * Loads the spec as `loadApi` does; a broken spec is a one-line `CliError`, and so are options
 * `loadApi` refuses (a `TypeError` naming `loadApi`: a bad `--prefix`, a bad value in the
 * Macaron config file), which are the user's input, not an unexpected failure.
 */
export async function loadSpecApi(
  io: CliIo,
  specPath: string,
  options?: LoadApiOptions,
): Promise<Api> {
  try {
    return await withSpec(io, specPath, () => loadApi(specPath, options));
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('loadApi: '))
      throw new CliError(error.message.slice('loadApi: '.length));
    throw error;
  }
}
