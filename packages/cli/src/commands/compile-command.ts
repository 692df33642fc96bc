import { resolve } from 'node:path';
import { compileSpec } from '@macaron/core';
import { CliError, UsageError } from '../cli/cli-error.js';
import type { Command } from '../cli/command.js';
import { refuseSpecAsOutput } from '../cli/spec-output.js';
import { writeOutputFile } from '../cli/write-output.js';
import { macaronConfigOption, readMacaronConfig } from '../config/macaron-config.js';
import { unreadableNumbers, yamlNumber } from '../lint/number-literals.js';
import { displayPath, resolveSpecFile, withSpec } from '../spec/spec-file.js';

/** `macaron compile <spec> -o <api.json>`: the bundled, checked spec as compact JSON. */
export const compileCommand: Command = {
  name: 'compile',
  arguments: '<spec>',
  positionals: 1,
  summary:
    'Bundle and check a spec into compact JSON that @macaron/core loads without @redocly/openapi-core (fast cold starts).',
  details:
    "Load it with loadApi('api.json'), with the same options as the spec (those of macaron.config.json): the API is the same as from the spec itself.",
  options: {
    output: { type: 'string', short: 'o', value: 'FILE', description: 'The JSON file to write' },
    'macaron-config': macaronConfigOption,
  },
  async run({ positionals, options, io }) {
    const spec = resolveSpecFile(io, positionals[0]!);
    if (typeof options.output !== 'string')
      throw new UsageError('macaron compile needs -o <api.json> (see macaron compile --help)');
    const output = resolve(io.cwd, options.output);
    const shown = displayPath(io, output);
    refuseSpecAsOutput(output, shown, spec);
    // Checked as lint, generate and tables read it: a PyMacaron spec needs its compat option.
    const config = readMacaronConfig(io, options['macaron-config']);
    const compiled = await withSpec(io, spec, () => compileSpec(spec, config));
    // JSON.stringify writes NaN and ±Infinity as null: `maximum: .inf` would become a bound of
    // null, a spec that means something else. Refused instead, as lint reports it.
    const [nonFinite] = unreadableNumbers(compiled.document).filter(
      (found) => !Number.isFinite(found.value),
    );
    if (nonFinite)
      throw new CliError(
        `${displayPath(io, spec)} cannot be compiled: #${nonFinite.pointer} is ${yamlNumber(nonFinite.value)}, which JSON cannot hold (run macaron lint ${displayPath(io, spec)})`,
      );
    const text = JSON.stringify(compiled);
    writeOutputFile(output, shown, text);
    io.stdout.write(`wrote ${shown} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB)\n`);
    return 0;
  },
};
