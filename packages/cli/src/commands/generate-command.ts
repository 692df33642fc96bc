import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { CliError, UsageError } from '../cli/cli-error.js';
import type { Command } from '../cli/command.js';
import { refuseSpecAsOutput } from '../cli/spec-output.js';
import { terminalStyle } from '../cli/terminal-style.js';
import { writeOutputFile } from '../cli/write-output.js';
import { macaronConfigOption, readMacaronConfig } from '../config/macaron-config.js';
import { generateTypes, persistentNames } from '../generate/generate-types.js';
import { ExpansionLimitError } from '../generate/schema-type.js';
import { displayPath, loadSpecApi, resolveSpecFile } from '../spec/spec-file.js';

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `macaron generate <spec> -o <file.ts> [--check]`: TypeScript types and a typed API. */
export const generateCommand: Command = {
  name: 'generate',
  arguments: '<spec>',
  positionals: 1,
  summary:
    'Generate TypeScript types for every schema, and typed(api) for typed api.model() and api.persistent().',
  details:
    "Use it as typed(await loadApi(…)).persistent('Profile'): keys, update operations, queries and conditions are typed.\nWith --check, nothing is written: exits 1 when the file is not what generate would write (for CI).",
  options: {
    output: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description: 'The .ts file to write, e.g. src/api.generated.ts',
    },
    check: {
      type: 'boolean',
      description: 'Exit 1 if the file is out of date instead of writing it',
    },
    'macaron-config': macaronConfigOption,
  },
  async run({ positionals, options, io }) {
    const spec = resolveSpecFile(io, positionals[0]!);
    if (typeof options.output !== 'string')
      throw new UsageError('macaron generate needs -o <file.ts> (see macaron generate --help)');
    const output = resolve(io.cwd, options.output);
    const shown = displayPath(io, output);
    refuseSpecAsOutput(output, shown, spec);
    const api = await loadSpecApi(io, spec, readMacaronConfig(io, options['macaron-config']));
    // The header names the spec relative to the output, with / on every system: the same text everywhere.
    const source = relative(dirname(output), spec).split(sep).join('/');
    let text: string;
    try {
      text = generateTypes(api, { source });
    } catch (error) {
      // A spec whose types cannot be written: the user's to change, not a failure of the tool.
      if (error instanceof ExpansionLimitError)
        throw new CliError(error.message, 1, { cause: error });
      throw error;
    }
    const style = terminalStyle(io.stdout, io.env);
    if (options.check === true) {
      // A checkout may turn line feeds into CRLF (git's core.autocrlf, on Windows runners):
      // the same file for the compiler, so not out of date.
      if (readIfExists(output)?.replace(/\r\n/g, '\n') !== text) {
        throw new CliError(
          `${shown} is out of date: run macaron generate ${displayPath(io, spec)} -o ${shown}`,
        );
      }
      io.stdout.write(`${style.green('✓')} ${shown} is up to date\n`);
      return 0;
    }
    writeOutputFile(output, shown, text);
    const persistent = persistentNames(api).length;
    io.stdout.write(
      `wrote ${shown} (${api.modelNames().length} types, ${persistent} persistent models)\n`,
    );
    return 0;
  },
};
