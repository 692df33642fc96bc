import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compileSpec } from '@macaron/core';
import { UsageError } from '../cli/cli-error.js';
import type { Command } from '../cli/command.js';
import { displayPath, resolveSpecFile, withSpec } from '../spec/spec-file.js';

/** `macaron compile <spec> -o <api.json>`: the bundled, checked spec as compact JSON. */
export const compileCommand: Command = {
  name: 'compile',
  arguments: '<spec>',
  positionals: 1,
  summary:
    'Bundle and check a spec into compact JSON that @macaron/core loads without @redocly/openapi-core (fast cold starts).',
  details: "Load it with loadApi('api.json'): the API is the same as from the spec itself.",
  options: {
    output: { type: 'string', short: 'o', value: 'FILE', description: 'The JSON file to write' },
  },
  async run({ positionals, options, io }) {
    const spec = resolveSpecFile(io, positionals[0]!);
    if (typeof options.output !== 'string')
      throw new UsageError('macaron compile needs -o <api.json> (see macaron compile --help)');
    const output = resolve(io.cwd, options.output);
    const compiled = await withSpec(io, spec, () => compileSpec(spec));
    const text = JSON.stringify(compiled);
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, text);
    io.stdout.write(
      `wrote ${displayPath(io, output)} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB)\n`,
    );
    return 0;
  },
};
