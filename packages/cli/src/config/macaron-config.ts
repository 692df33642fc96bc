import { resolve } from 'node:path';
import {
  type LoadApiOptions,
  type PersistAnnotation,
  readSpecFileSync,
  SpecError,
} from '@macaron/core';
import { shownName, shownText } from '@macaron/core/backend';
import { CliError } from '../cli/cli-error.js';
import type { CliIo } from '../cli/cli-io.js';
import type { CommandOption } from '../cli/command.js';

/** The file every command reads, when it is in the working directory. */
export const macaronConfigFile = 'macaron.config.json';

/**
 * `macaron.config.json`: how the spec is read, as `loadApi`'s options of the same names.
 * `persist` gives the table and key of schemas in PyMacaron's form (`x-persist: a.class.Path`),
 * which the spec itself does not hold, so `tables` and `generate` know them.
 */
export interface MacaronConfig {
  /** `'pymacaron'`: keys outside `required` are accepted (checked when stored). */
  compat?: 'pymacaron';
  /** Table and key of the schemas in PyMacaron's form, by schema name. */
  persist?: Record<string, PersistAnnotation>;
}

/** The `--macaron-config` option of the commands that read a spec. */
export const macaronConfigOption: CommandOption = {
  type: 'string',
  value: 'FILE',
  description: `Spec options (compat, persist: tables given in code); default ./${macaronConfigFile} when present`,
};

// What the spec reader said of the file, said of a config: `it is a FIFO (named pipe), not a
// file`, `it is not valid UTF-8 at line 1, column 9 (byte 0xFF): save it in UTF-8`.
function configReason(path: string, error: SpecError): string {
  const said = error.problems[0]?.message ?? error.message;
  const prefix = `${shownText(path)} `;
  const reason = (said.startsWith(prefix) ? said.slice(prefix.length) : said)
    .replace(/: a spec is written in UTF-8.*$/s, ': save it in UTF-8')
    .replace(/: a spec and the files .*$/s, '');
  return `it ${reason}`;
}

/**
 * The spec options of a command: from `--macaron-config FILE`, else from `macaron.config.json` in
 * the working directory when there is one, else none. A file that is not such JSON is a `CliError`.
 */
export function readMacaronConfig(
  io: CliIo,
  explicit: string | boolean | undefined,
): Pick<LoadApiOptions, 'compat' | 'persist'> {
  const path = resolve(io.cwd, typeof explicit === 'string' ? explicit : macaronConfigFile);
  let text: string;
  try {
    // As a spec file is read: UTF-8, or UTF-16 with or without the byte order mark a Windows
    // editor may have written; bytes that are not UTF-8 refused where they are, not made U+FFFD;
    // a FIFO or a device refused, not waited on for ever.
    text = readSpecFileSync(path);
  } catch (error) {
    if (typeof explicit !== 'string' && (error as { code?: string }).code === 'ENOENT') return {};
    const reason =
      (error as { code?: string }).code === 'ENOENT'
        ? 'no such file'
        : error instanceof SpecError
          ? configReason(path, error)
          : (error as Error).message;
    throw new CliError(
      `cannot read ${shownName(String(explicit ?? macaronConfigFile))}: ${reason}`,
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const problem = (message: string) => new CliError(`${path}: ${message}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw problem('must be an object { compat?, persist? }');
  const { compat, persist, ...rest } = config as Record<string, unknown>;
  const unknown = Object.keys(rest).filter((key) => key !== '$schema');
  if (unknown.length > 0)
    throw problem(`unknown field ${unknown.join(', ')} (allowed: compat, persist)`);
  if (compat !== undefined && compat !== 'pymacaron')
    throw problem(`compat must be "pymacaron", not ${JSON.stringify(compat)}`);
  if (
    persist !== undefined &&
    (typeof persist !== 'object' || persist === null || Array.isArray(persist))
  )
    throw problem('persist must map schema names to { table, key, … }');
  return {
    ...(compat ? { compat } : {}),
    ...(persist ? { persist: persist as Record<string, PersistAnnotation> } : {}),
  };
}
