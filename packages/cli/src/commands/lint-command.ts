import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shownName, shownText } from '@macaron/core/backend';
import { CliError, UsageError } from '../cli/cli-error.js';
import type { Command, CommandInput } from '../cli/command.js';
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

/**
 * `macaron lint <spec...>`: Macaron's rules, redocly's too by preset or redocly.yaml, on each
 * spec given (a PyMacaron project has one an API); 1 on errors in any.
 */
export const lintCommand: Command = {
  name: 'lint',
  arguments: '<spec...>',
  positionals: 1,
  variadic: true,
  summary:
    "Lint a spec with Macaron's rules (x-persist, schemas, what DynamoDB cannot store), and redocly's by preset or redocly.yaml.",
  details:
    "Lints each spec given, one after the other. Prints one problem a line, as file:line:column severity message (rule), then a summary line for each spec. Exits 1 when there are errors in any.\nRules: --preset, else --config FILE, else ./redocly.yaml when present (Macaron's plugin added), else the macaron preset.",
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
    // Every file is found before any is linted: a misspelt one fails the command at once. A
    // file given twice (`a.yaml ./a.yaml`, overlapping globs) is linted once.
    const specs = [...new Set(positionals.map((given) => resolveSpecFile(io, given)))];
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
    const lintOptions = {
      ...readMacaronConfig(io, options['macaron-config']),
      ...(configPath === undefined
        ? { preset: (options.preset as LintPreset | undefined) ?? 'macaron' }
        : { configPath }),
    };
    const shown = (problem: LintProblem) => ({
      ...problem,
      file: displayPath(io, problem.file),
    });
    const style = terminalStyle(io.stdout, io.env);
    const json = options.format === 'json';
    const all: LintProblem[] = [];
    for (const spec of specs) {
      const problems = await lintSpec(spec, lintOptions);
      all.push(...problems);
      if (!json) io.stdout.write(textReport(io, style, spec, problems.map(shown)));
    }
    const errors = all.filter((problem) => problem.severity === 'error').length;
    if (json)
      io.stdout.write(
        `${JSON.stringify({ problems: all.map(shown), errors, warnings: all.length - errors }, null, 2)}\n`,
      );
    return errors > 0 ? 1 : 0;
  },
};

// One spec's problems, one a line, and its summary line.
function textReport(
  io: CommandInput['io'],
  style: ReturnType<typeof terminalStyle>,
  spec: string,
  problems: readonly LintProblem[],
): string {
  let text = '';
  for (const problem of problems) {
    const severity = problem.severity === 'error' ? style.red('error') : style.yellow('warning');
    // One line a problem: a message quoting the spec's names may hold line breaks or bidi
    // controls (a property's name may be anything), which would cut or reorder the line.
    text += `${shownText(problem.file)}:${problem.line}:${problem.column} ${severity} ${shownText(problem.message)} ${style.dim(`(${problem.rule})`)}\n`;
  }
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const summary =
    problems.length === 0
      ? style.green(`${displayPath(io, spec)}: no problems`)
      : `${displayPath(io, spec)}: ${errors > 0 ? style.red(plural(errors, 'error')) : plural(0, 'error')}, ${plural(warnings, 'warning')}`;
  return `${text}${summary}\n`;
}
