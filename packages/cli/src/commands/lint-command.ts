import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shownName, shownText } from '@macaron/core/backend';
import { CliError, UsageError } from '../cli/cli-error.js';
import type { Command } from '../cli/command.js';
import { terminalStyle } from '../cli/terminal-style.js';
import { macaronConfigOption, readMacaronConfig } from '../config/macaron-config.js';
import { type LintPreset, lintPresets } from '../lint/lint-config.js';
import type { LintProblem } from '../lint/lint-spec.js';
import { displayPath, resolveSpecFile } from '../spec/spec-file.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// The project's redocly.yaml, as redocly looks for it: in the working directory.
function projectRedoclyConfig(cwd: string): string | undefined {
  for (const name of ['redocly.yaml', 'redocly.yml', '.redocly.yaml', '.redocly.yml']) {
    if (existsSync(join(cwd, name))) return join(cwd, name);
  }
  return undefined;
}

/** `macaron lint <spec>`: Macaron's rules, redocly's too by preset or redocly.yaml; 1 on errors. */
export const lintCommand: Command = {
  name: 'lint',
  arguments: '<spec>',
  positionals: 1,
  summary:
    "Lint a spec with Macaron's rules (x-persist, schemas, what DynamoDB cannot store), and redocly's by preset or redocly.yaml.",
  details:
    "Prints one problem a line, as file:line:column severity message (rule). Exits 1 when there are errors.\nRules: --preset, else --config FILE, else ./redocly.yaml when present (Macaron's plugin added), else the macaron preset.",
  options: {
    preset: {
      type: 'string',
      choices: lintPresets,
      description: "macaron: Macaron's rules alone; recommended: plus redocly's recommended rules",
    },
    config: {
      type: 'string',
      value: 'FILE',
      description: 'A redocly.yaml to take the rules from (default ./redocly.yaml when present)',
    },
    'macaron-config': macaronConfigOption,
    format: {
      type: 'string',
      choices: ['text', 'json'],
      description: 'Output format: text (default) or json',
    },
  },
  async run({ positionals, options, io }) {
    const spec = resolveSpecFile(io, positionals[0]!);
    // Loaded on demand, like every heavy module: `macaron --help` stays quick.
    const { lintSpec } = await import('../lint/lint-spec.js');
    if (options.preset !== undefined && options.config !== undefined)
      throw new UsageError('give --preset or --config, not both (see macaron lint --help)');
    const configPath =
      typeof options.config === 'string'
        ? resolve(io.cwd, options.config)
        : options.preset === undefined
          ? projectRedoclyConfig(io.cwd)
          : undefined;
    // A missing or unreadable file is a failure (exit 1), as for the spec itself; not usage.
    if (configPath !== undefined && !existsSync(configPath))
      throw new CliError(`cannot read ${shownName(String(options.config))}: no such file`);
    const problems = await lintSpec(spec, {
      ...readMacaronConfig(io, options['macaron-config']),
      ...(configPath === undefined
        ? { preset: (options.preset as LintPreset | undefined) ?? 'macaron' }
        : { configPath }),
    });
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    const warnings = problems.length - errors;
    const shown = (problem: LintProblem) => ({
      ...problem,
      file: displayPath(io, problem.file),
    });
    if (options.format === 'json') {
      io.stdout.write(
        `${JSON.stringify({ problems: problems.map(shown), errors, warnings }, null, 2)}\n`,
      );
      return errors > 0 ? 1 : 0;
    }
    const style = terminalStyle(io.stdout, io.env);
    for (const problem of problems.map(shown)) {
      const severity = problem.severity === 'error' ? style.red('error') : style.yellow('warning');
      // One line a problem: a message quoting the spec's names may hold line breaks or bidi
      // controls (a property's name may be anything), which would cut or reorder the line.
      io.stdout.write(
        `${shownText(problem.file)}:${problem.line}:${problem.column} ${severity} ${shownText(problem.message)} ${style.dim(`(${problem.rule})`)}\n`,
      );
    }
    const summary =
      problems.length === 0
        ? style.green(`${displayPath(io, spec)}: no problems`)
        : `${displayPath(io, spec)}: ${errors > 0 ? style.red(plural(errors, 'error')) : plural(0, 'error')}, ${plural(warnings, 'warning')}`;
    io.stdout.write(`${summary}\n`);
    return errors > 0 ? 1 : 0;
  },
};
